"""HTML printed to PDF by WeasyPrint: no network, no silent fall-backs, same bytes.

Laying out (`layout`) and writing (`write`) are separate steps, so that render/letter.py can
look at where rows fall before it writes; `write` tags the PDF (PDF/UA-1) when asked. A
letter may instead be printed by another process (`elsewhere`: `remit build`'s spare, which
has imported WeasyPrint while this process read the site and made the letter's HTML).

WeasyPrint is imported lazily (render/weasy.py: ~0.4 s), so a build whose PDFs all come from the
cache never pays for it. Each process keeps one FontConfiguration: a new one per document
leaks memory (DESIGN.md). It is replaced when the theme's files change, because it caches
@font-face fonts by URL, and a long-lived worker (watch mode) must not print with a font
the owner has since replaced.

Every URL the page refers to is resolved against the invoice's public address and served
from a fixed map of local files (the theme's static/ folder and the site's logo). Anything
else, or a file that fails to load or decode, is an error naming the URL: WeasyPrint itself
would only log it and print a different PDF.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
FONT_EPOCH = "946684800"  # 2000-01-01: any fixed instant will do

# Messages WeasyPrint logs when a resource is missing or broken and it carries on without it.
FAILURE_PREFIXES = ("Failed to load", "Font-face", "Unable to", "Unsupported",
                    # A tagged PDF that an accessibility check would fail: an image without
                    # alt text, a document without a language.
                    'Image "', "Missing required")


class PdfError(Exception):
    """A PDF could not be rendered faithfully; the message names what is wrong."""


@dataclass(frozen=True)
class PdfJob:
    html: str
    base_url: str  # the page's public URL, so relative links resolve as on the web
    assets: dict[str, str]  # absolute URL -> local file
    assets_digest: str  # changes whenever any asset's bytes do
    # The invoice's Factur-X XML: the PDF is then PDF/A-3b with it attached (render/einvoice)
    einvoice: bytes | None = None

    @property
    def identifier(self) -> str:
        """The PDF /ID: a hash of what is printed, so the same page gives the same bytes
        wherever the site folder is and whichever generator code printed it."""
        text = f"{version()}\n{self.assets_digest}\n{self.html}"
        data = text.encode("utf-8") + (b"\0" + self.einvoice if self.einvoice else b"")
        return hashlib.sha256(data).hexdigest()[:32]


_state: dict[str, Any] = {}


def warm_up() -> None:
    """A pool worker's initializer: WeasyPrint imported before the first invoice arrives."""
    from generator.render import weasy  # noqa: F401  (imports WeasyPrint)


def _font_config(assets_digest: str) -> Any:
    if _state.get("digest") != assets_digest or "fonts" not in _state:
        from weasyprint.text.fonts import FontConfiguration

        class TrackedFonts(FontConfiguration):
            """Remembers the families the stylesheets declare with @font-face."""

            families: set[str]

            def add_font_face(self, rule_descriptors: Any, url_fetcher: Any) -> Any:
                result = super().add_font_face(rule_descriptors, url_fetcher)
                self.families.add(rule_descriptors["font_family"])
                return result

        fonts = TrackedFonts()
        fonts.families = set()
        _state["fonts"] = fonts
        _state["digest"] = assets_digest
    return _state["fonts"]


def _fetcher_class() -> type:
    if "fetcher" in _state:
        return _state["fetcher"]
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AssetFetcher(URLFetcher):
        def __init__(self, assets: dict[str, str]) -> None:
            # fail_on_errors: a missing file stops the render instead of being skipped.
            super().__init__(allowed_protocols=("data",), fail_on_errors=True)
            self.assets = assets

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):  # inline images: decoded locally, never fetched
                return super().fetch(url, headers)
            clean = url.split("#", 1)[0].split("?", 1)[0]
            path = self.assets.get(clean)
            if path is None:
                raise PdfError(f"{url} is not a file of the theme's static/ folder or the "
                               "site's logo (PDFs never fetch from the network)")
            try:
                body = Path(path).read_bytes()
            except OSError as exc:
                raise PdfError(f"{path}: cannot be read ({exc.strerror})") from None
            import mimetypes

            kind = mimetypes.guess_type(clean)[0] or "application/octet-stream"
            headers = {"Content-Type": kind + ("; charset=utf-8" if kind == "text/css" else "")}
            return URLFetcherResponse(url, body=body, headers=headers)

    _state["fetcher"] = AssetFetcher
    return AssetFetcher


def _collector() -> Any:
    """A logging handler that keeps WeasyPrint's failure messages. (logging is imported here,
    with WeasyPrint, which imports it anyway: a no-op build, which imports this module for
    version(), does without.)"""
    if "collect" not in _state:
        import logging

        class Collect(logging.Handler):
            def __init__(self) -> None:
                super().__init__(logging.WARNING)
                self.failures: list[str] = []

            def emit(self, record: logging.LogRecord) -> None:
                message = record.getMessage()
                if message.startswith(FAILURE_PREFIXES):
                    self.failures.append(message)

        _state["collect"] = Collect
    return _state["collect"]()


@contextmanager
def _faithful() -> Iterator[None]:
    """Turn what WeasyPrint would only log (a missing image, an image without alt text in a
    tagged PDF) into a PdfError naming it."""
    import logging

    from weasyprint.urls import FatalURLFetchingError

    collect = _collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        yield
    except FatalURLFetchingError as exc:
        cause = exc.__cause__
        raise PdfError(str(cause) if isinstance(cause, PdfError) else str(exc)) from None
    finally:
        logger.removeHandler(collect)
    if collect.failures:
        raise PdfError("; ".join(dict.fromkeys(collect.failures)))


# Lays out or prints a job in another process (render/spare.py), or returns None (there is
# none, or it failed: do it here). (job, what); `what` is "print": the tagged PDF; "one_page":
# the PDF if the job fits on one page, else its number of pages; "place": where its rows and
# totals fall (`placement`), the layout kept there; "write": the PDF of the layout kept.
Printer = Callable[[PdfJob, str], Any]
# The pages (from 0) of a letter's item rows (by `data-row`) and of its totals (`data-totals`).
Placement = tuple[dict[int, int], int | None]


@contextmanager
def printing_with(printer: Printer | None) -> Iterator[None]:
    """Within: `elsewhere` hands jobs to `printer` (None: everything is printed here)."""
    _state["printer"] = printer
    try:
        yield
    finally:
        _state.pop("printer", None)


def elsewhere(job: PdfJob, what: str) -> Any:
    """What the printer set with `printing_with` made of `job` (see Printer), or None: do it
    here."""
    printer = _state.get("printer")
    return printer(job, what) if printer is not None else None


def placed(job: PdfJob) -> Placement:
    """Where the job's rows and totals fall: laid out by the printer when there is one (it
    keeps the layout), else here (kept here): `written` then writes that layout."""
    found = elsewhere(job, "place")
    if found is not None:
        return found  # type: ignore[no-any-return]
    doc = layout(job)
    _state["kept"] = (job, doc)
    return placement(doc)


def written(job: PdfJob) -> bytes:
    """The tagged PDF of a job just `placed`, from the layout kept wherever that was."""
    data = elsewhere(job, "write")
    if data is not None:
        return data  # type: ignore[no-any-return]
    kept = _state.pop("kept", None)
    doc = kept[1] if kept is not None and kept[0] == job else layout(job)
    return write(job, doc, tagged=True)


def forget() -> None:
    """Drop a layout `placed` kept here and never written (a letter that failed)."""
    _state.pop("kept", None)


def placement(doc: Any) -> Placement:
    """The page (from 0) of each item row (`data-row`), and of the totals (`data-totals`)."""
    rows: dict[int, int] = {}
    totals = None
    for n, page in enumerate(doc.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None:
                continue
            if box.element_tag == "tr" and element.get("data-row") is not None:
                rows.setdefault(int(element.get("data-row")), n)
            elif totals is None and element.get("data-totals") is not None:
                totals = n
    return rows, totals


def layout(job: PdfJob) -> Any:
    """The laid-out document (its pages can be inspected before it is written)."""
    from generator.render.weasy import load

    weasyprint = load()

    fonts = _font_config(job.assets_digest)
    fetcher = _fetcher_class()(job.assets)
    with _faithful():
        doc = weasyprint.HTML(string=job.html, base_url=job.base_url, url_fetcher=fetcher) \
            .render(font_config=fonts)
    return doc


def write(job: PdfJob, doc: Any, tagged: bool = False) -> bytes:
    """The PDF bytes of a laid-out `job`; `tagged`: PDF/UA-1, its structure tree built from
    the HTML's elements, the document language from <html lang>."""
    options: dict[str, Any] = {"pdf_variant": "pdf/ua-1" if tagged else None}
    if job.einvoice is not None:
        from generator.render import einvoice  # lxml: only where a PDF carries an e-invoice

        # Factur-X: PDF/A-3b carrying the XML; still tagged, and declared PDF/UA-1 in the
        # XMP that render/einvoice.py adds (WeasyPrint takes one variant at a time).
        options = {"pdf_variant": "pdf/a-3b", "pdf_tags": tagged,
                   "attachments": [einvoice.attachment(job.einvoice)],
                   "xmp_metadata": [einvoice.xmp(tagged)],
                   "finisher": einvoice.list_once}
    with _faithful(), fixed_font_clock():
        data = doc.write_pdf(pdf_identifier=job.identifier.encode(), **options)
    fonts = _font_config(job.assets_digest)
    # A font-family the theme does not ship makes Pango fall back to whatever the machine has:
    # a different PDF on every machine. A theme that ships fonts must print with them only.
    # (doc.fonts is filled while the PDF is written.)
    used = {font.family for font in doc.fonts.values()}
    if fonts.families and not used <= fonts.families:
        stray = ", ".join(sorted(used - fonts.families))
        raise PdfError(f"some text would be printed in the system font(s) {stray} instead of "
                       f"the theme's own ({', '.join(sorted(fonts.families))}): a "
                       "font-family names a font the theme does not ship with @font-face, "
                       "or the invoice has characters that the theme's fonts lack")
    return data


@contextmanager
def fixed_font_clock() -> Iterator[None]:
    """Without libharfbuzz-subset0, WeasyPrint subsets fonts with fontTools, which stamps each
    subset font with the current time unless SOURCE_DATE_EPOCH says otherwise: fix it, so
    that the bytes never depend on the clock (nor on a SOURCE_DATE_EPOCH set for something
    else). HarfBuzz keeps the font's own stamp; this changes nothing then."""
    saved = os.environ.get(SOURCE_DATE_EPOCH)
    os.environ[SOURCE_DATE_EPOCH] = FONT_EPOCH
    try:
        yield
    finally:
        if saved is None:
            del os.environ[SOURCE_DATE_EPOCH]
        else:
            os.environ[SOURCE_DATE_EPOCH] = saved


@cache
def version() -> str:
    """WeasyPrint's version without importing it (it is an input of every PDF)."""
    from generator.digest import version as dist_version
    return f"weasyprint {dist_version('weasyprint')}, pydyf {dist_version('pydyf')}"
