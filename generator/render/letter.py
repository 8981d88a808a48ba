"""The printed invoice and its receipt: the theme's letter templates, laid out by WeasyPrint.

An invoice that fits on one page is laid out once. A longer one is split into pages by the
layout itself: a measuring pass (every page's table carries a brought-forward and a
carried-forward row, as the final pages will) shows where the rows fall; the invoice is then
printed with one table per page and its running subtotals, and checked: a page that still
overflows is split where it did, and when the totals would begin a page of their own, the last
two rows move over with them. Only invoices longer than a page pay for the extra passes.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.render import pdf

# Each pass either confirms the page breaks or adds one; more than this many is a bug.
MAX_PASSES = 8

# (page breaks before these rows, measuring pass, number the pages) -> the letter's HTML
HtmlFor = Callable[[tuple[int, ...], bool, bool], str]


def breaks_of(rows: dict[int, int], count: int) -> set[int]:
    return {i for i in range(1, count) if rows.get(i) != rows.get(i - 1)}


def print_invoice(html_for: HtmlFor, job_for: Callable[[str], pdf.PdfJob], count: int) -> bytes:
    """The invoice's tagged PDF; `count` item rows."""
    job = job_for(html_for((), False, False))
    printed = pdf.elsewhere(job, "one_page")
    if isinstance(printed, bytes):
        return printed
    if printed is None:  # no printer elsewhere: laid out here, written if it fits one page
        doc = pdf.layout(job)
        if len(doc.pages) == 1:
            return pdf.write(job, doc, tagged=True)
    # Longer: the passes are laid out where the first was (a spare keeps WeasyPrint out of
    # the builder), or here.
    try:
        return _split(html_for, job_for, count)
    finally:
        pdf.forget()


def _split(html_for: HtmlFor, job_for: Callable[[str], pdf.PdfJob], count: int) -> bytes:
    rows, _ = pdf.placed(job_for(html_for((), True, True)))
    breaks = tuple(sorted(breaks_of(rows, count)))
    for _ in range(MAX_PASSES):
        job = job_for(html_for(breaks, False, True))
        rows, totals = pdf.placed(job)
        wanted = set(breaks) | breaks_of(rows, count)
        if count and totals is not None and totals != rows.get(count - 1):
            # Totals never alone: the last rows go over with them.
            last = max(wanted, default=0)
            wanted.add(count - 2 if count - 2 > last else count - 1)
        wanted.discard(0)
        if tuple(sorted(wanted)) == breaks:
            return pdf.written(job)
        breaks = tuple(sorted(wanted))
    raise pdf.PdfError(f"could not split {count} item rows into pages after {MAX_PASSES} "
                       "passes; please report this invoice")


def print_receipt(html: str, job_for: Callable[[str], pdf.PdfJob]) -> bytes:
    job = job_for(html)
    printed = pdf.elsewhere(job, "print")
    if printed is not None:
        return printed
    return pdf.write(job, pdf.layout(job), tagged=True)


def titled_svg(svg: str, title: str) -> str:
    """An inline SVG with a <title>: a tagged PDF's figure needs its alternative text."""
    head, sep, rest = svg.partition(">")
    if not sep:
        return svg
    safe = title.replace("&", "&amp;").replace("<", "&lt;")
    return f"{head}><title>{safe}</title>{rest}"
