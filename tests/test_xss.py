"""Hostile text in every field of an invoice runs nothing and goes nowhere, in Chromium.

A corpus of filter-evasion payloads (OWASP's classes: event handlers, javascript: with case,
whitespace, entities and control characters, SVG and MathML, details/ontoggle, forms and
formaction, meta refresh, base href, iframe srcdoc, object/embed, CSS url(), comment and
CDATA tricks, tags split to survive one pass of stripping) is put into the note, a milestone,
the terms and every other free-text field. Each page, opened in headless Chromium with
JavaScript on, fires no dialog, requests nothing outside output/, stays where it is, and its
DOM holds no on* attribute, no link with a scheme other than http, https, mailto and tel, and
no element that runs or loads anything beyond what the theme's own clean page has. The same
is checked for the HTML each PDF is printed from, and for the links of one real PDF.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pypdf
import pytest
from bs4 import BeautifulSoup

from generator.errors import RemitError
from generator.render import letter
from tests.conftest import INVOICE, SITE_TOML, SiteDir

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<img src=javascript:alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">CLICK</math>',
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<object type="text/html" data="https://evil.example/"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><input type=submit autofocus></form>',
    '<form><button formaction="javascript:alert(1)">X</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1))",
    "![x](javascript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    '<a href="java&#09;script:alert(1)">x</a>',
    '<a href="java&#x0A;script:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="java\x0bscript:alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="\u2028javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" onload=alert(1)>',
    '<div style="background-image:url(javascript:alert(1))">x</div>',
    '<div style="background:url(https://evil.example/track.png)">x</div>',
    "<style>@import 'https://evil.example/x.css';</style>",
    '<link rel=stylesheet href="https://evil.example/x.css">',
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "<!--<script>",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<a href="https://example.com" onclick="alert(1)">ok</a>',
    "<x onmouseover=alert(1)>hover</x>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><img src=x onerror=alert(1)></template>",
    '<a href="#" id="remit-countdown-data">clobber</a>',
    "{{ 7*7 }}{% raw %}${alert(1)}",
]

VOID_CHUNK = 6
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc",
                  "poster", "background", "cite", "ping"}
# Elements that run, load or send something: a page may have only as many as the clean page.
ACTIVE = ["script", "iframe", "frame", "object", "embed", "form", "base", "meta[http-equiv]",
          "link", "style", "svg script", "math", "input", "button", "audio", "video", "source",
          "template", "noscript"]


def toml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=True)  # JSON escapes are valid TOML basic strings


def invoice(number: str, text: str, void: bool = False) -> str:
    s = toml_str(text)
    return f"""+++
number = "{number}"
issued = 2026-11-01
due = 2026-11-30
title = {s}
po_number = {s}
terms = {s}
late_fee = {s}
{"void = true" if void else ""}
{f"void_reason = {s}" if void else ""}

[seller]
company = {s}
address = {s}

[client]
name = {s}
company = {s}
address = {s}
email = {s}
phone = {s}

[[items]]
description = {s}
unit = {s}
quantity = 2
unit_price = 100.00
tax_rate = 19

[discount]
percent = 5
label = {s}

[[payments]]
date = 2026-11-10
amount = 50.00
method = {s}
reference = {s}

[[milestones]]
by = 2026-11-25
message = {s}
after = {s}

[incentive]
by = 2026-11-26
percent = 3
kind = "back"
message = {s}
+++
{text}

Thank you! {text}
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Iterator[tuple[SiteDir, dict[str, str]]]:
    """Every payload in every field, one invoice each (and one cancelled invoice each, for
    the void reason); built with PDFs printed in this process, whose HTML is kept."""
    site = SiteDir(tmp_path_factory.mktemp("xss") / "site")
    site.invoice("clean.md", invoice("CLEAN", "Plain words"))
    for n, payload in enumerate(PAYLOADS):
        site.write(f"content/x-{n}.md", invoice(f"X-{n}", payload))
    for n in range(0, len(PAYLOADS), VOID_CHUNK):  # cancelled: several payloads at once
        text = " ".join(PAYLOADS[n:n + VOID_CHUNK])
        site.write(f"content/v-{n}.md", invoice(f"V-{n}", text, void=True))
    printed: dict[str, str] = {}

    def fake_print(html_for, job_for, count):  # the letter's HTML, as WeasyPrint gets it
        text = job_for(html_for((), False, False)).html
        title = BeautifulSoup(text, "html.parser").title.get_text()
        printed[re.match(r"\S+ (\S+)", title).group(1)] = text
        return b"%PDF-1.7 stand-in"

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REMIT_SECRET", "test-secret")
        mp.setattr(letter, "print_invoice", fake_print)
        site.build(pdf=True, jobs=1)
    yield site, printed, site.pages()


def problems_in(soup: BeautifulSoup) -> list[str]:
    found = []
    for el in soup.find_all(True):
        for name, value in el.attrs.items():
            if name.lower().startswith("on"):
                found.append(f"<{el.name} {name}>")
            if name.lower() in URL_ATTRIBUTES or (name == "content" and el.name == "meta"
                                                  and el.get("http-equiv")):
                scheme = scheme_of(value if isinstance(value, str) else " ".join(value))
                if scheme and scheme not in ALLOWED_SCHEMES:
                    found.append(f"<{el.name} {name}={value!r}>")
    return found


def scheme_of(url: str) -> str | None:
    # As browsers read it (WHATWG URL): leading and trailing C0 controls and spaces dropped,
    # tabs and newlines removed anywhere; anything else before a colon is no scheme at all.
    compact = re.sub(r"[\t\n\r]", "", url.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n"
                                                 "\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15"
                                                 "\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "))
    compact = compact.lower()
    if compact.startswith("0;url="):  # meta refresh
        compact = compact[6:]
    match = re.match(r"([a-z][a-z0-9+.\-]*):", compact)
    return match.group(1) if match else None


def counts(soup: BeautifulSoup) -> dict[str, int]:
    return {sel: len(soup.select(sel)) for sel in ACTIVE}


def test_the_corpus_is_large_and_every_invoice_is_published(hostile_site):
    _, printed, pages = hostile_site
    assert len(PAYLOADS) >= 40
    assert len(pages) == len(PAYLOADS) + -(-len(PAYLOADS) // VOID_CHUNK) + 1
    assert set(printed) == set(pages)


def test_the_html_of_every_page_and_pdf_is_inert(hostile_site):
    _, printed, pages = hostile_site
    clean, void = counts(pages["CLEAN"]), counts(pages["V-0"])
    for number, soup in pages.items():
        assert problems_in(soup) == [], number
        expected = clean if number.startswith(("X", "C")) else void
        assert counts(soup) == expected, number
    for number, html in printed.items():
        assert problems_in(BeautifulSoup(html, "html.parser")) == [], number
    # A payload in a plain-text field is shown as the text it is.
    assert "<img src=x onerror=alert(1)>" in pages["X-1"].get_text()


def test_inline_json_cannot_end_its_script_element(hostile_site):
    site, _, _ = hostile_site
    for page in site.output.glob("*/index.html"):
        html = page.read_text(encoding="utf-8")
        data = re.search(r'<script type="application/json" id="remit-countdown-data">(.*?)'
                         r"</script>", html, re.S)
        if data:
            assert not set("<>&") & set(data.group(1)), page
            json.loads(data.group(1))


def test_in_chromium_nothing_runs_loads_or_navigates(hostile_site, browser):
    site, printed, soups = hostile_site
    by_folder = {path.parent.name: path for path in site.output.glob("*/index.html")}
    pages = {}
    for path in by_folder.values():
        html = path.read_text("utf-8")
        number = re.search(r'class="doc-id"[^>]*>.*?<strong>(.*?)</strong>', html, re.S)
        pages[number.group(1).strip()] = path
    assert len(pages) == len(soups)
    dialogs: list[str] = []
    outside: list[str] = []
    root = site.output.resolve().as_uri()
    scan = """() => {
        const bad = [];
        for (const el of document.querySelectorAll('*')) {
          for (const a of el.attributes) {
            if (a.name.toLowerCase().startsWith('on')) bad.push(el.tagName + ' ' + a.name);
          }
        }
        for (const a of document.querySelectorAll('a[href], area[href]')) {
          if (!['http:', 'https:', 'mailto:', 'tel:', 'file:'].includes(a.protocol))
            bad.push('link ' + a.href);
        }
        return {bad, countdown: typeof window.remitCountdown};
    }"""

    def route(r):
        if r.request.url.startswith(root):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context = browser.new_context(timezone_id="Europe/Berlin", locale="en-US")
    try:
        context.route("**/*", route)
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for number, path in sorted(pages.items()):
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_timeout(10)  # let timers, autofocus and toggles fire
            assert page.url == path.as_uri(), (number, page.url)
            found = page.evaluate(scan)
            assert found["bad"] == [], number
            if number.startswith(("X", "C")):  # payable: the countdown script still runs
                assert found["countdown"] == "object", number
        # The HTML each PDF is printed from, opened the same way.
        for number, html in sorted(printed.items()):
            page.set_content(html, wait_until="load")
            assert page.evaluate(scan)["bad"] == [], number
    finally:
        context.close()
    assert dialogs == []
    assert outside == []


def test_links_in_a_real_pdf_use_only_allowed_schemes(site):
    links = [p for p in PAYLOADS if "href" in p.lower() or "](" in p]
    # The letter prints a long note only when the site asks for it.
    site.write("site.toml", SITE_TOML.replace("[seller]", 'print_note = "always"\n\n[seller]'))
    for n in range(3):  # every link payload, in three invoices
        site.invoice(f"x-{n}.md", invoice(f"X-{n}", " ".join(links[n::3])))
    site.build(pdf=True, jobs=1)
    uris = []
    for pdf in site.output.glob("*/*.pdf"):
        for page in pypdf.PdfReader(pdf).pages:
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A")
                if action and "/URI" in action:
                    uris.append(str(action["/URI"]))
    assert uris  # the note's links that the sanitiser kept
    # (Links to other web sites are allowed in a note; relative ones resolve to the site.)
    assert all(scheme_of(u) in ALLOWED_SCHEMES for u in uris), uris


INVOICE_WITH_NOTE = INVOICE.replace("Thanks!", "NOTE")
RICH_NOTE = """\
## Thank you

*Warm* thanks, **really**. See [how to pay](#pay), write to [me](mailto:anna@studio.example)
or [call](tel:+4930123), or read [our terms](https://studio.example/terms).

| Phase | Days |
|:------|-----:|
| One   | 3    |

> A quote, `code` and a footnote.[^1]

![The team](../static/site-logo.png)

[^1]: The footnote.
"""


def test_what_a_note_may_contain_survives(site):
    from PIL import Image

    (site.root / "images").mkdir()
    Image.new("RGB", (8, 8), "#1f5fbf").save(site.root / "images" / "logo.png")
    toml = site.root / "site.toml"
    toml.write_text('logo = "images/logo.png"\n' + toml.read_text("utf-8"), encoding="utf-8")
    site.invoice(text=INVOICE_WITH_NOTE.replace("NOTE", RICH_NOTE))
    site.build()
    note = site.pages()["T-1"].select_one("section.note")
    assert note.select_one("h2").get_text() == "Thank you"
    assert note.select_one("em").get_text() == "Warm" and note.select_one("strong")
    hrefs = {a.get_text(): a["href"] for a in note.select("a")}
    assert hrefs["how to pay"] == "#pay"  # a link to the page's own section is kept
    assert hrefs["me"] == "mailto:anna@studio.example" and hrefs["call"] == "tel:+4930123"
    assert hrefs["our terms"] == "https://studio.example/terms"
    assert all("noopener" in a["rel"] for a in note.select("a"))
    assert [td.get_text() for td in note.select("table td")] == ["One", "3"]
    assert note.select_one("blockquote code").get_text() == "code"
    # Footnotes work, under ids of their own that cannot take over the page's.
    ref = note.select_one("a.footnote-ref")
    assert ref["href"] == "#note-fn:1" and note.select_one("li#note-fn\\:1")
    # An image the site publishes itself is shown.
    image = note.select_one("img")
    assert image["src"] == "../static/site-logo.png" and image["alt"] == "The team"


def test_an_image_from_the_web_in_a_note_is_an_error(site):
    site.invoice(text=INVOICE_WITH_NOTE.replace("NOTE", "![x](//tracker.example/p.gif)"))
    with pytest.raises(RemitError) as excinfo:
        site.build()
    assert "content/t-1.md: note: image '//tracker.example/p.gif' is not a file of the " \
           "theme's static/ folder" in str(excinfo.value)
