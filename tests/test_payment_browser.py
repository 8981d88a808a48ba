"""In a real browser (headless Chromium): on a phone-sized screen the Pay button is visible
without scrolling on every payable example, and the copy buttons appear once script runs."""

from __future__ import annotations

import json
import subprocess

from bs4 import BeautifulSoup

from tests.conftest import TODAY
from tests.systools import system_tool

PHONE = (390, 844)  # CSS pixels of a common phone screen

PROBE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
{frames}
<script>
// The window's load event waits for every frame, so each one is complete when it is read.
window.addEventListener("load", function () {{
  var results = {{}};
  document.querySelectorAll("iframe").forEach(function (f) {{
    // The visible one: a page holds a Pay button per state it may pass through.
    var doc = f.contentDocument, button = Array.from(doc.querySelectorAll(".pay-button"))
      .find(function (b) {{ return b.offsetParent !== null; }});
    results[f.dataset.number] = {{
      bottom: button ? button.getBoundingClientRect().bottom : null,
      hidden: doc.querySelectorAll("button.copy[hidden]").length,
      shown: doc.querySelectorAll("button.copy:not([hidden])").length
    }};
  }});
  document.getElementById("result").textContent = JSON.stringify(results);
}});
</script><pre id="result"></pre></body></html>
"""


def test_pay_button_above_the_fold_and_copy_buttons_shown_by_script(example_site):
    example_site.build(today=TODAY)
    out = example_site.output
    payable = {}
    for page in sorted(out.glob("*/index.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        if soup.select_one(".pay-button"):
            payable[soup.select_one(".doc-id strong").get_text(strip=True)] = page
    assert len(payable) >= 7
    frames = "\n".join(
        f'<iframe data-number="{n}" src="{p.relative_to(out).as_posix()}" '
        f'style="width:{PHONE[0]}px;height:{PHONE[1]}px;border:0"></iframe>'
        for n, p in payable.items())
    probe = out / "probe.html"
    probe.write_text(PROBE.format(frames=frames), encoding="utf-8")
    chromium = system_tool("chromium")
    dom = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu",
         "--allow-file-access-from-files", "--window-size=1200,900", "--dump-dom",
         probe.as_uri()], capture_output=True, text=True, timeout=60, check=True).stdout
    results = json.loads(BeautifulSoup(dom, "html.parser").select_one("#result").get_text())
    assert set(results) == set(payable)
    for number, r in results.items():
        assert r["bottom"] is not None and 0 < r["bottom"] <= PHONE[1], (number, r)
        assert r["hidden"] == 0 and r["shown"] > 0, (number, r)
