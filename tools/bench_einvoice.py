"""`make bench` (last part): what an e-invoice costs per PDF.

The same synthetic site (tools/bench.py's invoices, with client addresses) is built cold with
PDFs twice, in this process with one worker, alternating over a few rounds: once with
`einvoice = false`, once with `einvoice = "factur-x"` (the CII XML made from the figures,
PDF/A-3b with the XML attached). The difference per PDF is the cost, measured in one run.

    python tools/bench_einvoice.py [--invoices N] [--rounds R]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import bench  # noqa: E402
import bench_ssg  # noqa: E402

from generator.build import build  # noqa: E402

ADDRESS = 'address = "Bergmannstraße 5\\n10961 Berlin"\ncountry = "DE"\n'


def make_site(root: Path, n: int, einvoice: str) -> None:
    (root / "content").mkdir(parents=True)
    toml = bench.SITE_TOML.replace("[seller]", f"einvoice = {einvoice}\n\n[seller]", 1)
    (root / "site.toml").write_text(toml, "utf-8")
    for i in range(n):
        text = bench.invoice(i).replace("[client]\n", "[client]\n" + ADDRESS, 1)
        (root / "content" / f"b-{i:05d}.md").write_text(text, "utf-8")


def cold(site: Path) -> float:
    bench_ssg.clear(site / ".remit-cache")
    bench_ssg.clear(site / "output")
    started = time.perf_counter()
    build(site, today=bench.TODAY, jobs=1)
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--invoices", "-n", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    os.environ["REMIT_SECRET"] = "bench"
    tmp = Path(tempfile.mkdtemp(prefix="remit-bench-einvoice-"))
    bench_ssg.TRASH.append(tmp / "trash")  # deleted with tmp, after the timings
    try:
        sites = {"off": tmp / "off", "on": tmp / "on"}
        make_site(sites["off"], args.invoices, "false")
        make_site(sites["on"], args.invoices, '"factur-x"')
        cold(sites["on"])  # warm: WeasyPrint imported, fonts loaded, code paths hot
        times: dict[str, list[float]] = {"off": [], "on": []}
        for _ in range(args.rounds):
            for kind in ("off", "on"):
                times[kind].append(cold(sites[kind]))
        off, on = statistics.median(times["off"]), statistics.median(times["on"])
        size = {k: sum(p.stat().st_size for p in (s / "output").glob("*/*.pdf"))
                for k, s in sites.items()}
        n = args.invoices
        print(f"e-invoice (Factur-X, PDF/A-3b) on {n} PDFs, cold builds with PDFs, 1 worker, "
              f"median of {args.rounds}: without {off:.2f} s, with {on:.2f} s: "
              f"{(on - off) / n * 1000:+.1f} ms per PDF ({on / off:.2f} x); PDF size "
              f"{(size['on'] - size['off']) / n / 1000:+.1f} kB each")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
