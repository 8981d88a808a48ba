"""The printed invoice's closing words once it is paid: when the client paid it.

While something is to pay, the letter prints the page's own sentences for the build day
(view/terms.py: every amount with the date it holds until), so page, PDF and share message
say the same. Only a paid invoice needs words of its own.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.figures.derive import Figures, Status
from generator.i18n import translations
from generator.model.invoice import Invoice
from generator.view.format import Formatter


def terms_sentence(inv: Invoice, fig: Figures, f: Formatter, today: dt.date,
                   theme_dir: Path) -> str:
    """'Paid in full on DATE. Thank you.' for a paid invoice; '' otherwise."""
    if fig.status is not Status.PAID:
        return ""
    _ = translations(theme_dir, inv.language).gettext
    last = max((p.date for p in inv.payments if p.date <= today), default=None)
    return _("Paid in full on %(date)s. Thank you.") % {"date": f.date(last)} if last \
        else _("Paid in full. Thank you.")
