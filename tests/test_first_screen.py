"""The page a client pays from on a phone (issue 14), in Chromium: every payable example, in
English, Russian and Afrikaans, shows the seller, the amount with its label, the due date and
the Pay button on the first screen of a 375×667 and a 390×844 phone and a 1280×800 laptop;
every tap target is 44×44 px; nothing scrolls sideways from 320 px; a bank transfer's Pay
button leads to copy buttons that fill the clipboard; "I have paid" opens a ready message; on
a laptop the amount and the ways to pay sit beside the invoice's details."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from generator.build import build
from tests.conftest import REPO, SECRET, TODAY

LANGUAGES = ("en", "ru", "af")
SCREENS = [(375, 667), (390, 844), (1280, 800)]
MIN = 44  # CSS px: WCAG 2.5.5 (AAA) and Apple's guidelines for touch targets

# What the first screen must hold, each the visible one of its kind (a page carries one block
# per state it passes through; the others are hidden).
FIRST_SCREEN = """() => {
  const vis = s => Array.from(document.querySelectorAll(s)).find(e => e.checkVisibility());
  const box = s => { const e = vis(s); if (!e) return null;
    const r = e.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, text: e.innerText}; };
  return {seller: box(".masthead .brand"), label: box("[data-figure-label]"),
          amount: box("[data-amount-due]"), due: box(".due-line"), pay: box(".pay-button"),
          height: innerHeight, width: innerWidth};
}"""

# Every visible link, button and summary. Exempt, as WCAG 2.5.5 allows: links inside a
# sentence or a line of text (computed display "inline"), which take the text's size.
TARGETS = """() => Array.from(document.querySelectorAll("a[href], button, summary, input"))
  .filter(e => e.checkVisibility() && getComputedStyle(e).display !== "inline"
               && !e.classList.contains("skip"))
  .map(e => { const r = e.getBoundingClientRect();
              return {what: e.className || e.tagName, text: e.innerText.trim().slice(0, 40),
                      w: r.width, h: r.height}; })"""

OVERFLOW = "() => document.scrollingElement.scrollWidth - innerWidth"


def payable_sites(root: Path) -> dict[str, dict[str, Path]]:
    """The shipped examples, built for TODAY once per language (each invoice's own language
    replaced): language -> invoice number -> page, for every page with a Pay button."""
    found: dict[str, dict[str, Path]] = {}
    for lang in LANGUAGES:
        site = root / lang
        shutil.copytree(REPO / "content", site / "content")
        shutil.copy(REPO / "site.toml", site / "site.toml")
        for f in (site / "content").rglob("*"):
            if f.suffix in (".md", ".toml"):
                text = re.sub(r'^language = "\w+"\n', "", f.read_text(encoding="utf-8"),
                              flags=re.M)
                text = re.sub(r"^(number = .*)$", rf'\1\nlanguage = "{lang}"', text, count=1,
                              flags=re.M)
                f.write_text(text, encoding="utf-8")
        build(site, today=TODAY, pdf=False)
        pages = {}
        for page in sorted((site / "output").glob("*/index.html")):
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            assert soup.html["lang"] == lang
            if soup.select_one(".pay-button"):
                pages[soup.select_one(".doc-id strong").get_text(strip=True)] = page
        found[lang] = pages
    return found


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REMIT_SECRET", SECRET)
        found = payable_sites(tmp_path_factory.mktemp("first-screen"))
    assert len({tuple(pages) for pages in found.values()}) == 1 and len(found["en"]) >= 7
    return found


@pytest.fixture(scope="module")
def tab(browser):
    """One tab for the module, offline: a request anywhere but file: fails the test."""
    context = browser.new_context(viewport={"width": 375, "height": 667})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    external: list[str] = []

    def route(r):
        if r.request.url.startswith("file:"):
            return r.continue_()
        external.append(r.request.url)
        return r.abort()

    context.route("**/*", route)
    page = context.new_page()
    yield page
    context.close()
    assert not external, external


BESIDE = """() => {
  const r = s => { const e = Array.from(document.querySelectorAll(s))
    .find(e => e.checkVisibility()); return e && e.getBoundingClientRect().toJSON(); };
  return {pay: r("section.pay"), summary: r("section.summary"), items: r("section.lines"),
          parties: r("section.parties")}; }"""


def visible(tab, selector):
    return tab.locator(selector).locator("visible=true")


def first_screen(tab, where: tuple, size: tuple[int, int]) -> None:
    got = tab.evaluate(FIRST_SCREEN)
    for what in ("seller", "label", "amount", "due", "pay"):
        b = got[what]
        assert b is not None, (*where, size, what)
        assert b["top"] >= 0 and b["bottom"] <= size[1], (*where, size, what, b)
        assert b["left"] >= 0 and b["right"] <= size[0], (*where, size, what, b)
    # The due date is its own line, with its relative words ("in 8 days").
    assert re.search(r"\d{4}", got["due"]["text"]) and "·" in got["due"]["text"], (where, got)


@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_seller_amount_due_date_and_pay_are_on_the_first_screen(tab, sites, size):
    tab.set_viewport_size({"width": size[0], "height": size[1]})
    for lang, pages in sites.items():
        for number, path in pages.items():
            tab.goto(path.as_uri())
            first_screen(tab, (lang, number), size)
            targets = tab.evaluate(TARGETS)
            small = [t for t in targets if t["w"] < MIN - 0.5 or t["h"] < MIN - 0.5]
            assert not small, (lang, number, size, small)
            assert tab.evaluate(OVERFLOW) <= 0, (lang, number, size)
            if size[0] == 375:
                tab.set_viewport_size({"width": 320, "height": 640})
                assert tab.evaluate(OVERFLOW) <= 0, (lang, number, 320)
                tab.set_viewport_size({"width": size[0], "height": size[1]})
            if size[0] == 1280:
                # A laptop: the amount and the ways to pay beside the details, not below.
                got = tab.evaluate(BESIDE)
                for side in ("pay", "summary"):
                    assert got[side]["left"] >= got["items"]["right"], (lang, number, got)
                assert got["pay"]["top"] < got["items"]["bottom"], (lang, number, got)
                assert got["summary"]["top"] < got["parties"]["bottom"], (lang, number, got)
            if size[0] == 390:
                i_have_paid(tab, lang, number)


def test_without_javascript_the_first_screen_says_the_same(browser, sites):
    """Without the script: the build's own block, whole, on the first screen of a phone."""
    context = browser.new_context(viewport={"width": 375, "height": 667},
                                  java_script_enabled=False)
    try:
        tab = context.new_page()
        for lang, pages in sites.items():
            for number, path in pages.items():
                tab.goto(path.as_uri())
                first_screen(tab, (lang, number, "no js"), (375, 667))
                # The copy buttons wait for the script; the details are selectable text.
                assert not tab.locator("button.copy").locator("visible=true").count()
                assert tab.locator("section.pay .copy-value").locator("visible=true").count()
                # "I have paid" names no date the build guessed: only the reader knows it.
                mail = unquote(visible(tab, "a.paid-mail").get_attribute("href"))
                body = mail.split("&body=")[1]
                assert number in body, body
                assert not re.search(r"\b20\d\d\b", body.replace(number, "")), body
    finally:
        context.close()


def test_bank_transfer_pay_button_leads_to_copy_buttons_that_fill_the_clipboard(tab, sites):
    tab.set_viewport_size({"width": 375, "height": 667})
    for lang, number in (("en", "2026-001"), ("af", "2026-008"), ("ru", "2026-004")):
        tab.goto(sites[lang][number].as_uri())
        button = visible(tab, ".pay-button")
        href = button.get_attribute("href")
        assert href.startswith("#pay-"), (lang, number, href)
        amount = button.get_attribute("data-pay-amount")
        button.click()
        article = tab.locator(f"article{href}")
        copied = {}
        for key in ("iban", "account_number", "amount", "reference"):
            row = article.locator(f'[data-detail="{key}"]')
            if not row.count():
                continue
            copy = row.locator("button.copy")
            copy.scroll_into_view_if_needed()
            box = copy.bounding_box()
            assert box["height"] >= MIN and box["width"] >= MIN, (lang, number, key, box)
            name = copy.get_attribute("aria-label")
            copy.click()
            copied[key] = tab.evaluate("navigator.clipboard.readText()")
            # What is seen is what is heard: "Copied" in the text and the accessible name.
            tab.wait_for_function("b => b.textContent === b.getAttribute('aria-label')",
                                  arg=copy.element_handle())
            assert copy.get_attribute("aria-label") != name, (lang, number, key)
            # What the button copies is what the page shows, without its spaces.
            shown = row.locator(".copy-value").inner_text()
            assert copied[key] == copy.get_attribute("data-copy"), (lang, number, key)
            if key != "amount":
                assert copied[key] == shown.replace(" ", ""), (lang, number, key)
        assert copied["amount"] == amount, (lang, number)
        assert "reference" in copied and ("iban" in copied or "account_number" in copied)
        # The details are on screen after the tap: the tap did something on this device.
        top = article.bounding_box()["y"]
        assert 0 <= top < 667, (lang, number, top)


def i_have_paid(tab, lang: str, number: str) -> None:
    """ "I have paid" opens a message to the seller with number, amount, date and method."""
    href = visible(tab, "a.paid-mail").get_attribute("href")
    seller = tab.locator(".seller-contact a[href^=mailto]").get_attribute("href")
    assert href.startswith(seller + "?subject="), (href, seller)
    text = unquote(href)
    amount = visible(tab, "[data-amount-due]").inner_text()
    assert number in text and amount in text, (lang, number, text)
    method = visible(tab, "section.pay article.pay-preferred").get_attribute("data-label")
    assert method in text, (lang, number, text)
    # The reader's own date, in the page's language (the script's Intl formatting).
    assert re.search(r"\b20\d\d\b", text.split("&body=")[1]), text
    if lang == "en":
        assert "Payments can take 1–3 working days to show here." in visible(
            tab, ".after-paying").inner_text()


def test_labels_never_promise_what_a_method_cannot_do(sites):
    """A Stripe Payment Link takes no amount: its button names the method and says the client
    enters the amount; "Pay €X" only where the link carries X. Every QR code's accessible name
    says which method it is for, and the codes come after every tap-able way to pay."""
    for lang, pages in sites.items():
        for number, path in pages.items():
            soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            for section in soup.select("section.pay"):
                amount = section["data-pay-amount"]
                stripe = section.select_one('article[data-method="stripe"] a.pay-link')
                if stripe is not None:
                    text = stripe.get_text(" ", strip=True)
                    # Never the "Pay €X" the summary's button says for a method that carries X.
                    pay = soup.select_one('.segment:not([hidden]) .pay-button')
                    assert pay.get_text(strip=True) not in text, (lang, number, text)
                    assert "Stripe" in text
                paypal = section.select_one('article[data-method="paypal"] a.pay-link')
                if paypal is not None:
                    assert paypal["href"].endswith(f"/{amount}EUR")
                names = {a["data-method"]: a["data-label"] for a in section.select("article")}
                for fig in section.select("figure.pay-qr"):
                    label = fig.select_one(".qr-box")["aria-label"]
                    assert names[fig["data-method"]] in label, (lang, number, label)
                order = [e.name == "figure" for e in section.select("article, figure")]
                assert order == sorted(order), (lang, number)  # codes last
