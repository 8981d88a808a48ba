"""Publishing: the built site works under a project page's sub-path, the Pages workflow is
what the README promises, and bad publishing settings are clear errors."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from generator.cli.main import main
from tests.conftest import INVOICE, REPO, TODAY
from tests.subpath_server import SubPathServer

PREFIX = "/acme-invoices/"
# Where a page may point without a request to our server: navigation the client chooses.
NOT_FETCHED = ("mailto:", "tel:", "sms:", "#")
RESOURCE_TAGS = {"link": "href", "script": "src", "img": "src", "source": "src",
                 "iframe": "src", "video": "src", "audio": "src", "embed": "src",
                 "object": "data"}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def top_level(toml: str, line: str) -> str:
    """site.toml with `line` as its second line: above [seller], so it is a top-level key."""
    first, rest = toml.split("\n", 1)
    return f"{first}\n{line}\n{rest}"


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.headers.get_content_type(), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get_content_type(), err.read()


def links_of(url: str, kind: str, body: bytes) -> list[tuple[str, bool]]:
    """(absolute URL, is_resource) for every reference in an HTML page or a stylesheet."""
    found: list[tuple[str, bool]] = []
    if kind == "text/css":
        return [(urljoin(url, m), True) for m in CSS_URL.findall(body.decode("utf-8"))]
    soup = BeautifulSoup(body.decode("utf-8"), "html.parser")
    for a in soup.find_all(["a", "area"], href=True):
        found.append((a["href"], False))
    for tag, attr in RESOURCE_TAGS.items():
        for el in soup.find_all(tag):
            if el.get(attr):
                found.append((el[attr], True))
            for part in (el.get("srcset") or "").split(","):
                if part.strip():
                    found.append((part.split()[0], True))
    og = soup.find("meta", property="og:url")
    if og:
        found.append((og["content"], False))
    return [(urljoin(url, ref), res) for ref, res in found
            if not ref.startswith(NOT_FETCHED) and not ref.startswith("data:")]


def crawl(start: list[str], origin: str) -> tuple[dict[str, int], list[str]]:
    """Fetch every same-origin URL reachable from `start`; return statuses and problems."""
    seen: dict[str, int] = {}
    problems: list[str] = []
    queue = deque((u, "(start)") for u in start)
    while queue:
        url, referrer = queue.popleft()
        url = url.split("#")[0]
        if url in seen:
            continue
        status, kind, body = fetch(url)
        seen[url] = status
        if status != 200:
            problems.append(f"{url} -> {status} (linked from {referrer})")
        if kind in ("text/html", "text/css"):
            for link, is_resource in links_of(url, kind, body):
                parts = urlsplit(link)
                if parts.scheme in ("http", "https") and f"{parts.scheme}://{parts.netloc}" \
                        != origin:
                    if is_resource:  # pages must make no external requests
                        problems.append(f"{url} loads an external resource {link}")
                    continue
                queue.append((link, url))
    return seen, problems


@pytest.fixture
def served(example_site):
    """The example site plus a few extra cases, built for a sub-path base URL and served."""
    example_site.write("site.toml", top_level((REPO / "site.toml").read_text(encoding="utf-8"),
                                              'cname = "invoices.studio-lindqvist.example"'))
    with SubPathServer(PREFIX) as server:
        report = example_site.build(today=TODAY, base_url=server.base_url)
        server.root = report.output
        yield example_site, server


def test_every_link_and_asset_resolves_under_a_sub_path(served):
    site, server = served
    invoice_pages = sorted(p.parent.name for p in site.output.glob("*/index.html"))
    assert len(invoice_pages) == 10
    origin = server.base_url.removesuffix(PREFIX)
    starts = [server.base_url, server.base_url + "no/such/page/at/depth"] + [
        f"{server.base_url}{name}/" for name in invoice_pages]
    seen, problems = crawl(starts, origin)
    # The missing page is the one 404 we expect; everything it links to must still load.
    expected_404 = server.base_url + "no/such/page/at/depth"
    assert seen.pop(expected_404) == 404
    problems = [p for p in problems if not p.startswith(expected_404 + " ->")]
    assert problems == []
    fetched = {urlsplit(u).path.removeprefix(PREFIX) for u in seen}
    assert "static/style.css" in fetched
    ics = {f for f in fetched if f.endswith(".ics")}
    # Every invoice with something still to pay links its calendar file: all but paid and void.
    assert len(ics) == 8
    for name in invoice_pages:
        assert f"{name}/" in fetched


def test_missing_page_is_friendly_and_styled_at_any_depth(served):
    _, server = served
    status, kind, body = fetch(server.base_url + "2026-001-wrongtoken/")
    assert status == 404 and kind == "text/html"
    soup = BeautifulSoup(body.decode("utf-8"), "html.parser")
    assert "This link does not lead to an invoice" in soup.get_text()
    css = urljoin(server.base_url + "2026-001-wrongtoken/", soup.find("link")["href"])
    assert fetch(css)[0] == 200


def test_robots_noindex_nojekyll_and_cname(served):
    site, server = served
    status, _, body = fetch(server.base_url + "robots.txt")
    assert status == 200 and "Disallow: /" in body.decode().splitlines()
    for page in [*site.output.glob("*/index.html"), site.output / "404.html"]:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert "noindex" in soup.find("meta", attrs={"name": "robots"})["content"], page
    assert (site.output / ".nojekyll").is_file()
    assert (site.output / "CNAME").read_text() == "invoices.studio-lindqvist.example\n"


# -- the GitHub Pages workflow --------------------------------------------------------------

def workflow() -> dict:
    return yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text("utf-8"))


def test_workflow_triggers_on_push_to_main_on_demand_and_daily():
    wf = workflow()
    on = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` as true
    assert on["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in on
    (cron,) = [s["cron"] for s in on["schedule"]]
    minute, hour, *rest = cron.split()
    assert rest == ["*", "*", "*"] and minute.isdigit() and hour.isdigit()
    assert wf["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_workflow_builds_with_the_pages_base_url_and_a_required_secret():
    jobs = workflow()["jobs"]
    steps = jobs["build"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    for action in ("actions/checkout", "actions/setup-python", "actions/configure-pages",
                   "actions/upload-pages-artifact"):
        assert action in uses
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert tuple(int(x) for x in str(python["with"]["python-version"]).split(".")) >= (3, 11)
    apt = next(s["run"] for s in steps if "apt-get install" in s.get("run", ""))
    assert "libpango-1.0-0" in apt and "libharfbuzz-subset0" in apt
    build = next(s for s in steps if "make build" in s.get("run", ""))
    pages_id = next(s["id"] for s in steps if s.get("uses", "").startswith(
        "actions/configure-pages"))
    assert build["env"]["REMIT_BASE_URL"] == f"${{{{ steps.{pages_id}.outputs.base_url }}}}"
    assert build["env"]["REMIT_SECRET"] == "${{ secrets.REMIT_SECRET }}"
    assert str(build["env"]["REMIT_REQUIRE_SECRET"]) == "1"
    upload = next(s for s in steps if s.get("uses", "").startswith(
        "actions/upload-pages-artifact"))
    assert upload["with"]["path"].rstrip("/") == "output"
    # The order matters: the base URL must exist before the build, the build before upload.
    assert uses.index("actions/configure-pages") < steps.index(build) < uses.index(
        "actions/upload-pages-artifact")
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


# -- the secret and bad settings ------------------------------------------------------------

def test_required_secret_missing_is_a_clear_error_and_nothing_is_built(site, monkeypatch,
                                                                       capsys):
    site.invoice()
    monkeypatch.delenv("REMIT_SECRET")
    monkeypatch.setenv("REMIT_REQUIRE_SECRET", "1")
    assert main(["build", str(site.root)]) == 1
    err = capsys.readouterr().err
    assert "no site secret" in err and "REMIT_SECRET" in err
    assert not site.output.exists()
    assert not (site.root / ".remit-secret").exists()


def test_required_secret_is_not_needed_when_every_invoice_has_a_slug(site, monkeypatch):
    site.invoice(text=INVOICE.replace('number = "T-1"', 'number = "T-1"\nslug = "t-one"'))
    monkeypatch.delenv("REMIT_SECRET")
    monkeypatch.setenv("REMIT_REQUIRE_SECRET", "1")
    assert main(["build", str(site.root)]) == 0
    assert (site.output / "t-one" / "index.html").is_file()


@pytest.mark.parametrize("value", ["https://invoices.example.com",
                                   "invoices.example.com/bills", "not a domain", "localhost"])
def test_cname_with_scheme_or_path_is_an_error(site, capsys, value):
    site.write("site.toml", top_level((site.root / "site.toml").read_text(), f'cname = "{value}"'))
    site.invoice()
    assert main(["build", str(site.root)]) == 1
    err = capsys.readouterr().err
    assert f"site.toml:2: cname: expected a bare domain name such as invoices.example.com, " \
           f"without https:// or a path (got {value!r})" in err


@pytest.mark.parametrize("how", ["flag", "env", "file"])
def test_base_url_that_is_not_a_url_names_where_it_came_from(site, capsys, monkeypatch, how):
    site.invoice()
    args = ["build", str(site.root)]
    if how == "flag":
        args += ["--base-url", "user.github.io/invoices"]
        where = "--base-url: "
    elif how == "env":
        monkeypatch.setenv("REMIT_BASE_URL", "user.github.io/invoices")
        where = "REMIT_BASE_URL: "
    else:
        text = (site.root / "site.toml").read_text()
        site.write("site.toml", text.replace("https://example.github.io/invoices/",
                                             "user.github.io/invoices"))
        where = "site.toml:2: base_url: "
    assert main(args) == 1
    err = capsys.readouterr().err
    assert f"error: {where}must be an http(s) URL such as https://user.github.io/invoices/ " \
           "(got 'user.github.io/invoices')" in err


def test_no_cname_file_without_cname(site):
    site.invoice()
    site.build()
    assert not (site.output / "CNAME").exists()
