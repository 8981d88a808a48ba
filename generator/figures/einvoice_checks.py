"""What an invoice with `einvoice` on must hold before a build makes its e-invoice: the
parties' addresses and tax numbers, a code for every unit, and figures that EN 16931's
rules can express exactly. Each problem names the invoice (or site.toml), the line, the
field, the rule and what to change."""

from __future__ import annotations

from collections.abc import Callable

from generator.errors import Problem
from generator.figures.derive import derive
from generator.figures.en16931 import Address, amounts, expected_tax, postal_address, vat_id
from generator.figures.units import unit_code
from generator.model.invoice import Invoice
from generator.model.settings import Party
from generator.money import minor_units
from generator.toml import Locator

SITE_FILE = "site.toml"

Err = Callable[[str, str], None]


def einvoice_problems(inv: Invoice, locator: Locator, site: Locator | None) -> list[Problem]:
    """Every reason this invoice's e-invoice could not be made (none when it has none)."""
    if inv.einvoice is None or inv.void or inv.draft:
        return []
    problems: list[Problem] = []

    def err(field: str, message: str) -> None:
        problems.append(Problem(inv.source, locator.line_of(field), field, message))

    def seller_err(key: str, message: str) -> None:
        # The seller usually comes from site.toml: name the file where the value belongs.
        if locator.line_of(f"seller.{key}") or locator.line_of("seller"):
            err(f"seller.{key}", message)
        else:
            line = site.line_of(f"seller.{key}") or site.line_of("seller") if site else None
            problems.append(Problem(SITE_FILE, line, f"seller.{key}",
                                    f"{message} (needed by {inv.source}'s e-invoice)"))

    kind = "XRechnung" if inv.einvoice == "xrechnung" else "e-invoice"
    seller, client = inv.seller, inv.client
    s_addr, c_addr = postal_address(seller), postal_address(client)
    if s_addr.country is None:
        seller_err("country", f"the {kind} must state your country (BR-09): add an ISO 3166 "
                              "code such as country = \"DE\" to [seller]")
    if not client.address:
        err("client.address", f"the {kind} must state the client's postal address (BR-10): "
                              "add address = \"Street 1\\n12345 City\" to [client]")
    elif c_addr.country is None:
        err("client.country", f"the {kind} must state the client's country (BR-11): add an "
                              "ISO 3166 code such as country = \"DE\" to [client]")
    if minor_units(inv.currency) > 2:
        err("currency", f"EN 16931 allows amounts with at most 2 decimals (BR-DEC-09 and "
                        f"others); {inv.currency} has {minor_units(inv.currency)}: turn the "
                        "e-invoice off for this invoice (einvoice = false)")
    for n, item in enumerate(inv.items):
        if unit_code(item) is None:
            err(f"items[{n}].unit", f"no UN/ECE Recommendation 20 code is known for the unit "
                                    f"{item.unit!r}: add unit_code (e.g. \"HUR\" hour, \"DAY\" "
                                    "day, \"C62\" piece, \"ZZ\" mutually defined)")
    _tax_problems(inv, err, seller_err)
    if inv.einvoice == "xrechnung":
        _xrechnung_problems(inv, err, seller_err, s_addr, c_addr)
    if not problems:
        _sum_problems(inv, err)
    return problems


def _tax_problems(inv: Invoice, err: Err, seller_err: Err) -> None:
    reason, seller, client = inv.zero_rate_reason, inv.seller, inv.client
    rates = {item.tax_rate for item in inv.items}
    if reason == "not-taxable" and any(rates):
        err("zero_rate_reason", "EN 16931 does not allow lines not subject to VAT beside "
                                "taxed ones (BR-O-11): put the taxed lines on an invoice of "
                                "their own")
    if reason in ("reverse-charge", "intra-community") and 0 in rates:
        if vat_id(client.tax_id) is None:
            err("client.tax_id", f"a {reason} e-invoice needs the client's VAT number, "
                                 "starting with its country code (BR-AE-02, BR-IC-02): add "
                                 "tax_id = \"ATU12345678\" (say) to [client]")
        if vat_id(seller.tax_id) is None:
            seller_err("tax_id", f"a {reason} e-invoice needs your VAT number, starting with "
                                 "the country code (BR-AE-02, BR-IC-02)")
    if reason == "intra-community" and 0 in rates and not (inv.delivered or inv.service_period):
        err("delivered", "an intra-community supply must state the date of supply "
                         "(BR-IC-11): add delivered = YYYY-MM-DD or service_period")
    # BR-CO-26: a seller the buyer's software can identify.
    vat = vat_id(seller.tax_id) if reason != "not-taxable" else None
    if vat is None and not seller.register:
        seller_err("tax_id", "the e-invoice must identify you by a VAT number (DE123456789) "
                             "or a company register entry (BR-CO-26): add tax_id or "
                             "register to [seller]")
    if any(rates) and not seller.tax_id:
        seller_err("tax_id", "an e-invoice with VAT must state your VAT number or tax number "
                             "(BR-S-02): add tax_id to [seller]")


def _xrechnung_problems(inv: Invoice, err: Err, seller_err: Err, s_addr: Address,
                        c_addr: Address) -> None:
    seller: Party = inv.seller
    if not inv.client.buyer_reference:
        err("client.buyer_reference", "an XRechnung must carry the buyer reference (BR-DE-15): "
                                      "add the client's Leitweg-ID (for a public authority) "
                                      "or the reference they asked for as buyer_reference = "
                                      "\"04011000-1234512345-06\" to [client]")
    for key, rule, what in (("phone", "BR-DE-6", "a telephone number"),
                            ("email", "BR-DE-7", "an e-mail address")):
        if not getattr(seller, key):
            seller_err(key, f"an XRechnung names your contact with {what} ({rule}): add {key} "
                            "to [seller]")
    if s_addr.country and not (s_addr.city and s_addr.postcode):
        seller_err("address", "an XRechnung needs your post code and city (BR-DE-3, BR-DE-4): "
                              "write the address's last line as \"10969 Berlin\"")
    if inv.client.address and not (c_addr.city and c_addr.postcode):
        err("client.address", "an XRechnung needs the client's post code and city (BR-DE-8, "
                              "BR-DE-9): write the address's last line as \"10961 Berlin\"")
    if not inv.client.email:
        err("client.email", "an XRechnung names the client's electronic address (BT-49): add "
                            "email to [client]")
    if not any(m.get("iban") or m.get("account_number") for m in inv.payment_methods):
        err("payment", "an XRechnung must say how to pay (BR-DE-1): offer a [payment.sepa] or "
                       "bank account method for this invoice's currency")


def _sum_problems(inv: Invoice, err: Err) -> None:
    """EN 16931's sums and products against our figures: they hold by construction, and a
    change that broke them would be found here, naming the rule, before any file is made."""
    a = amounts(inv, derive(inv, inv.issued))
    if sum((ln.net for ln in a.lines), 0) != a.line_total:
        err("items", "BR-CO-10: the sum of the line amounts differs from the lines' total")
    if sum((al.amount for al in a.allowances), 0) != a.allowance_total:
        err("discount", "BR-CO-11: the document allowances do not add up to the discount")
    if a.tax_basis != a.line_total - a.allowance_total or \
            a.grand_total != a.tax_basis + a.tax_total:
        err("items", "BR-CO-13/BR-CO-15: total without VAT plus VAT differs from the total")
    for b in a.breakdown:
        if b.tax != expected_tax(b.basis, b.rate):
            err("currency", f"BR-CO-17: the VAT at {b.rate}% on {b.basis} {inv.currency} is "
                            f"{b.tax} here but {expected_tax(b.basis, b.rate)} under EN "
                            "16931, which rounds tax to the cent: use a currency with cents, "
                            "or turn the e-invoice off (einvoice = false)")
    for ln in a.lines:
        if ln.allowance < 0:
            err(f"items[{ln.number - 1}].discount", "a line discount cannot be negative "
                                                    "(BR-41)")
