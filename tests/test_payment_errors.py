"""Bad payment input stops the build with a message naming the file, line and field."""

from __future__ import annotations

import pytest

from generator.errors import RemitError
from tests.conftest import INVOICE, SITE_TOML

GOOD = """
[payment]
preferred = "sepa"

[payment.sepa]
iban = "DE89 3704 0044 0532 0130 00"
"""


def invoice_with(tail: str, currency: str = "EUR") -> str:
    head = INVOICE.replace('due = 2026-11-30\n', f'due = 2026-11-30\ncurrency = "{currency}"\n')
    return head.replace("tax_rate = 19\n+++", f"tax_rate = 19\n\n{tail}\n+++")


def problems(site, payment: str = GOOD, invoice: str | None = None) -> list[str]:
    site.write("site.toml", SITE_TOML + payment)
    site.invoice(text=invoice or INVOICE)
    with pytest.raises(RemitError) as info:
        site.build()
    assert not site.output.exists(), "nothing may be written when the input is bad"
    return [str(p) for p in info.value.problems]


def line_of(text: str, needle: str, first: int = 1) -> int:
    return next(n for n, line in enumerate(text.splitlines(), first) if needle in line)


def site_problem(site, payment: str, needle: str, field: str, message: str) -> None:
    found = problems(site, payment)
    line = line_of(SITE_TOML + payment, needle)
    assert found == [f"site.toml:{line}: {field}: {message}"] or any(
        p.startswith(f"site.toml:{line}: {field}: ") and message in p for p in found), found


def test_iban_with_a_bad_checksum_in_site_toml(site):
    site_problem(site, GOOD.replace("0130 00", "0130 01"), "iban =", "payment.sepa.iban",
                 "not a valid IBAN (invalid checksum digits)")


def test_bic_that_is_not_a_bic(site):
    site_problem(site, GOOD + 'bic = "COBAXXFFXXX"\n', "bic =", "payment.sepa.bic",
                 "not a valid BIC (invalid country code 'XX')")


def test_rf_reference_with_a_bad_check_digit(site):
    text = invoice_with('[payment.sepa]\nreference = "RF19 5390 0754 7034"')
    found = problems(site, invoice=text)
    assert len(found) == 1
    assert found[0].startswith(f"content/t-1.md:{line_of(text, 'reference =')}: ")
    assert "payment.sepa.reference: not a valid ISO 11649 creditor reference" in found[0]


def test_bad_iban_in_an_invoice_override_names_the_invoice(site):
    text = invoice_with('[payment.sepa]\niban = "DE89 3704 0044 0532 0130 01"')
    found = problems(site, invoice=text)
    assert found == [f"content/t-1.md:{line_of(text, 'iban =')}: payment.sepa.iban: not a valid "
                     "IBAN (invalid checksum digits): check it against your bank's documents"]


def test_epc_asked_for_on_an_invoice_in_another_currency(site):
    text = invoice_with('[payment]\nmethods = ["sepa"]', currency="USD")
    found = problems(site, invoice=text)
    assert found == [f"content/t-1.md:{line_of(text, 'methods =')}: payment.methods: 'sepa' (an "
                     "EPC (SEPA) QR code) takes EUR only; this invoice is in USD"]
    text = invoice_with('[payment.sepa]\nbic = "COBADEFFXXX"', currency="USD")
    found = problems(site, invoice=text)
    assert found == [f"content/t-1.md:{line_of(text, '[payment.sepa]')}: payment.sepa: 'sepa' "
                     "(an EPC (SEPA) QR code) takes EUR only; this invoice is in USD"]


def test_epc_left_off_quietly_when_only_site_toml_offers_it(site):
    site.write("site.toml", SITE_TOML + GOOD)
    site.invoice(text=invoice_with("", currency="USD"))
    site.build()
    assert site.pages()["T-1"].select_one("section.pay") is None


def test_swiss_qr_bill_with_a_german_iban(site):
    payment = ('\n[payment.swiss]\niban = "DE89 3704 0044 0532 0130 00"\npostal_code = "8001"\n'
               'city = "Zürich"\n')
    site_problem(site, payment, "iban =", "payment.swiss.iban",
                 "a Swiss QR-bill needs a Swiss (CH) or Liechtenstein (LI) IBAN; "
                 "DE89 3704 0044 0532 0130 00 is from DE")


def test_epc_payload_over_331_bytes(site):
    text = invoice_with('[payment.sepa]\nbeneficiary = "' + "𝄞" * 70 + '"')
    found = problems(site, invoice=text)
    assert len(found) == 1
    assert found[0].startswith(f"content/t-1.md:{line_of(text, '[payment.sepa]')}: payment.sepa:")
    assert "the EPC QR code payload is 334 bytes; its standard allows at most 331" in found[0]


def test_beneficiary_over_70_characters(site):
    site_problem(site, GOOD + 'beneficiary = "' + "A" * 71 + '"\n', "beneficiary",
                 "payment.sepa.beneficiary",
                 "an EPC QR code allows at most 70 characters for the name (got 71)")


def test_link_too_long_for_any_qr_code(site):
    payment = GOOD + '\n[payment.shop]\ntype = "link"\nurl = "https://pay.example/' + \
        "x" * 2400 + '?n={number}"\n'
    found = problems(site, payment)
    assert len(found) == 1 and found[0].startswith("content/t-1.md: payment.shop: ")
    assert "a QR code holds at most 2331" in found[0]


def test_template_with_an_unknown_placeholder(site):
    payment = GOOD + '\n[payment.wise]\ntype = "link"\nurl = "https://wise.example/{invoice}"\n'
    site_problem(site, payment, 'url = "https://wise', "payment.wise.url",
                 "unknown placeholder {invoice}; expected one of: {number}, {amount}, "
                 "{currency}, {email}")


def test_preferred_method_that_is_not_configured(site):
    site_problem(site, GOOD.replace('preferred = "sepa"', 'preferred = "paypal"'), "preferred",
                 "payment.preferred",
                 "'paypal' is not a configured payment method; configured: sepa")
    text = invoice_with('[payment]\nmethods = ["sepa"]\npreferred = "stripe"')
    found = problems(site, invoice=text)
    assert found == [f"content/t-1.md:{line_of(text, 'preferred =')}: payment.preferred: "
                     "'stripe' is not among this invoice's payment methods: sepa"]


def test_unknown_method_names_fields_and_types(site):
    text = invoice_with('[payment]\nmethods = ["sepa", "venmo"]')
    assert problems(site, invoice=text) == [
        f"content/t-1.md:{line_of(text, 'methods =')}: payment.methods: unknown payment method "
        "'venmo'; configured: sepa"]
    site_problem(site, GOOD + 'ibna = "x"\n', "ibna", "payment.sepa.ibna",
                 "unknown field; did you mean 'iban'?")
    site_problem(site, GOOD + '\n[payment.wise]\nurl = "https://wise.example/"\n', "[payment.wise]",
                 "payment.wise.type", "missing: say what kind of method 'wise' is")
    site_problem(site, GOOD + '\n[payment.paypal]\n', "[payment.paypal]",
                 "payment.paypal.handle", "missing required field for a paypal method")


def test_bitcoin_rates_need_currency_codes(site):
    payment = GOOD + ('\n[payment.bitcoin]\naddress = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"'
                      '\nrates = { EURO = 90000 }\n')
    site_problem(site, payment, "rates =", "payment.bitcoin.rates.EURO",
                 "expected an ISO 4217 currency code such as EUR as the key")
