"""The theme's stylesheet parses cleanly: an unclosed block would silently swallow the rest."""

from __future__ import annotations

import re

import tinycss2

from tests.conftest import REPO

CSS = REPO / "themes" / "default" / "static"


def test_every_stylesheet_parses_without_errors_and_closes_its_blocks():
    for path in sorted(CSS.rglob("*.css")):
        text = path.read_text(encoding="utf-8")
        rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
        errors = [r for r in rules if r.type == "error"]
        assert not errors, (path.name, [e.message for e in errors])
        # CSS closes open blocks at the end of the file without complaint, so count them.
        bare = re.sub(r"/\*.*?\*/|\"[^\"]*\"|'[^']*'", "", text, flags=re.S)
        assert bare.count("{") == bare.count("}"), path.name


def test_screen_rules_are_not_trapped_inside_a_print_block():
    text = (CSS / "style.css").read_text(encoding="utf-8")
    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    top = {tinycss2.serialize(r.prelude).strip() for r in rules if r.type == "qualified-rule"}
    for selector in (".pay-button", ".summary", ".incentive, .price-tiers, .milestones"):
        assert selector in top, selector
