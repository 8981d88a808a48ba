"""Which invoices reach a reminder day today. Pure.

A reminder day is a number of days relative to the due date of a part still to pay (deposit,
installment or balance): -3 is three days before it, 0 the day itself, 7 a week after. An
invoice gets at most one reminder a day, for its earliest part on a reminder day; its key
(number, that part's due date, the day) is what the reminder log records, so the same
reminder is never sent twice however often the command runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from generator.figures.derive import Figures, Status, derive
from generator.model.invoice import Invoice


@dataclass(frozen=True)
class Reminder:
    invoice: Invoice
    figures: Figures
    part_due: dt.date
    offset: int  # today - part_due, in days

    @property
    def key(self) -> str:
        return f"{self.invoice.number}|{self.part_due.isoformat()}|{self.offset:+d}"

    @property
    def stage(self) -> str:
        """In words, for the owner: 'in 3 days', 'due today', '7 days late'."""
        if self.offset < 0:
            return f"due in {-self.offset} day{'s' if self.offset != -1 else ''}"
        if self.offset == 0:
            return "due today"
        return f"{self.offset} day{'s' if self.offset != 1 else ''} late"


def reminders_due(invoices: Iterable[Invoice], today: dt.date, days: Iterable[int],
                  tz: ZoneInfo | None = None) -> list[Reminder]:
    """The reminders of `today`, by invoice number; drafts, void, paid invoices and those
    with `reminders = false` get none."""
    wanted = set(days)
    found = []
    for inv in invoices:
        if inv.draft or inv.void or not inv.reminders:
            continue
        fig = derive(inv, today, tz)
        if fig.status in (Status.PAID, Status.VOID, Status.DRAFT):
            continue
        for part in fig.parts:
            offset = (today - part.due).days
            if part.remaining > 0 and offset in wanted:
                found.append(Reminder(inv, fig, part.due, offset))
                break
    return sorted(found, key=lambda r: r.invoice.number)
