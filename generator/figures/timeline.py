"""When an invoice's figures change between two builds: a tier or offer ending, a part falling
due, a day passing after a due date, a payment's date. The page's script picks among these."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from generator.figures.derive import Figures, derive
from generator.model.countdown import local_day, start_of_day
from generator.model.invoice import Invoice


def timeline(inv: Invoice, tz: ZoneInfo, fig: Figures) -> list[tuple[dt.datetime, Figures]]:
    """The figures at the build's instant (`fig`, already derived) and at each later instant
    where amounts or tiers may change."""
    assert fig.instant is not None, "derive() always sets the instant"
    start = fig.instant
    cd = inv.countdown
    moments = {s.by.instant(tz) for s in cd.tiers}
    if cd.incentive:
        moments.add(cd.incentive.by.instant(tz))
    for part in fig.parts:
        moments.add(start_of_day(part.due, tz))
        moments.add(start_of_day(part.due + dt.timedelta(days=1), tz))
    # A payment recorded ahead of its date counts from that day on (derive's rule).
    moments.update(start_of_day(p.date, tz) for p in inv.payments)
    return [(start, fig)] + [
        (m, derive(inv, local_day(m, tz), tz, m, fig.totals)) for m in sorted(moments) if m > start]
