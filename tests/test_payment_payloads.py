"""Payment payloads as pure functions: each standard's bytes, checked against the standard
and, for EPC, against segno's independent implementation."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.model.payment import Method
from generator.payments import bitcoin, link, paypal, sepa, stripe, upi
from generator.payments.base import Context, PaymentError, plain_amount
from generator.render.qr import qr_svg
from tests.qrdecode import assert_epc_matches_segno, decode_svg, segno_epc

IBAN = "DE89370400440532013000"


def ctx(amount: str = "1800.00", currency: str = "EUR", number: str = "2026-001",
        email: str | None = "jonas@example.com", seller: str = "Studio Lindqvist") -> Context:
    return Context(number, Decimal(amount), currency, seller, email)


def segno_normalised(payload: bytes) -> bytes:
    """Our payload with segno's one documented difference applied (amount's zeros dropped)."""
    lines = payload.split(b"\n")
    amount = lines[7].decode()
    lines[7] = (amount.rstrip("0").rstrip(".") if "." in amount else amount).encode()
    return b"\n".join(lines)


def test_epc_payload_line_by_line():
    data = sepa.payload("Anna Lindqvist", IBAN, Decimal("1800.00"), "COBADEFFXXX",
                       text="2026-001")
    assert data.split(b"\n") == [b"BCD", b"002", b"1", b"SCT", b"COBADEFFXXX",
                                 b"Anna Lindqvist", IBAN.encode(), b"EUR1800.00", b"", b"",
                                 b"2026-001"]


@pytest.mark.parametrize("name, amount, text, reference, bic", [
    ("Anna Lindqvist", "1800.00", "2026-001", None, "COBADEFFXXX"),
    ("Ünal Yılmaz", "0.01", "R/2026 7", None, None),
    ("Жанна Петрова", "999999999.99", None, "RF18539007547034", "COBADEFF"),
    ("Łukasz Ćwik & Söhne", "12.30", "x" * 140, None, None),
])
def test_epc_matches_segno_and_decodes_at_level_m_version_13_or_less(name, amount, text,
                                                                     reference, bic):
    ours = sepa.payload(name, IBAN, Decimal(amount), bic, reference=reference, text=text)
    theirs, level, version = segno_epc(name, IBAN, amount, text=text, reference=reference,
                                       bic=bic)
    assert segno_normalised(ours) == theirs
    assert level == "M" and version <= 13
    decoded = decode_svg(BeautifulSoup(qr_svg(ours).svg, "html.parser").svg)
    assert decoded.bytes == ours
    assert decoded.ec_level == "M" and decoded.version <= 13
    assert ours.split(b"\n")[2] == b"1" and ours.decode("utf-8")  # UTF-8 declared and used


@settings(max_examples=30, deadline=None)
@given(name=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
                    min_size=1, max_size=70).filter(lambda s: s.strip() == s),
       cents=st.integers(min_value=1, max_value=99_999_999_999))
def test_epc_any_name_and_amount_round_trips_or_is_refused(name, cents):
    amount = Decimal(cents).scaleb(-2)
    try:
        data = sepa.payload(name, IBAN, amount, text="2026-001")
    except PaymentError as exc:
        assert "331" in exc.message
        return
    assert len(data) <= 331
    assert qr_svg(data).version <= 13
    assert data.split(b"\n")[7] == f"EUR{amount:.2f}".encode()
    assert data.decode("utf-8").split("\n")[5] == name
    assert_epc_matches_segno(data)


def test_epc_limits():
    with pytest.raises(PaymentError, match="at most 70"):
        sepa.payload("A" * 71, IBAN, Decimal(1), text="x")
    with pytest.raises(PaymentError, match="at most 140"):
        sepa.payload("A", IBAN, Decimal(1), text="x" * 141)
    with pytest.raises(PaymentError, match=r"0\.01 to 999999999\.99"):
        sepa.payload("A", IBAN, Decimal("1000000000.00"), text="x")
    with pytest.raises(PaymentError, match="single line"):
        sepa.payload("Anna\nLindqvist", IBAN, Decimal(1), text="x")
    with pytest.raises(PaymentError, match="331"):
        sepa.payload("𝄞" * 70, IBAN, Decimal(1), text="x" * 60)


def test_paypal_link_carries_amount_and_currency():
    m = Method("paypal", "paypal", {"handle": "studiolindqvist"})
    assert paypal.offer(m, ctx("1800.00")).link == "https://paypal.me/studiolindqvist/1800.00EUR"
    assert paypal.offer(m, ctx("5000", "JPY")).link == "https://paypal.me/studiolindqvist/5000JPY"


def test_stripe_link_gets_reference_and_email_appended_to_its_own_query():
    m = Method("stripe", "stripe", {"link": "https://buy.stripe.com/test_x?locale=de"})
    o = stripe.offer(m, ctx(number="2026/7 A", email="jonas+bills@example.com"))
    assert o.link == ("https://buy.stripe.com/test_x?locale=de&client_reference_id=2026-7-A"
                      "&prefilled_email=jonas%2Bbills%40example.com")
    assert stripe.offer(m, ctx(email=None)).link.endswith("client_reference_id=2026-001")


def test_upi_link_url_encodes_non_ascii_names():
    m = Method("upi", "upi", {"vpa": "studio@okaxis", "beneficiary": "Ünal Жанна"})
    o = upi.offer(m, ctx("2500.50", "INR", number="INV 7"))
    assert o.link == ("upi://pay?pa=studio@okaxis&pn=%C3%9Cnal%20%D0%96%D0%B0%D0%BD%D0%BD%D0%B0"
                      "&am=2500.50&cu=INR&tn=INV%207")


def test_bitcoin_amount_from_owner_rate_rounded_up_to_the_satoshi():
    m = Method("bitcoin", "bitcoin", {"address": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
                                      "rates": {"EUR": Decimal("90000")},
                                      "beneficiary": "Жанна Ünal"})
    o = bitcoin.offer(m, ctx("238.00"))
    assert o.link == ("bitcoin:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq?amount=0.00264445"
                      "&label=%D0%96%D0%B0%D0%BD%D0%BD%D0%B0%20%C3%9Cnal&message=2026-001")
    assert bitcoin.btc_amount(Decimal("90000"), Decimal("90000")) == "1"
    assert bitcoin.btc_amount(Decimal("45000"), Decimal("90000")) == "0.5"


def test_url_template_fills_and_encodes_each_placeholder():
    m = Method("wise", "link", {"url": "https://pay.example/{number}?a={amount}&c={currency}"
                                       "&e={email}&literal={{x}}"})
    o = link.offer(m, ctx("10.5", number="2026/7 Ü", email="a+b@example.com"))
    assert o.link == ("https://pay.example/2026%2F7%20%C3%9C?a=10.50&c=EUR"
                      "&e=a%2Bb%40example.com&literal={x}")


def test_url_template_can_go_without_a_qr_code():
    m = Method("shop", "link", {"url": "https://shop.example/{number}", "qr": False})
    o = link.offer(m, ctx())
    assert o.link == "https://shop.example/2026-001" and o.qr is None


def test_url_template_rejects_unknown_or_formatted_placeholders():
    with pytest.raises(ValueError, match=r"unknown placeholder \{invoice\}"):
        link.placeholders("https://x.example/{invoice}")
    with pytest.raises(ValueError, match="takes no format"):
        link.placeholders("https://x.example/{amount:.2f}")
    assert link.placeholders("https://x.example/{number}/{{literal}}") == ["number"]


def test_plain_amount_follows_the_currency_minor_units():
    assert plain_amount(Decimal("1800"), "EUR") == "1800.00"
    assert plain_amount(Decimal("5000"), "JPY") == "5000"
    assert plain_amount(Decimal("1.5"), "KWD") == "1.500"


def test_qr_svg_is_one_dark_path_with_no_ids_and_deterministic():
    a = qr_svg(b"https://paypal.me/x/1.00EUR").svg
    qr_svg.cache_clear()
    assert qr_svg(b"https://paypal.me/x/1.00EUR").svg == a
    svg = BeautifulSoup(a, "html.parser").svg
    assert [p["fill"] for p in svg.find_all("path")] == ["#fff", "#000"]
    assert " id=" not in a and "svg:" not in a
    assert re.fullmatch(r"(M\d+ \d+h\d+v1h-\d+z)+", svg.find_all("path")[1]["d"])
