"""What a client sees: a Pay action for the preferred method, QR codes that a real decoder
reads back to the exact payload, details to copy, and no pay action on settled invoices."""

from __future__ import annotations

import json
import os
import shutil
import time

import pytest

from generator.digest import CACHE_FORMAT
from tests.conftest import SITE_TOML, TODAY, SiteDir
from tests.qrdecode import assert_epc_matches_segno, decode_svg, segno_epc

PAYMENT = """
[payment]
preferred = "sepa"

[payment.sepa]
beneficiary = "Ünal Жанна Studio"
iban = "DE89 3704 0044 0532 0130 00"
bic = "COBADEFFXXX"

[payment.paypal]
handle = "studiolindqvist"

[payment.stripe]
link = "https://buy.stripe.com/test_abc?locale=de"

[payment.bitcoin]
address = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
rates = { EUR = 90000, INR = "7500000" }

[payment.wise]
type = "link"
label = "Wise"
url = "https://wise.example/pay?ref={number}&amount={amount}&ccy={currency}&to={email}"

[payment.upi]
vpa = "studio@okaxis"
beneficiary = "Ünal Жанна"

[payment.swiss]
iban = "CH93 0076 2011 6238 5295 7"
beneficiary = "Studio Lindqvist"
street = "Bahnhofstrasse"
house_number = "12"
postal_code = "8001"
city = "Zürich"
currencies = ["CHF"]

[payment.bank-usd]
type = "bank"
currencies = ["USD"]
beneficiary = "Studio Lindqvist LLC"
bank = "Example Bank"
account_number = "0001 2345 678"
routing_number = "026009593"
"""

INVOICE = """\
+++
number = "{number}"
issued = 2026-11-01
due = 2026-11-30
currency = "{currency}"
{extra}
[client]
name = "Jonas Weber"
email = "jonas@example.com"

[[items]]
description = "Work"
quantity = 2
unit_price = 100.00
tax_rate = 19
{tail}
+++
"""


def invoice(site: SiteDir, number: str, currency: str = "EUR", extra: str = "",
            tail: str = "") -> None:
    site.invoice(f"{number.lower()}.md", INVOICE.format(number=number, currency=currency,
                                                         extra=extra, tail=tail))


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    site = SiteDir(tmp_path_factory.mktemp("pay") / "site")
    site.write("site.toml", SITE_TOML + PAYMENT)
    invoice(site, "E-1")
    invoice(site, "I-1", "INR")
    invoice(site, "C-1", "CHF", tail='[payment.swiss]\nreference = "RF18 5390 0754 7034"\n')
    invoice(site, "U-1", "USD")
    invoice(site, "N-1", "EUR", tail='[payment]\nmethods = ["wise", "paypal"]\n'
                                     'preferred = "paypal"\n')
    invoice(site, "P-1", "EUR", tail="[[payments]]\ndate = 2026-11-10\namount = 238.00\n")
    invoice(site, "V-1", "EUR", extra="void = true")
    invoice(site, "Z-1", "EUR", tail="[payment]\nmethods = []\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REMIT_SECRET", "test-secret")
        site.build(today=TODAY)
    return site.pages()


def method(page, name):
    return page.select_one(f'article[data-method="{name}"]')


def code(page, name):
    """A method's QR code: after every way to pay a phone can tap, named for its method."""
    assert method(page, name) is not None, f"no {name} method on the page"
    return page.select_one(f'figure.pay-qr[data-method="{name}"]')


def decoded(page, name) -> bytes:
    return decode_svg(code(page, name).select_one(".qr-box svg")).bytes


def test_order_preferred_first_and_only_methods_for_the_currency(pages):
    names = lambda p: [a["data-method"] for a in p.select("section.pay article")]  # noqa: E731
    assert names(pages["E-1"]) == ["sepa", "paypal", "stripe", "bitcoin", "wise"]
    assert names(pages["I-1"]) == ["stripe", "bitcoin", "wise", "upi"]
    assert names(pages["C-1"]) == ["paypal", "stripe", "wise", "swiss"]
    assert names(pages["U-1"]) == ["paypal", "stripe", "wise", "bank-usd"]
    assert names(pages["N-1"]) == ["paypal", "wise"]


def test_epc_code_on_the_page_decodes_to_the_payload_and_matches_segno(pages):
    code_ = decode_svg(code(pages["E-1"], "sepa").select_one(".qr-box svg"))
    expected = ("BCD\n002\n1\nSCT\nCOBADEFFXXX\nÜnal Жанна Studio\nDE89370400440532013000\n"
                "EUR238.00\n\n\nE-1").encode()
    assert code_.bytes == expected
    assert code_.ec_level == "M" and code_.version <= 13
    theirs, _, _ = segno_epc("Ünal Жанна Studio", "DE89370400440532013000", "238.00",
                             text="E-1", bic="COBADEFFXXX")
    assert theirs == expected.replace(b"EUR238.00", b"EUR238")


def test_primary_pay_action_and_copyable_details_readable_without_javascript(pages):
    page = pages["E-1"]
    button = page.select_one("section.summary .pay-button")
    assert button.get_text(strip=True) == "Pay €238.00"
    assert button["href"] == "#pay-sepa"
    via = page.select_one("section.summary .pay-via")
    assert via.get_text(strip=True) == "Bank transfer (SEPA)"
    details = {d["data-detail"]: (d.select_one(".copy-value").get_text(strip=True),
                                  d.select_one("button.copy")["data-copy"])
               for d in method(page, "sepa").select(".pay-details > div")}
    assert details == {
        "beneficiary": ("Ünal Жанна Studio", "Ünal Жанна Studio"),
        "iban": ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        "bic": ("COBADEFFXXX", "COBADEFFXXX"),
        "amount": ("€238.00", "238.00"),
        "reference": ("E-1", "E-1"),
    }
    # Buttons appear only once the script has found a clipboard; the text is there regardless.
    assert all(b.has_attr("hidden") for b in page.select("button.copy"))
    assert "Scan the code with your banking app" in code(page, "sepa").get_text()
    # The page pulls nothing from elsewhere: one inline script, no external sources.
    assert all(not s.has_attr("src") for s in page.select("script"))
    assert not page.select("[src^=http], link[href^=http]")


def test_pay_section_comes_right_after_the_summary(pages):
    # Side by side with the details on a laptop (.side), one after the other on a phone.
    sections = [s.get("class", [""])[0] for s in pages["E-1"].select("main section")]
    assert sections[sections.index("summary") + 1] == "pay"
    assert [s["class"][0] for s in pages["E-1"].select(".side > section")] == ["summary", "pay"]


def test_link_methods_decode_to_their_links(pages):
    page = pages["E-1"]
    assert decoded(page, "paypal") == b"https://paypal.me/studiolindqvist/238.00EUR"
    stripe = (b"https://buy.stripe.com/test_abc?locale=de&client_reference_id=E-1"
              b"&prefilled_email=jonas%40example.com")
    assert decoded(page, "stripe") == stripe
    assert method(page, "stripe").select_one("a.pay-link")["href"] == stripe.decode()
    assert decoded(page, "bitcoin") == (
        b"bitcoin:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq?amount=0.00264445"
        b"&label=Studio%20Lindqvist&message=E-1")
    assert decoded(page, "wise") == (b"https://wise.example/pay?ref=E-1&amount=238.00&ccy=EUR"
                                     b"&to=jonas%40example.com")


def test_upi_code_decodes_with_non_ascii_payee_encoded(pages):
    assert decoded(pages["I-1"], "upi") == (
        b"upi://pay?pa=studio@okaxis&pn=%C3%9Cnal%20%D0%96%D0%B0%D0%BD%D0%BD%D0%B0&am=238.00"
        b"&cu=INR&tn=I-1")


def test_swiss_qr_bill_decodes_with_structured_address_and_reference(pages):
    data = decoded(pages["C-1"], "swiss").decode("utf-8").split("\r\n")
    assert data[:11] == ["SPC", "0200", "1", "CH9300762011623852957", "S", "Studio Lindqvist",
                         "Bahnhofstrasse", "12", "8001", "Zürich", "CH"]
    assert data[18:20] == ["238.00", "CHF"]
    assert data[27:] == ["SCOR", "RF18539007547034", "C-1", "EPD"]
    assert "Swiss banking app" in code(pages["C-1"], "swiss").get_text()


def test_bank_transfer_has_details_and_no_code(pages):
    art = method(pages["U-1"], "bank-usd")
    assert art.select_one("svg") is None
    shown = [d["data-detail"] for d in art.select(".pay-details > div")]
    assert shown == ["beneficiary", "bank", "account_number", "routing_number", "amount",
                     "reference"]
    assert art.select_one('[data-detail="account_number"] button')["data-copy"] == "00012345678"
    assert art.select_one('[data-detail="bank"] .copy-value').get_text() == "Example Bank"
    assert art.select_one('[data-detail="bank"] button') is None  # read, not pasted


@pytest.mark.parametrize("number", ["P-1", "V-1", "Z-1"])
def test_paid_void_and_methodless_invoices_show_no_pay_action(pages, number):
    page = pages[number]
    assert page.select_one("section.pay") is None
    assert "paypal.me" not in str(page) and "BCD" not in str(page)


@pytest.fixture
def examples(examples_built):
    return examples_built[2]


def test_amount_is_what_is_due_now_never_what_was_paid(examples):
    pages = examples

    def epc_amount(number):
        payload = decoded(pages[number], "sepa")
        assert_epc_matches_segno(payload)
        return payload.split(b"\n")[7]

    assert epc_amount("2026-002") == b"EUR1071.00"  # the deposit, not the total of 3570.00
    assert epc_amount("2026-003") == b"EUR600.00"  # the next installment; the first is paid
    assert epc_amount("2026-004") == b"EUR803.05"  # the balance after 500.00 received
    assert decoded(pages["2026-003"], "paypal") == b"https://paypal.me/studiolindqvist/600.00EUR"
    for number in ("2026-005", "2026-011"):
        assert pages[number].select_one("section.pay") is None


def test_examples_in_russian_and_afrikaans_say_what_to_scan(examples):
    pages = examples
    ru = pages["2026-007"].select_one("section.pay")
    assert "Отсканируйте код в приложении вашего банка" in ru.get_text()
    assert pages["2026-007"].select_one(".pay-button").get_text(strip=True) == \
        "Оплатить 1\xa0290,00\xa0€"
    assert pages["2026-008"].select_one(".pay-via").get_text(strip=True) == "Bankoorplasing"
    af = pages["2026-008"].select_one("section.pay")
    assert af.select_one('[data-detail="branch_code"] .copy-value').get_text() == "250655"
    assert [a["data-method"] for a in af.select("article")] == ["bank-zar", "stripe"]


def test_qr_codes_drawn_afresh_equal_the_first_build_and_none_is_kept_on_disk(site):
    """Encoding a code costs less than reading it back, so the build cache keeps none; a
    build whose codes are all drawn afresh equals the first, byte for byte."""
    from generator.render import qr
    from tests.conftest import tree_snapshot

    site.write("site.toml", SITE_TOML + PAYMENT)
    invoice(site, "E-1")
    site.build()
    clean = tree_snapshot(site.output)
    assert not (site.root / ".remit-cache" / CACHE_FORMAT / "qr").exists()
    shutil.rmtree(site.root / ".remit-cache")
    qr.qr_svg.cache_clear()
    site.build()
    assert tree_snapshot(site.output) == clean


def test_qr_codes_an_earlier_version_kept_on_disk_go_with_its_cache_once_unused_for_days(site):
    from generator.write.cache import INDEX

    site.write("site.toml", SITE_TOML + PAYMENT)
    invoice(site, "E-1")
    site.build()
    folder = site.root / ".remit-cache" / "v1" / "qr"  # the format that kept codes on disk
    folder.mkdir(parents=True)
    (folder / ("a" * 64 + ".txt")).write_text("3\n<svg/>", "utf-8")
    week_ago = time.time() - 7 * 24 * 3600
    for path in (folder, folder.parent):
        os.utime(path, (week_ago, week_ago))
    index = site.root / ".remit-cache" / CACHE_FORMAT / INDEX
    data = json.loads(index.read_bytes())
    data["swept"] = week_ago  # the build cache last looked for leftovers days ago
    index.write_text(json.dumps(data), "utf-8")
    invoice(site, "E-1", tail="[[payments]]\ndate = 2026-11-10\namount = 100.00\n")
    site.build()  # renders again, and so prunes the build cache
    assert not folder.parent.exists()
    assert (site.root / ".remit-cache" / CACHE_FORMAT).is_dir()
