"""A mutation fuzzer over the example invoices and site.toml: whatever the input, Remit builds
the page or reports `file:line: field: message`; never a traceback.

Each case takes one example file, applies a few seeded mutations (values swapped for hostile
ones: huge, tiny, negative, non-finite, wrongly typed, invalid dates, control characters,
markup; lines deleted, duplicated or swapped; tables added; the text cut short; bytes
flipped) and runs what a build runs before writing: the whole site read and checked
(load_site), then the invoice's page rendered (render_invoice, pages only; PDFs are
WeasyPrint's job and cost 0.1 s each). Cases are reproducible from their number: a failure
names it and shows the mutated text.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import traceback
from pathlib import Path

import pytest

from generator.errors import RemitError
from generator.figures.derive import derive
from generator.read.site import load_site
from generator.render.invoice import InvoiceTask, render_invoice
from generator.theme import template_dirs
from generator.view.site import site_view
from tests.conftest import REPO, TODAY

CASES = 2000
SITE_CASES = 250  # of which site.toml is the file mutated

VALUES = [
    '""', '" "', "0", "-1", "-0.01", "0.001", "1e400", '"1e9999"', "-1e400", "1e-400",
    '"NaN"', "nan", "inf", '"-inf"', '"Infinity"', "999999999999", "1000000000000",
    "99999999999.999999999999999999", '"1_000"', "1_000.5", "0x10", "true", "false", "[]",
    "[1, 2]", "{}", '{ a = 1 }', "2026-02-30", "2026-13-01", "0001-01-01", "9999-12-31",
    "1979-05-27T07:32:00Z", "2026-11-25T18:00:00", "2026-11-25T25:00:00", "07:32:00",
    '"2026-11-31"', '"2026-11-25 18:00"', '"\\u0000"', '"a\\rb"', '"a\\u000bb"',
    '"\\u2028"', '"\\u0085x"', '"<script>alert(1)</script>"', '"</script><!--"',
    '"javascript:alert(1)"', '"https://"', '"http://x"', '"ftp://x.example/"',
    '"https://[x.example/"', '"https://x.example]:99999/"',
    '"\\u202eRTL"', '"😀" ', '"' + "x" * 500 + '"', '"EUR"', '"XXX"', '"eur"', '"JPY"',
    '"KWD"', '"CHF"', '"ZAR"', '"en"', '"ru"', '"af"', '"zz"', '"../../etc/passwd"',
    '"/etc/passwd"', '"videos/x.mp4"', '"https://youtu.be/"', '"https://vimeo.com/x"',
    '"show"', '"hide"', '"off"', '"back"', '"sepa"', '"nope"', "100", "50", "101",
    "19", "7.7", "33.333333", "3", "0.5",
]
KEYS = ["number", "issued", "due", "terms_days", "currency", "language", "quantity",
        "unit_price", "tax_rate", "discount", "percent", "amount", "date", "by", "message",
        "kind", "video", "slug", "draft", "void", "name", "preferred", "timezone",
        "base_url", "payment_terms_days", "paper", "logo", "iban", "beneficiary", "label",
        "late_fee", "passed_milestones", "title", "theme", "currencies", "type", "handle"]
TABLES = ["[client]", "[[items]]", "[discount]", "[deposit]", "[[installments]]",
          "[[payments]]", "[[milestones]]", "[incentive]", "[[price_tiers]]", "[payment]",
          "[payment.sepa]", "[seller]", "[x]", "[[items.x]]"]
NOISE = ["\x00", "\r", "\x0b", "\u2028", "\ufeff", "+++", '"', "'", "[", "]", "=", "\\",
         "<", ">", "&", "{{", "}}", "{%", "\n", "#"]


def mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        kind = rng.randrange(10)
        n = rng.randrange(len(lines)) if lines else 0
        if not lines:
            lines = [""]
        if kind <= 3:  # a value replaced, where the line is `key = value`
            valued = [i for i, line in enumerate(lines) if " = " in line]
            if valued:
                i = rng.choice(valued)
                key = lines[i].split(" = ", 1)[0]
                lines[i] = f"{key} = {rng.choice(VALUES)}"
        elif kind == 4:  # a known key added with any value
            lines.insert(n, f"{rng.choice(KEYS)} = {rng.choice(VALUES)}")
        elif kind == 5:
            del lines[n]
        elif kind == 6:
            lines.insert(n, lines[rng.randrange(len(lines))])
        elif kind == 7:
            m = rng.randrange(len(lines))
            lines[n], lines[m] = lines[m], lines[n]
        elif kind == 8:
            lines.insert(n, rng.choice(TABLES))
        else:  # noise at a random place, or the text cut short
            joined = "\n".join(lines)
            at = rng.randrange(len(joined) + 1)
            if rng.random() < 0.2:
                joined = joined[:at]
            else:
                joined = joined[:at] + rng.choice(NOISE) + joined[at:]
            lines = joined.split("\n")
    return "\n".join(lines)


def well_formed(exc: RemitError) -> list[str]:
    """What is wrong with how a problem is reported (each must name its file and say what)."""
    wrong = []
    for p in exc.problems:
        if not p.file or not p.message.strip() or (p.line is not None and p.line < 1):
            wrong.append(f"badly located: {p!r}")
        if "Traceback" in p.message or "object at 0x" in p.message:
            wrong.append(f"internals in the message: {p}")
    return wrong


def render_all(root: Path, today: dt.date) -> None:
    """What a build does before writing, pages only, in this process."""
    site = load_site(root, create_secret=False)
    settings = site.settings
    dirs = template_dirs(settings.theme_dir)
    base = site_view(settings, "")
    for inv in site.published:
        derive(inv, today, settings.tz)
        render_invoice(InvoiceTask(inv, settings, site.paths[inv.source], today, dirs, base,
                                   "fuzz", False, None, {}, ""))


@pytest.mark.fuzz
def test_no_input_gives_a_traceback(tmp_path):
    sources = sorted(p for p in (REPO / "content").rglob("*") if p.suffix in (".md", ".toml"))
    texts = {p: p.read_text(encoding="utf-8") for p in sources}
    site_toml = (REPO / "site.toml").read_text(encoding="utf-8")
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    # The build cache's QR codes make repeated payloads cheap; nothing else is cached.
    failures: list[str] = []
    outcomes = {"built": 0, "refused": 0}
    for case in range(CASES):
        rng = random.Random(case)
        source = rng.choice(sources)
        mutated_site = case < SITE_CASES
        text = texts[source] if mutated_site else mutate(texts[source], rng)
        toml = mutate(site_toml, rng) if mutated_site else site_toml
        (root / "site.toml").write_text(toml, encoding="utf-8")
        shutil.rmtree(root / "content")
        target = root / "content" / source.name
        target.parent.mkdir(parents=True)
        target.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            render_all(root, TODAY)
            outcomes["built"] += 1
        except RemitError as exc:
            outcomes["refused"] += 1
            failures += [f"case {case}: {w}" for w in well_formed(exc)]
        except Exception:
            failures.append(f"case {case} ({source.name}{', site.toml' if mutated_site else ''})"
                            f":\n{traceback.format_exc(limit=-3)}\n--- mutated text ---\n"
                            f"{toml if mutated_site else text}")
        if len(failures) >= 5:
            break
    assert not failures, "\n\n".join(failures)
    # The mutations are neither all harmless nor all fatal: both outcomes are exercised.
    assert outcomes["built"] > CASES // 10 and outcomes["refused"] > CASES // 10, outcomes
