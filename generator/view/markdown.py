"""The owner's Markdown (an invoice's note) as HTML."""

from __future__ import annotations

import markdown

_md = markdown.Markdown(extensions=["extra", "sane_lists", "smarty"], output_format="html")


def render_markdown(text: str) -> str:
    # One instance, reset between documents: footnotes and abbreviations must not leak.
    _md.reset()
    return _md.convert(text)
