"""Which invoice a bank statement line pays, strictest rule first, never a guess. Pure.

1. A structured reference that Remit issued (reference.py), for the invoice or one part of it:
   the line pays that invoice, whatever the amount (under- and overpayments are reported).
2. The invoice's number in the text, and the amount exactly what was open for the invoice or
   for one of its open parts, in the invoice's currency.
3. Anything else "needs a look", with the reason, and nothing is recorded for it.

Lines already recorded (the bank's line id, or date + amount + reference) are skipped, so the
same or an overlapping statement can be read again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from generator.figures.derive import Figures, derive
from generator.model.invoice import Invoice, Payment
from generator.model.statement import Line
from generator.payments.reference import compact, invoice_references

BANK_TYPES = ("sepa", "swiss", "bank")
# An RF reference in free text, compact or in printed groups ("RF97 2026 014"); it ends at a
# space, never inside a word, so "RF34R1050" is not RF34R105 followed by a 0.
_RF = re.compile(r"(?<![0-9A-Z])RF\d\d(?: ?[0-9A-Z]+)+", re.IGNORECASE)
_QRR = re.compile(r"(?<!\d)(?:\d{27}|\d\d(?: \d{5}){5})(?!\d)")
ALREADY = "already recorded"


@dataclass(frozen=True)
class Match:
    line: Line
    invoice: Invoice  # as it was before this payment
    payment: Payment  # the entry to append
    rule: str  # "reference" or "number"
    pays: str  # "the invoice", "the deposit", "installment 2"
    notes: tuple[str, ...]  # overpaid, underpaid, void: what the owner should know


@dataclass(frozen=True)
class Look:
    line: Line
    why: str


@dataclass
class Outcome:
    matches: list[Match] = field(default_factory=list)
    looks: list[Look] = field(default_factory=list)
    already: int = 0  # lines recorded by an earlier run
    debits: int = 0  # money out that names no invoice: not ours to look at


def money(amount: Decimal, currency: str) -> str:
    return f"{amount:,} {currency}"


def part_name(kind: str, index: int) -> str:
    return {"invoice": "the invoice", "deposit": "the deposit", "balance": "the balance"}.get(
        kind, f"installment {index}")


def trie_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """One regex for many invoice numbers, as a trie: each position is tried once per
    character, not once per number (10,000 lines x 1,000 numbers stays fast)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w.lower():
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        alts = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = "(?:" + "|".join(alts) + ")" if len(alts) > 1 or "" in node else alts[0]
        return body + "?" if "" in node else body

    if not trie:
        return None
    return re.compile(r"(?<![0-9a-z])" + pattern(trie) + r"(?![0-9a-z])", re.IGNORECASE)


class Matcher:
    def __init__(self, invoices: Sequence[Invoice], tz: ZoneInfo | None = None) -> None:
        self.tz = tz or ZoneInfo("UTC")
        self.current = {inv.source: inv for inv in invoices if not inv.draft}
        self.refs: dict[str, list[tuple[str, str, int, str]]] = {}
        self.numbers: dict[str, list[str]] = {}
        for inv in self.current.values():
            for ref, kind, index, method in invoice_references(inv):
                self.refs.setdefault(ref, []).append((inv.source, kind, index, method))
            self.numbers.setdefault(inv.number.lower(), []).append(inv.source)
        self.pattern = trie_pattern(self.numbers)
        self._open: dict[tuple[Decimal, str], list[str]] | None = None
        self.recorded: Counter[str] = Counter()
        self.by_hand: set[tuple[str, dt.date, Decimal]] = set()
        for inv in self.current.values():
            for p in inv.payments:
                self.recorded[payment_key(p)] += 1
                if p.id is None:
                    self.by_hand.add((inv.source, p.date, p.amount))

    # -- what a line names ------------------------------------------------------------
    def referenced(self, line: Line) -> list[tuple[str, str, int, str]]:
        if line.reference:
            return self.refs.get(compact(line.reference), [])
        # A bank without a structured field may carry the reference in the text; its check
        # digits make it exact all the same.
        found = []
        for m in _RF.finditer(line.text):
            words = m.group().split(" ")
            for n in range(len(words), 0, -1):
                found += self.refs.get(compact("".join(words[:n])), [])
        for m in _QRR.finditer(line.text):
            found += self.refs.get(compact(m.group()), [])
        return found

    def named(self, line: Line) -> list[str]:
        if self.pattern is None:
            return []
        found: dict[str, None] = {}
        parts = line.text_parts or (line.text,)
        for text in (" ".join(parts), "".join(parts)):
            for m in self.pattern.finditer(text):
                for source in self.numbers.get(m.group().lower(), []):
                    found[source] = None
        return list(found)

    def figures(self, inv: Invoice, day: dt.date) -> Figures:
        day = max([day, *(p.date for p in inv.payments)])
        return derive(inv, day, self.tz)

    # -- one line -----------------------------------------------------------------------
    def match(self, line: Line, seen: Counter[str]) -> Match | Look | str | None:
        """A Match to record, a Look to list, ALREADY for a line recorded before, or None for
        a debit that is none of our business."""
        if line.unclear:
            return Look(line, line.unclear)
        refs = self.referenced(line)
        names = self.named(line)
        about = sorted({self.current[s].number for s in [r[0] for r in refs] + names})
        if not line.credit:
            if about:
                what = "a returned payment" if line.returned else "money out"
                return Look(line, f"{what} naming {', '.join(about)}: a refund or a returned "
                                  "payment? nothing is recorded; correct the invoice by hand "
                                  "if its payment was recorded")
            return None
        key = line_key(line)
        seen[key] += 1
        if seen[key] <= self.recorded[key]:
            return ALREADY  # by an earlier run, or from an overlapping statement
        if line.returned:
            return Look(line, "a returned or reversed payment, not a client's payment"
                              + (f" (it names {', '.join(about)})" if about else ""))
        if not line.booked:
            return Look(line, "not booked yet")
        sources = list(dict.fromkeys(r[0] for r in refs))
        if len(sources) > 1:
            return Look(line, f"its reference was issued for several invoices: "
                              f"{', '.join(about)}")
        if sources:
            _, kind, index, method = refs[0]
            return self.record(line, self.current[sources[0]], "reference", kind, index, method)
        if not names:
            return Look(line, self.no_number(line))
        if len(names) > 1:
            return Look(line, f"names several invoices: {', '.join(about)}; record it by hand")
        inv = self.current[names[0]]
        if line.currency != inv.currency:
            return Look(line, self.wrong_currency(line, inv))
        if (inv.source, line.date, line.amount) in self.by_hand:
            return Look(line, self.by_hand_note(line, inv))
        if inv.void:
            return Look(line, f"names {inv.number}, which is void; nothing is open on it")
        fig = self.figures(inv, line.date)
        if fig.balance <= 0:
            return Look(line, f"names {inv.number}, which is already paid")
        open_ = [(p.remaining, p.kind, p.index) for p in fig.parts if p.remaining > 0]
        open_ += [(fig.balance, "invoice", 0), (fig.due_now, "invoice", 0)]
        for amount, kind, index in open_:
            if amount == line.amount:
                return self.record(line, inv, "number", kind, index, None)
        shown = ", ".join(dict.fromkeys(money(a, inv.currency) for a, _, _ in open_ if a > 0))
        return Look(line, f"names {inv.number} but the amount is not what was open on it "
                          f"({shown})")

    def open_amounts(self, day: dt.date) -> dict[tuple[Decimal, str], list[str]]:
        """What is open on every invoice (balance, due now), for hints only: worked out once,
        on the first day asked, and again for an invoice when a payment is recorded on it."""
        if self._open is None:
            self._open = {}
            for inv in self.current.values():
                self._index_open(inv, day)
        return self._open

    def _index_open(self, inv: Invoice, day: dt.date) -> None:
        assert self._open is not None
        if inv.void:
            return
        fig = self.figures(inv, day)
        if fig.balance > 0:
            for amount in {fig.balance, fig.due_now}:
                self._open.setdefault((amount, inv.currency), []).append(inv.source)

    def no_number(self, line: Line) -> str:
        sources = self.open_amounts(line.date).get((line.amount, line.currency), [])
        same = [self.current[s].number for s in dict.fromkeys(sources)]
        if line.reference:
            why = f"reference {line.reference} was not issued by Remit"
        else:
            why = "names no invoice number and no reference Remit issued"
        if same:
            listed = ", ".join(sorted(same)[:5]) + (" ..." if len(same) > 5 else "")
            why += f"; the amount is what is open on {listed}"
        return why

    def wrong_currency(self, line: Line, inv: Invoice) -> str:
        sent = (f" (the payer sent {money(*line.instructed)})" if line.instructed else "")
        got = money(line.amount, line.currency)
        return (f"names {inv.number}, which is in {inv.currency}, but {got} arrived{sent}; "
                "record the exchange by hand")

    def by_hand_note(self, line: Line, inv: Invoice) -> str:
        got = money(line.amount, line.currency)
        return (f"{inv.number} already has a payment of {got} on {line.date} entered by hand; "
                "nothing is recorded")

    def record(self, line: Line, inv: Invoice, rule: str, kind: str, index: int,
               method: str | None) -> Match | Look:
        if line.currency != inv.currency:
            return Look(line, self.wrong_currency(line, inv))
        if (inv.source, line.date, line.amount) in self.by_hand:
            return Look(line, self.by_hand_note(line, inv))
        before = self.figures(inv, line.date)
        method = method or next((m.name for m in inv.payment_methods if m.type in BANK_TYPES),
                                "bank transfer")
        payment = Payment(line.date, line.amount, method,
                          line.bank_reference or line.reference, line.line_id)
        after_inv = dataclasses.replace(inv, payments=(*inv.payments, payment))
        after = self.figures(after_inv, line.date)
        notes = []
        if inv.void:
            notes.append(f"{inv.number} is void: recorded as received; "
                         f"{money(after.paid, inv.currency)} is owed back to the client")
        elif after.overpaid > before.overpaid:
            notes.append(f"overpaid by {money(after.overpaid - before.overpaid, inv.currency)}:"
                         f" a credit balance of {money(after.overpaid, inv.currency)}")
        elif after.balance > 0:
            part = next((p for p in before.parts if p.kind == kind and p.index == index), None)
            target = part.remaining if part is not None else before.balance
            if line.amount < target:
                notes.append(f"underpaid: {money(target - line.amount, inv.currency)} short of "
                             f"{part_name(kind, index)}")
            elif line.amount > target:
                notes.append(f"more than {part_name(kind, index)} "
                             f"({money(target, inv.currency)}); the rest pays the next parts")
            notes.append(f"{money(after.balance, inv.currency)} still open")
        else:
            notes.append("paid in full")
        self.current[inv.source] = after_inv
        if self._open is not None:
            for sources in self._open.values():
                if inv.source in sources:
                    sources.remove(inv.source)
            self._index_open(after_inv, line.date)
        self.recorded[line_key(line)] += 1
        return Match(line, inv, payment, rule, part_name(kind, index), tuple(notes))


def payment_key(p: Payment) -> str:
    if p.id:
        return f"id:{p.id}"
    return f"{p.date}|{p.amount}|{p.reference or ''}"


def line_key(line: Line) -> str:
    return payment_key(Payment(line.date, line.amount, None,
                               line.bank_reference or line.reference, line.line_id))


def reconcile(statements: Sequence[Sequence[Line]], invoices: Sequence[Invoice],
              tz: ZoneInfo | None = None) -> Outcome:
    """Match every line of every statement; a line in two overlapping statements counts once
    (a statement that holds the same line twice records it twice)."""
    matcher = Matcher(invoices, tz)
    out = Outcome()
    for lines in statements:
        seen: Counter[str] = Counter()
        for line in lines:
            result = matcher.match(line, seen)
            if isinstance(result, Match):
                out.matches.append(result)
            elif isinstance(result, Look):
                out.looks.append(result)
            elif result == ALREADY:
                out.already += 1
            else:
                out.debits += 1
    return out
