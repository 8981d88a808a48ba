"""Every state a page can pass through until its last deadline, each rendered at build time.

Between two builds an invoice's figures change only at known instants (figures/timeline.py):
an offer or tier ending, a part falling due, a day passing after a due date, a dated payment.
The page carries one block per distinct state (status, figure and its label, the sentences
pairing amounts with dates, the payment section with its links and QR codes, the schedule's
states), each element marked `data-seg` with the blocks it belongs to. Without JavaScript the
build's block shows (and says until when it holds); the inline script only picks the block
for the viewer's clock. So no element can ever show a different amount than another.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.support import NullTranslations

from generator.figures.derive import Figures, PartState, Status
from generator.figures.timeline import timeline
from generator.i18n import translations
from generator.model.countdown import local_day
from generator.model.invoice import Invoice
from generator.model.settings import Settings
from generator.view.countdown import message_of, message_values, relative_days, stage_templates
from generator.view.format import Formatter
from generator.view.pay import NO_PAY_ACTION, pay_for, paying_part
from generator.view.terms import due_line, holds_until, terms

FIXED = (Status.PAID, Status.VOID, Status.DRAFT)


@dataclass(frozen=True)
class Segments:
    blocks: list[dict[str, Any]]  # what the page shows, one per distinct state
    pays: list[dict[str, Any]]  # one payment section per distinct amount asked for
    moments: list[tuple[dt.datetime, Figures]]  # the timeline, from the build's instant on
    said: list[dict[str, str]]  # each moment's stage message values (view/countdown.py)
    block_of: list[int]  # the block each moment shows
    parts: list[list[dict[str, Any]]]  # per schedule row: its state in each group of blocks
    totals: list[dict[str, Any]]  # paid, balance and credit, per group of blocks


def segments_view(inv: Invoice, fig: Figures, settings: Settings, f: Formatter) -> Segments:
    tz = settings.tz
    t = translations(settings.theme_dir, inv.language)
    moments = timeline(inv, tz, fig) if fig.status not in FIXED else [(fig.instant, fig)]
    templates = stage_templates(inv, settings)
    blocks: list[dict[str, Any]] = []
    keys: list[dict[str, Any]] = []
    block_of: list[int] = []
    ends: list[dt.datetime | None] = []
    amounts: list[tuple[Decimal, tuple[str, int]]] = []
    said = [message_values(at, inv, f, tz, t) for _start, at in moments]
    for n, (start, at) in enumerate(moments):
        tm = terms(inv, at, f, tz, t)
        payable = at.status not in NO_PAY_ACTION and at.due_now > 0
        key = {
            "status": at.status.value,
            "label": tm.label if tm else None,
            "due_now": f.money(at.due_now) if payable else None,
            "full": f.money(at.price.full) if tm and at.price.offer is not None else None,
            "now": tm.now if tm else "", "next": tm.next if tm else "",
            # On screen the stage message already pairs a single amount with its date (and
            # an offer's amounts with theirs); the sentence is for paper then (print hides
            # the message, whose relative words go stale).
            "now_print_only": bool(tm) and (len(tm.due) == 1 or bool(tm.offers)),
            # The date the figure is due by, on its own line under it (relative words added
            # per block below: they change daily without changing the state).
            "due_line": due_line(tm, f, tz, t) if tm and payable and (tm.due or tm.offers)
            else None,
            "whole": at.due_now == at.balance,
            "paid": f.money(at.paid) if at.paid else None,
            "balance": f.money(at.balance), "total": f.money(at.totals.total),
            "overpaid": f.money(at.overpaid) if at.overpaid else None,
            # What to pay, and which part it pays (whose reference its codes carry).
            "pay_amount": (at.due_now, paying_part(at)) if payable and inv.payment_methods
            else None,
            # A part to pay next but not yet due is "next", never "due now" (issue 11).
            "parts": [(p.state.value, p.paid, p.remaining,
                       p.state is PartState.DUE and p.due > local_day(start, tz))
                      for p in at.parts],
        }
        end = moments[n + 1][0] if n + 1 < len(moments) else None
        if keys and keys[-1] == key:
            ends[-1] = end
        else:
            keys.append(key)
            ends.append(end)
            day = local_day(start, tz)
            blocks.append({**key, "index": len(blocks), "stage": at.stage.value, "day": day,
                           "due_in": relative(key["due_line"], day, inv.language, t),
                           "message": message_of(templates, at, said[n])})
        block_of.append(len(blocks) - 1)
    pays: list[dict[str, Any]] = []
    for block, end in zip(blocks, ends, strict=True):
        block["until"] = holds_until(end, f, tz, t) if block["due_now"] else ""
        pay = block.pop("pay_amount")
        if pay is None:
            block["pay"] = None
            continue
        if pay not in amounts:
            amounts.append(pay)
            pays.append(pay_for(inv, pay[0], f, "" if not pays else f"-{len(pays) + 1}", pay[1]))
            pays[-1]["segs"] = []
        block["pay"] = amounts.index(pay)
        pays[block["pay"]]["segs"].append(block["index"])
    for pay in pays:
        pay["segs"] = " ".join(map(str, pay["segs"]))
    return Segments(blocks, pays, moments, said, block_of, part_states(blocks, f),
                    groups(blocks, ("paid", "balance", "overpaid")))


def relative(line: tuple[str, dt.date] | None, day: dt.date, language: str,
             t: NullTranslations) -> dict[str, str] | None:
    """ "in 8 days" / "today" / "3 days ago" from `day`, as the page's script words it."""
    if line is None:
        return None
    days = (line[1] - day).days
    return {"iso": line[1].isoformat(), "today": t.gettext("today"),
            "text": t.gettext("today") if days == 0 else relative_days(days, language)}


def groups(blocks: list[dict[str, Any]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """The distinct values of `keys` across blocks, each with the blocks that show it."""
    found: dict[tuple[Any, ...], list[int]] = {}
    for block in blocks:
        found.setdefault(tuple(block[k] for k in keys), []).append(block["index"])
    return [{**dict(zip(keys, values, strict=True)), "segs": " ".join(map(str, segs))}
            for values, segs in found.items()]


def received_from(blocks: list[dict[str, Any]], day: dt.date) -> str:
    """The blocks in which a payment dated `day` has been received: from that day on."""
    return " ".join(str(b["index"]) for b in blocks if b["day"] >= day)


def part_states(blocks: list[dict[str, Any]], f: Formatter) -> list[list[dict[str, Any]]]:
    """Each schedule row's state, once per run of blocks that agree on it."""
    rows: list[list[dict[str, Any]]] = []
    for n in range(len(blocks[0]["parts"])):
        groups: dict[tuple[Any, ...], list[int]] = {}
        for block in blocks:
            groups.setdefault(block["parts"][n], []).append(block["index"])
        rows.append([{"state": state, "paid": f.money(paid) if paid else None,
                      "remaining": f.money(remaining), "later": later,
                      "segs": " ".join(map(str, segs))}
                     for (state, paid, remaining, later), segs in groups.items()])
    return rows
