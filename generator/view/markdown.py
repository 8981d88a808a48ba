"""The owner's Markdown (an invoice's note) as HTML that is safe to publish.

Everything in content/ is treated as hostile, and Markdown passes raw HTML through, so the
converted note goes through an allow-list sanitiser (nh3, the bindings of Rust's Ammonia):
formatting, lists, tables, quotes, code, links and images; nothing that runs, loads or
submits anything. Links may use http, https, mailto and tel (or stay on the page); images
must be files the site publishes itself (the theme's static/ folder or the logo), because
a page must not load anything from elsewhere and a PDF never fetches from the network. An
image from the web, or one whose address points into static/ at no file there, is an error;
any other source (data:, javascript:, a path to nothing) is dropped. The README lists what a
note may contain.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Collection
from functools import cache
from urllib.parse import urljoin

import markdown
import nh3
from markdown.extensions.abbr import AbbrExtension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.def_list import DefListExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.md_in_html import MarkdownInHtmlExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.smarty import SmartyExtension
from markdown.extensions.tables import TableExtension

# "extra", "sane_lists" and "smarty", as objects (extra's in the order it registers them):
# by name, Markdown looks each up among every installed package's entry points, which
# imports importlib.metadata and reads them all (~20 ms of a one-invoice build).
_md = markdown.Markdown(extensions=[
    FencedCodeExtension(), FootnoteExtension(), AttrListExtension(), DefListExtension(),
    TableExtension(), AbbrExtension(), MarkdownInHtmlExtension(), SaneListExtension(),
    SmartyExtension()], output_format="html")

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "s", "small", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
})
# Removed with everything inside them: their text is code or markup, never prose.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe",
                                  "object", "embed", "svg", "math", "textarea", "title",
                                  "select", "noembed", "noframes", "xmp", "plaintext"})
ATTRIBUTES = {
    "a": {"href", "title"}, "abbr": {"title"}, "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"}, "li": {"id"}, "sup": {"id"}, "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
# Footnotes are the only classes Markdown writes; the theme's own classes stay the theme's.
CLASSES = {"div": {"footnote"}, "a": {"footnote-ref", "footnote-backref"}}
SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Footnote ids get this prefix, so that a note can never reuse an id of the page (which the
# page's scripts look elements up by); links to them follow.
ID_PREFIX = "note-"


class NoteImageError(ValueError):
    """An image in the note that the site does not publish (from the web, or missing)."""


# A note that is one paragraph of plain prose: lines that each start with a letter, with
# letters, digits, spaces and punctuation that Markdown (with extra, sane_lists and smarty)
# leaves as it is: no markup, quote, dash, ellipsis, entity, indent or line break. Markdown
# would only wrap it in <p>: the fast path does that itself (~0.3 ms a page, a third of
# the view), and sanitises it all the same. tests/test_markdown_fast.py checks it against
# Markdown over many such texts and their near misses.
_LINE = r"(?!\d)[^\W_](?:[^\W_]|[ ,.!?;:()%/@€$£])*(?<! )"  # \w less "_" (emphasis)
_PLAIN = re.compile(rf"(?:{_LINE}\n)*{_LINE}")


def plain_paragraph(text: str) -> str | None:
    """The HTML Markdown makes of `text` when it is one paragraph of plain prose, else None."""
    body = text.strip("\n")
    if _PLAIN.fullmatch(body) and ".." not in body and "  " not in body:
        return f"<p>{body}</p>"
    return None


def render_markdown(text: str, page_url: str = "", static_url: str = "",
                    images: Collection[str] = ()) -> str:
    """The note as sanitised HTML. `page_url` is the page's public address, `static_url` that
    of the site's static/ folder, `images` the public addresses of the files published there
    (the only images a note may show)."""
    html = plain_paragraph(text)
    if html is None:
        # One instance, reset between documents: footnotes and abbreviations must not leak.
        _md.reset()
        html = _md.convert(text)
    return sanitise(html, page_url, static_url, images)


def sanitise(html: str, page_url: str = "", static_url: str = "",
             images: Collection[str] = ()) -> str:
    refused: list[str] = []
    _call.args = (page_url, static_url, images, refused)
    try:
        clean = _cleaner().clean(html)
    finally:
        del _call.args
    if refused:
        raise NoteImageError(f"image {refused[0]!r} is not a file of the theme's static/ folder: "
                             "a note may show only images the site publishes itself (pages "
                             "load nothing from elsewhere and PDFs never fetch from the "
                             "network)")
    return clean


# What the sanitising call in progress (in this thread) allows: its page's address, static/
# address and images, and where to note a refused image. The cleaner is made once, its
# attribute filter reads these.
_call = threading.local()


@cache
def _cleaner() -> nh3.Cleaner:
    """The allow-list, made into a sanitiser once: building it for every note (from Python
    sets into Ammonia's) cost ten times the cleaning of a short note."""
    return nh3.Cleaner(tags=set(TAGS), clean_content_tags=set(DROPPED_WITH_CONTENT),
                       attributes={k: set(v) for k, v in ATTRIBUTES.items()},
                       attribute_filter=_allow, strip_comments=True,
                       link_rel="noopener noreferrer", url_schemes=set(SCHEMES),
                       allowed_classes={k: set(v) for k, v in CLASSES.items()},
                       id_prefix=ID_PREFIX)


def _allow(element: str, attribute: str, value: str) -> str | None:
    page_url, static_url, images, refused = _call.args
    if attribute == "href" and value.startswith(("#fn:", "#fnref:")):  # footnotes
        return "#" + ID_PREFIX + value[1:]
    if element == "img" and attribute == "src":
        where = urljoin(page_url, value.strip()).split("#", 1)[0].split("?", 1)[0]
        if where in images:
            return value
        if (static_url and where.startswith(static_url)) or \
                value.strip().lower().startswith(("http:", "https:", "//")):
            refused.append(value)  # meant as an image: say why it cannot be shown
        return None
    return value
