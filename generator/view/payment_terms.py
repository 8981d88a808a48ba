"""The printed invoice's payment terms: one sentence, every time-dependent amount beside its date.

Paper does not count down, so the sentence names each amount that depends on when the client
pays together with the day it applies until: "€24,900.00 if paid by 27 November 2026,
otherwise €25,500.00 by 1 December 2026." The letter template shows what this returns
through its own include (letter_terms.html), so this one function is the whole wording.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.figures import countdown as cdn
from generator.figures.derive import Figures, Status
from generator.i18n import translations
from generator.model.invoice import Invoice
from generator.view.format import Formatter


def terms_sentence(inv: Invoice, fig: Figures, f: Formatter, today: dt.date,
                   theme_dir: Path) -> str:
    """What the client must pay by when, as it stands on `today`; '' for a void invoice."""
    text = _sentence(inv, fig, f, today, theme_dir)
    # A date that ends in an abbreviation ("2 декабря 2026 г.") ends the sentence too.
    return text.replace("..", ".")


def _sentence(inv: Invoice, fig: Figures, f: Formatter, today: dt.date,
              theme_dir: Path) -> str:
    _ = translations(theme_dir, inv.language).gettext
    if fig.status is Status.VOID:
        return ""
    if fig.status is Status.PAID:
        last = max((p.date for p in inv.payments if p.date <= today), default=None)
        return _("Paid in full on %(date)s. Thank you.") % {"date": f.date(last)} if last \
            else _("Paid in full. Thank you.")
    t = fig.totals
    # Price tiers and an early-payment discount: a whole-invoice price per pay-by date.
    steps = [s for s in cdn.price_steps(inv.countdown, t.total, inv.currency)
             if s.by.day >= today and s.amount > fig.paid]
    if steps and fig.price.settled is None:
        offers = [_("%(amount)s if paid by %(date)s") % {
            "amount": f.money(s.amount - fig.paid), "date": f.date(s.by.day)} for s in steps]
        rest = _("otherwise %(amount)s by %(date)s") % {"amount": f.money(fig.balance),
                                                        "date": f.date(inv.due)}
        return _("Please pay %(offers)s, %(rest)s.") % {"offers": ", ".join(offers),
                                                         "rest": rest}
    parts = [p for p in fig.parts if p.remaining > 0]
    said = []
    for n, p in enumerate(parts):
        values = {"amount": f.money(p.remaining), "date": f.date(p.due)}
        if p.due < today:
            said.append(_("%(amount)s was due on %(date)s: please pay it now") % values)
        elif n == 0 or parts[n - 1].due < today:
            said.append(_("please pay %(amount)s by %(date)s") % values)
        else:
            said.append(_("then %(amount)s by %(date)s") % values)
    sentence = "; ".join(said)
    sentence = (sentence[:1].upper() + sentence[1:] + ".") if sentence else ""
    inc = inv.countdown.incentive
    if inc is not None and inc.kind == "back" and fig.price.cashback is not None:
        sentence += " " + _("Pay in full by %(date)s and we refund %(percent)s "
                            "(%(amount)s).") % {"date": f.date(inc.by.day),
                                                "percent": f.percent(inc.percent),
                                                "amount": f.money(fig.price.cashback)}
    return sentence
