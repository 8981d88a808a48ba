"""What an invoice's e-invoice says (EN 16931, CII syntax): every value as the text the XML
holds, from the same derived figures as the page and the PDF (figures/en16931.py).

render/einvoice.py writes it as XML; nothing there decides a value. Amounts have two
decimals (EN 16931's rule), dates are YYYYMMDD (format 102).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from generator.figures.derive import Figures
from generator.figures.en16931 import Address, amounts, postal_address, vat_id
from generator.model.invoice import Invoice
from generator.model.settings import Party
from generator.payments.reference import issued as issued_reference

EN16931 = "urn:cen.eu:en16931:2017"
XRECHNUNG = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
PEPPOL_BILLING = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
COMMERCIAL_INVOICE = "380"  # UNTDID 1001
SEPA_TRANSFER, CREDIT_TRANSFER = "58", "30"  # UNTDID 4461


@dataclass(frozen=True)
class PartyView:
    name: str
    legal_id: str | None  # BT-30 (the company register entry)
    contact: str | None  # BT-41
    phone: str | None  # BT-42
    email: str | None  # BT-43 and the electronic address BT-34/BT-49
    address: Address
    vat_id: str | None  # BT-31 / BT-48 (scheme VA)
    tax_number: str | None  # BT-32 (scheme FC)


@dataclass(frozen=True)
class LineView:
    id: str
    name: str
    price: str
    quantity: str
    unit_code: str
    category: str
    rate: str
    allowance: str | None  # the line discount's amount
    allowance_percent: str | None
    gross: str
    net: str


@dataclass(frozen=True)
class EInvoiceView:
    guideline: str
    process: str | None
    number: str
    issued: str
    notes: tuple[str, ...]
    buyer_reference: str | None
    order: str | None
    seller: PartyView
    buyer: PartyView
    # The deliver-to party (BG-13): the client at its address, when no delivery date says
    # more (an empty delivery element is a warning, PEPPOL-EN16931-R008); BR-IC-12 needs it.
    ship_to: bool
    delivered: str | None
    period: tuple[str, str] | None
    payment_reference: str
    currency: str
    means: tuple[str, str | None, str | None, str | None, str | None] | None
    # (type code, IBAN, other account id, account name, BIC)
    taxes: tuple[tuple[str, str, str, str, str | None, str | None], ...]
    # (category, rate, basis, tax, reason, reason code)
    allowances: tuple[tuple[str, str, str, str], ...]  # (amount, reason, category, rate)
    terms: str | None
    due: str
    lines: tuple[LineView, ...]
    line_total: str
    allowance_total: str | None
    tax_basis: str
    tax_total: str
    grand_total: str
    prepaid: str
    due_amount: str


def money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def number(value: Decimal) -> str:
    """A quantity, rate or price without trailing zeros: 19, 2.5, 24.90 -> 24.9."""
    text = f"{value.normalize():f}"
    return text


def as_xrechnung(view: EInvoiceView) -> EInvoiceView:
    """The same invoice under the German CIUS: only its guideline and process ids differ."""
    return replace(view, guideline=XRECHNUNG, process=PEPPOL_BILLING)


def sentence(text: str) -> str:
    """A clause the page shows as its own paragraph, ended as a sentence for running text."""
    text = text.strip()
    return text if text[-1] in ".!?" else text + "."


def day(date: dt.date) -> str:
    return date.strftime("%Y%m%d")


def party_view(p: Party, contact: bool, drop_vat: bool) -> PartyView:
    vat = None if drop_vat else vat_id(p.tax_id)
    tax_number = p.tax_id if p.tax_id and vat_id(p.tax_id) is None else None
    return PartyView(p.display_name, p.register, p.name if contact else None,
                     p.phone if contact else None, p.email, postal_address(p), vat, tax_number)


def payment_means(inv: Invoice) -> tuple[str, str | None, str | None, str | None,
                                          str | None] | None:
    """The first method with an account: SEPA credit transfer (58) in euros with an IBAN,
    otherwise a credit transfer (30) to the account given."""
    for m in inv.payment_methods:
        iban, account = m.get("iban"), m.get("account_number")
        if iban or account:
            code = SEPA_TRANSFER if iban and inv.currency == "EUR" else CREDIT_TRANSFER
            compact = "".join(iban.split()) if iban else None
            other = "".join(str(account).split()) if account and not iban else None
            return code, compact, other, m.get("beneficiary"), m.get("bic")
    return None


def einvoice_view(inv: Invoice, fig: Figures, said: tuple[str, ...] = ()) -> EInvoiceView:
    """`said`: the sentences the page and the printed letter state for the build day
    (view/terms.py: each amount with its date, offers first, and through when they hold).
    They lead the payment terms (BT-20), so that an early-payment price or a part due first
    reaches the accounting software that imports the XML, in the same words as the PDF."""
    a = amounts(inv, fig)
    # Not subject to VAT: EN 16931 forbids VAT identifiers on such an invoice (BR-O-02).
    drop_vat = any(b.category == "O" for b in a.breakdown)
    lines = []
    for item, ln in zip(inv.items, a.lines, strict=True):
        lines.append(LineView(
            str(ln.number), item.description, number(ln.price), number(ln.quantity),
            ln.unit_code or "C62", ln.category, number(ln.rate),
            money(ln.allowance) if ln.allowance else None,
            number(item.discount_percent) if ln.allowance else None,
            money(ln.gross), money(ln.net)))
    means = payment_means(inv)
    ref = None
    for m in inv.payment_methods:
        ref = ref or issued_reference(m, inv.number)
    notes = tuple(n for n in (inv.title, inv.tax_note) if n)
    period = (day(inv.service_period.start), day(inv.service_period.end)) \
        if inv.service_period else None
    return EInvoiceView(
        guideline=EN16931, process=None,
        number=inv.number, issued=day(inv.issued), notes=notes,
        buyer_reference=inv.client.buyer_reference or inv.customer_reference,
        order=inv.po_number,
        seller=party_view(inv.seller, True, drop_vat),
        buyer=party_view(inv.client, False, drop_vat),
        ship_to=inv.delivered is None or any(b.category == "K" for b in a.breakdown),
        delivered=day(inv.delivered) if inv.delivered else None, period=period,
        payment_reference=ref or inv.number, currency=inv.currency, means=means,
        taxes=tuple((b.category, number(b.rate), money(b.basis), money(b.tax), b.reason,
                     b.reason_code) for b in a.breakdown),
        allowances=tuple((money(al.amount), al.reason, al.category, number(al.rate))
                         for al in a.allowances),
        terms=" ".join(sentence(x) for x in (*said, inv.terms) if x) or None, due=day(inv.due),
        lines=tuple(lines),
        line_total=money(a.line_total),
        allowance_total=money(a.allowance_total) if a.allowances else None,
        tax_basis=money(a.tax_basis), tax_total=money(a.tax_total),
        grand_total=money(a.grand_total), prepaid=money(a.prepaid), due_amount=money(a.due))
