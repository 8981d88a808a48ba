"""On a phone, in Chromium: every button and link in the pay area is a 44×44 px target, the
page never scrolls sideways from 320 px up, and dark mode keeps every text legible."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

PHONES = [(375, 667), (390, 844)]
MIN = 44  # CSS px: WCAG 2.5.5 and Apple's guidelines for touch targets

TARGETS = """() => Array.from(document.querySelectorAll(
    ".pay-action a, .pay-action button, section.pay a, section.pay button"))
  .filter(e => e.offsetParent !== null && e.getClientRects().length)
  .map(e => { const r = e.getBoundingClientRect();
              return {what: e.className || e.tagName, text: e.textContent.trim(),
                      w: r.width, h: r.height}; })"""

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"

# Contrast of each visible text's colour against the first opaque background behind it.
CONTRAST = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const bg = e => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e)
      .backgroundColor); if (c.length === 3 || c[3] > 0.9) return c; }
    return [255, 255, 255]; };
  const worst = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement;
    if (!n.textContent.trim() || !e || e.offsetParent === null || e.closest(".qr-box")
        || e.closest(".video-embed, .video-file") || e.closest(".skip, .visually-hidden"))
      continue;
    const a = lum(rgb(getComputedStyle(e).color)), b = lum(bg(e));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) worst.push([e.className || e.tagName, n.textContent.trim().slice(0, 40),
                                 Math.round(ratio * 100) / 100]);
  }
  return {worst: worst, body: getComputedStyle(document.body).backgroundColor};
}"""


@pytest.fixture(scope="module")
def payable(examples_built):
    """Every example page with a Pay button, by invoice number (built for 2026-11-23)."""
    site = examples_built[0]
    found = {}
    for path in sorted(site.output.glob("*/index.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if soup.select_one(".pay-button"):
            found[soup.select_one(".doc-id strong").get_text(strip=True)] = path
    assert len(found) >= 7
    return found


@pytest.mark.parametrize("size", PHONES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_pay_target_is_44px_and_nothing_scrolls_sideways(browser, payable, size):
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = ctx.new_page()
    copy_buttons = 0
    try:
        for number, path in payable.items():
            page.goto(path.as_uri())
            targets = page.evaluate(TARGETS)
            assert any(t["what"] == "pay-button" for t in targets), number
            small = [t for t in targets if t["w"] < MIN - 0.5 or t["h"] < MIN - 0.5]
            assert not small, (number, size, small)
            copy_buttons += sum(t["what"] == "copy" for t in targets)
            assert page.evaluate(OVERFLOW) <= 0, (number, size)
            page.set_viewport_size({"width": 320, "height": 640})
            assert page.evaluate(OVERFLOW) <= 0, (number, 320)
            page.set_viewport_size({"width": size[0], "height": size[1]})
    finally:
        ctx.close()
    assert copy_buttons, "the script shows copy buttons, and they are measured too"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_dark_mode_follows_the_system_and_every_text_stays_legible(browser, payable, scheme):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    page = ctx.new_page()
    try:
        for number, path in payable.items():
            page.goto(path.as_uri())
            result = page.evaluate(CONTRAST)
            assert not result["worst"], (number, scheme, result["worst"][:5])
            r, g, b = [int(v) for v in result["body"][4:-1].split(",")[:3]]
            assert (r + g + b < 3 * 64) == (scheme == "dark"), (number, result["body"])
    finally:
        ctx.close()
