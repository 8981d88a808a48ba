"""axe-core, the accessibility engine browsers' developer tools use, finds no violation on any
page of the examples (every invoice, each client's statement, the home page, the 404 page) in
light and in dark mode, with every page in each language; and `make screenshots` writes the
review PNGs. axe-core comes from the npm registry (tests/js/package.json, `npm ci`); without
it these tests skip with the reason, and fail under REMIT_REQUIRE_SYSTEM_TOOLS=1."""

from __future__ import annotations

import struct

import pytest

from tests.conftest import REPO
from tests.systools import node_module
from tools.screenshots import LANGUAGES, SCHEMES, SIZES, examples_in, main, shoot

# Every rule axe-core enables by default: WCAG 2.x A and AA, and its best practices
# (landmarks, one h1, headings in order, ...). Only violations fail; "incomplete" (axe cannot
# tell) is not an error. Dark mode changes colours only, never the document, so on the page
# already checked in light mode it is checked again with the rules that read colours:
# contrast of every text, and links told from text by more than colour.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
RUN = """(rules) => axe.run(document, {resultTypes: ["violations"],
                                      ...(rules ? {runOnly: {type: "rule", values: rules}} : {})
                                     }).then(r => ({
  violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))})),
  body: getComputedStyle(document.body).backgroundColor}))"""


@pytest.fixture(scope="session")  # session, as `browser`: a missing axe-core is named first
def axe_script() -> str:
    return node_module("axe-core", "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sites(axe_script, tmp_path_factory):
    """The examples built once per language (pages only)."""
    base = tmp_path_factory.mktemp("axe")
    return {lang: examples_in(lang, base / lang, REPO) for lang in LANGUAGES}


def describe(found: list[tuple[str, str, dict]]) -> str:
    lines = [f"{len(found)} axe-core violation(s):"]
    for where, scheme, v in found:
        lines.append(f"- {where} [{scheme}] {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:3]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}: {summary[:300]}")
        if len(v["nodes"]) > 3:
            lines.append(f"    ... and {len(v['nodes']) - 3} more")
    return "\n".join(lines)


def dark(css_colour: str) -> bool:
    r, g, b = (int(float(v)) for v in css_colour[css_colour.index("(") + 1:-1].split(",")[:3])
    return r + g + b < 3 * 64


# Every language on a phone; the laptop layout (other columns, other backgrounds behind the
# text) once, in English: the words change with the language, not the layout's colours.
VIEWS = [(lang, (390, 844)) for lang in LANGUAGES] + [("en", (1280, 800))]


@pytest.mark.parametrize(("language", "size"), VIEWS, ids=lambda v: v if isinstance(v, str)
                         else f"{v[0]}x{v[1]}")
def test_axe_finds_no_violation_on_any_page_light_or_dark(axe_script, browser, sites, language,
                                                           size):
    urls = sites[language].pages()
    invoices = [name for name in urls if name[:4].isdigit()]
    statements = [name for name in urls if name.startswith("statement-")]
    assert len(invoices) >= 9 and statements and {"index", "404"} <= set(urls), sorted(urls)
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    outside: list[str] = []
    # In every document before its own scripts: sent to the browser once, not once a page.
    ctx.add_init_script(script=axe_script)
    page = sites[language].new_page(ctx, outside)
    found = []
    try:
        for name, url in urls.items():
            page.goto(url)
            assert page.evaluate("document.documentElement.lang") == language, name
            for scheme in SCHEMES:
                # The same loaded page in the other scheme: only the media query changes.
                page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
                result = page.evaluate(RUN, None if scheme == "light" else COLOUR_RULES)
                assert dark(result["body"]) == (scheme == "dark"), (name, result["body"])
                found += [(f"{language} {name} {size[0]}px", scheme, v)
                          for v in result["violations"]]
    finally:
        ctx.close()
    assert not found, describe(found)
    assert not outside, f"requests that leave the site: {outside}"


def test_axe_reports_what_it_finds(axe_script, browser):
    """The harness is not blind: a page with a nameless image, a low-contrast text and an
    unlabelled field gets those three violations."""
    page = browser.new_page()
    try:
        page.set_content('<!DOCTYPE html><html lang="en"><title>t</title><main><h1>T</h1>'
                         '<img src="data:,"><p style="color:#bbb;background:#fff">faint</p>'
                         '<input type="text"></main></html>')
        page.add_script_tag(content=axe_script)
        found = {v["id"] for v in page.evaluate(RUN)["violations"]}
        colours = {v["id"] for v in page.evaluate(RUN, COLOUR_RULES)["violations"]}
    finally:
        page.close()
    assert {"image-alt", "color-contrast", "label"} <= found, found
    assert colours == {"color-contrast"}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_screenshots_are_full_pages_at_each_size_and_scheme(browser, sites, tmp_path):
    """`make screenshots` (tools/screenshots.py) for one example: a PNG per size and scheme,
    as wide as the viewport, at least as tall, the dark one different from the light one."""
    built = sites["af"]
    written = shoot(browser, built, {"2026-003": built.pages()["2026-003"]}, tmp_path / "af")
    expected = {f"2026-003-{w}x{h}-{s}.png" for w, h in SIZES for s in SCHEMES}
    assert {p.name for p in written} == expected == {p.name for p in (tmp_path / "af").iterdir()}
    for width, height in SIZES:
        shots = {s: (tmp_path / "af" / f"2026-003-{width}x{height}-{s}.png").read_bytes()
                 for s in SCHEMES}
        for data in shots.values():
            w, h = png_size(data)
            assert w == width and h >= height, (width, height, w, h)
        # A full page, not the first screen: an invoice on a phone is longer than one screen.
        if width < 1000:
            assert png_size(shots["light"])[1] > height
        assert shots["light"] != shots["dark"]


def test_screenshots_never_go_into_output(capsys):
    assert main(["--out", str(REPO / "output" / "screenshots")]) == 1
    assert "outside output/" in capsys.readouterr().err
    assert not (REPO / "output" / "screenshots").exists()
