"""E-invoices: the Factur-X XML inside each example's PDF passes the official EN 16931 rules
(XSD and Schematron, run locally), says what the page says, and sits in a PDF/A-3b file
listed once; XRechnung is published beside it; bad input stops the build, located."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from decimal import Decimal

import pypdf
import pytest
from babel.dates import format_date
from facturx import get_xml_from_pdf
from lxml import etree

from generator.errors import RemitError
from generator.figures.units import unit_code
from generator.i18n import translations
from generator.model.invoice import LineItem
from tests.conftest import REPO, SiteDir, tree_snapshot
from tests.einvoice_rules import fired_rules, schematron_failures, xsd_errors

NS = {"rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
      "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
      "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"}
WITH_EINVOICE = {"2026-001", "2026-002", "2026-003", "2026-004", "2026-005", "2026-006",
                 "2026-009"}
XRECHNUNG_ID = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"


def pdfs(site: SiteDir) -> dict[str, bytes]:
    return {p.stem: p.read_bytes() for p in site.output.glob("*/*.pdf")
            if not p.stem.endswith("receipt")}


@pytest.fixture(scope="module")
def embedded(built_examples) -> dict[str, bytes]:
    found = {}
    for number, data in pdfs(built_examples).items():
        name, xml = get_xml_from_pdf(data, check_xsd=False)
        if xml:
            assert name == "factur-x.xml"
            found[number] = xml
    return found


def one(tree, path: str) -> str:
    (value,) = tree.xpath(path, namespaces=NS)
    return value if isinstance(value, str) else value.text


def test_exactly_the_invoices_with_einvoice_on_carry_one(embedded):
    # 2026-007 and 2026-008 say einvoice = false; the void 2026-011 never carries one.
    assert set(embedded) == WITH_EINVOICE


def test_every_embedded_xml_passes_the_en16931_xsd_and_schematron(embedded):
    for number, xml in sorted(embedded.items()):
        assert xsd_errors(xml) == [], number
        assert schematron_failures(xml) == [], number  # errors and warnings alike
        assert fired_rules(xml) > 50, number  # the rules really looked at the file


def amount(text: str) -> Decimal:
    return Decimal(re.sub(r"[^\d.\-]", "", text.replace("−", "-")))


def test_embedded_amounts_dates_parties_and_lines_equal_the_page(embedded, built_examples):
    pages = built_examples.pages()
    for number, xml in embedded.items():
        page, tree = pages[number], etree.fromstring(xml)
        rows = {r.th.get_text(" ", strip=True): amount(r.td.get_text(strip=True))
                for r in page.select("table.totals tr")}
        sums = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"
        assert Decimal(one(tree, sums + "GrandTotalAmount")) == rows["Total"], number
        assert Decimal(one(tree, sums + "LineTotalAmount")) == rows.get("Subtotal",
                                                                        rows["Total"]), number
        assert Decimal(one(tree, sums + "TotalPrepaidAmount")) == rows.get("Paid", 0), number
        assert Decimal(one(tree, sums + "DuePayableAmount")) == rows["Balance due"], number
        taxes = {label: value for label, value in rows.items() if label.startswith("Tax ")}
        for node in tree.xpath("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax",
                               namespaces=NS):
            rate, tax = node.findtext("ram:RateApplicablePercent", namespaces=NS), \
                Decimal(node.findtext("ram:CalculatedAmount", namespaces=NS))
            if tax:
                basis = node.findtext("ram:BasisAmount", namespaces=NS)
                assert taxes.pop(f"Tax {rate}% on €{Decimal(basis):,}") == tax, number
        assert not taxes, number
        text = page.get_text(" ", strip=True)
        for path in ("//rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString",
                     "//ram:DueDateDateTime/udt:DateTimeString"):
            day = dt.datetime.strptime(one(tree, path), "%Y%m%d").date()
            assert format_date(day, "long", locale="en") in text, (number, path)
        for party in ("SellerTradeParty", "BuyerTradeParty"):
            assert one(tree, f"//ram:{party}/ram:Name") in text, number
        items = page.select("table.items tbody tr")
        lines = tree.xpath("//ram:IncludedSupplyChainTradeLineItem", namespaces=NS)
        assert len(items) == len(lines), number
        for row, line in zip(items, lines, strict=True):
            cells = row.find_all(["td", "th"])
            assert line.findtext(".//ram:Name", namespaces=NS) in row.get_text(" ", strip=True)
            assert Decimal(line.findtext(".//ram:LineTotalAmount", namespaces=NS)) == \
                amount(cells[-1].get_text(strip=True)), number


# The schemas PDF/A-3 predefines (XMP 2005, ISO 19005-1 and -3); any other namespace a
# property uses must be declared in a pdfaExtension schema (ISO 19005-3, 6.6.2.3).
PREDEFINED_XMP = {
    "http://purl.org/dc/elements/1.1/", "http://ns.adobe.com/pdf/1.3/",
    "http://ns.adobe.com/xap/1.0/", "http://www.aiim.org/pdfa/ns/id/",
    "http://www.aiim.org/pdfa/ns/extension/", "http://www.aiim.org/pdfa/ns/schema#",
    "http://www.aiim.org/pdfa/ns/property#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}


def undeclared_xmp_schemas(xmp: str) -> set[str]:
    """The namespaces of XMP properties that neither PDF/A predefines nor the file declares."""
    from lxml import etree

    body = xmp[xmp.index("<x:xmpmeta"):xmp.rindex("</x:xmpmeta>") + len("</x:xmpmeta>")]
    tree = etree.fromstring(body.encode())
    rdf = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
    used = set()
    for desc in tree.iter(rdf + "Description"):
        used |= {etree.QName(a).namespace for a in desc.attrib if not a.startswith(rdf)}
        used |= {etree.QName(c).namespace for c in desc}
    declared = {e.text for e in tree.iter("{http://www.aiim.org/pdfa/ns/schema#}namespaceURI")}
    return {ns for ns in used if ns and ns not in PREDEFINED_XMP | declared}


def test_the_pdf_is_pdfa3b_tagged_and_lists_the_xml_once(built_examples, embedded):
    for number, data in pdfs(built_examples).items():
        reader = pypdf.PdfReader(io.BytesIO(data))
        root = reader.trailer["/Root"]
        xmp = root["/Metadata"].get_object().get_data().decode()
        if number not in embedded:
            assert "/AF" not in root and "factur-x" not in xmp, number
            continue
        assert re.search(r'pdfaid:part="3"', xmp) and re.search(r'pdfaid:conformance="B"', xmp)
        assert "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" in xmp
        assert "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>" in xmp
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp and "/StructTreeRoot" in root
        assert not undeclared_xmp_schemas(xmp), number
        af = root["/AF"]
        names = root["/Names"]["/EmbeddedFiles"]["/Names"]
        assert len(af) == 1 and names[0] == "factur-x.xml" and len(names) == 2, number
        assert af[0].idnum == names[1].idnum, number
        spec = af[0].get_object()
        assert spec["/AFRelationship"] == "/Alternative"
        assert spec["/EF"]["/F"].get_object().get_data() == embedded[number]


def test_the_xrechnung_is_published_beside_the_pdf_and_linked(built_examples, embedded):
    (path,) = built_examples.output.glob("*/2026-006-xrechnung.xml")
    page = built_examples.pages()["2026-006"]
    assert page.select_one(".xrechnung-download a")["href"] == "2026-006-xrechnung.xml"
    xml = path.read_bytes()
    tree = etree.fromstring(xml)
    assert one(tree, "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID") == XRECHNUNG_ID
    assert one(tree, "//ram:BuyerReference") == "BERG-2026-0042"
    # XRechnung's own musts (BR-DE-1, -2, -5, -6, -7, BT-34, BT-49), checked here: no KoSIT
    # rule set can be installed from a package registry.
    seller = "//ram:SellerTradeParty/ram:DefinedTradeContact/ram:"
    assert one(tree, seller + "PersonName")
    assert one(tree, seller + "TelephoneUniversalCommunication/ram:CompleteNumber")
    assert one(tree, seller + "EmailURIUniversalCommunication/ram:URIID")
    for party in ("SellerTradeParty", "BuyerTradeParty"):
        assert tree.xpath(f"//ram:{party}/ram:URIUniversalCommunication/ram:URIID"
                          "[@schemeID='EM']", namespaces=NS), party
        for field in ("PostcodeCode", "CityName"):
            assert one(tree, f"//ram:{party}/ram:PostalTradeAddress/ram:{field}")
    assert one(tree, "//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode") == "58"
    assert one(tree, "//ram:PayeePartyCreditorFinancialAccount/ram:IBANID").startswith("DE89")
    # The EN 16931 rules (the Factur-X Schematron knows only its own guideline ids).
    assert xsd_errors(xml) == []
    plain = xml.replace(XRECHNUNG_ID.encode(), b"urn:cen.eu:en16931:2017")
    assert schematron_failures(plain) == []
    # Same figures as the PDF's XML.
    facturx = etree.fromstring(embedded["2026-006"])
    sums = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation"
    assert etree.tostring(tree.xpath(sums, namespaces=NS)[0]) == \
        etree.tostring(facturx.xpath(sums, namespaces=NS)[0])


def test_the_page_says_the_pdf_carries_an_einvoice_in_the_clients_language(built_examples):
    pages = built_examples.pages()
    for number, page in pages.items():
        note = page.select_one(".einvoice-note")
        assert (note is not None) == (number in WITH_EINVOICE), number
    text = "This PDF contains an e-invoice (Factur-X / ZUGFeRD)."
    theme = REPO / "themes" / "default"
    assert translations(theme, "ru").gettext(text) == \
        "Этот PDF содержит электронный счёт (Factur-X / ZUGFeRD)."
    assert translations(theme, "af").gettext(text) == \
        "Hierdie PDF bevat ’n e-faktuur (Factur-X / ZUGFeRD)."


def item(unit: str | None, code: str | None = None) -> LineItem:
    return LineItem("x", Decimal(1), unit, Decimal(1), Decimal(0), Decimal(0), code)


def test_units_map_to_recommendation_20_codes():
    assert [unit_code(item(u)) for u in ("hour", "Hours", "day", "month", "km", None, "ч")] \
        == ["HUR", "HUR", "DAY", "MON", "KMT", "C62", "HUR"]
    assert unit_code(item("bushel")) is None
    assert unit_code(item("bushel", "BLL")) == "BLL"


# -- a small site of our own: determinism and bad input ---------------------------------------
EINVOICE_SITE = """\
einvoice = "factur-x"

[seller]
name = "Anna Lindqvist"
company = "Studio Lindqvist"
address = "Lindenstraße 12\\n10969 Berlin"
country = "DE"
tax_id = "DE123456789"
email = "billing@studio.example"
phone = "+49 30 1234 5678"

[payment.sepa]
beneficiary = "Anna Lindqvist"
iban = "DE89 3704 0044 0532 0130 00"
"""

GOOD = """\
+++
number = "E-1"
issued = 2026-11-01
due = 2026-11-30
delivered = 2026-10-30

[client]
company = "Weber Bäckerei GmbH"
address = "Bergmannstraße 5\\n10961 Berlin"
country = "DE"
email = "jonas@example.com"
tax_id = "DE987654321"
buyer_reference = "04011000-12345-67"

[[items]]
description = "Work"
quantity = 3.5
unit = "hour"
unit_price = 85.00
tax_rate = 19
discount = 5

[[items]]
description = "Handbook"
quantity = 3
unit = "copy"
unit_price = 24.90
tax_rate = 7

[discount]
amount = 20.00
+++
Thanks!
"""


@pytest.fixture
def esite(site: SiteDir) -> SiteDir:
    toml = (site.root / "site.toml").read_text("utf-8")
    head, _, _ = toml.partition("[seller]")
    site.write("site.toml", head + EINVOICE_SITE)
    return site


def test_einvoice_pdfs_are_byte_identical_across_builds_and_folders(esite, tmp_path):
    esite.invoice("e-1.md", GOOD.replace('issued', 'einvoice = "xrechnung"\nissued'))
    other = tmp_path / "elsewhere" / "site"
    shutil.copytree(esite.root, other)
    esite.build(pdf=True, jobs=1)
    second = SiteDir(other, fresh=False)
    second.build(pdf=True, jobs=1)
    a, b = tree_snapshot(esite.output), tree_snapshot(second.output)
    assert a == b and any(n.endswith("-xrechnung.xml") for n in a)
    (pdf,) = [v for n, v in a.items() if n.endswith("E-1.pdf")]
    _, xml = get_xml_from_pdf(pdf, check_xsd=False)
    assert xsd_errors(xml) == [] and schematron_failures(xml) == []
    tree = etree.fromstring(xml)
    # A line discount and a document allowance per VAT rate (the discount's shares).
    assert len(tree.xpath("//ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge",
                          namespaces=NS)) == 1
    assert len(tree.xpath("//ram:ApplicableHeaderTradeSettlement/"
                          "ram:SpecifiedTradeAllowanceCharge", namespaces=NS)) == 2


@pytest.mark.parametrize("change, file, field, words", [
    (lambda s, i: (s.replace('country = "DE"\ntax_id', 'tax_id'), i),
     "site.toml", "seller.country", "BR-09"),
    (lambda s, i: (s, i.replace('address = "Bergmannstraße 5\\n10961 Berlin"\n', "")),
     "content/e-1.md", "client.address", "BR-10"),
    (lambda s, i: (s, i.replace('tax_id = "DE987654321"\n', "").replace(
        "tax_rate = 19", 'tax_rate = 0').replace("tax_rate = 7", "tax_rate = 0").replace(
        "delivered", 'zero_rate_reason = "reverse-charge"\ndelivered')),
     "content/e-1.md", "zero_rate_reason", "VAT number"),
    (lambda s, i: (s, i.replace('unit = "copy"', 'unit = "bushel"')),
     "content/e-1.md", "items[1].unit", "unit_code"),
    (lambda s, i: (s, i.replace('buyer_reference = "04011000-12345-67"\n', "").replace(
        "issued", 'einvoice = "xrechnung"\nissued')),
     "content/e-1.md", "client.buyer_reference", "BR-DE-15"),
    (lambda s, i: (s, i.replace("issued", 'currency = "KWD"\nissued')),
     "content/e-1.md", "currency", "BR-DEC"),
])
def test_bad_input_is_a_located_error_and_nothing_is_written(esite, change, file, field,
                                                            words):
    toml, text = change((esite.root / "site.toml").read_text("utf-8"), GOOD)
    esite.write("site.toml", toml)
    esite.invoice("e-1.md", text)
    with pytest.raises(RemitError) as caught:
        esite.build(pdf=False)
    found = [p for p in caught.value.problems if p.field == field]
    assert found, caught.value.problems
    assert found[0].file == file and found[0].line is not None and words in found[0].message
    assert not esite.output.exists()


def test_payment_terms_state_what_the_printed_letter_states(embedded, built_examples):
    """BT-20 leads with the letter's own sentences for the build day: an early-payment price
    or a part due first reaches the importing software in the PDF's words."""
    files = pdfs(built_examples)
    for number, xml in embedded.items():
        terms = etree.fromstring(xml).xpath(
            "//ram:SpecifiedTradePaymentTerms/ram:Description/text()", namespaces=NS)
        printed = " ".join(" ".join(p.extract_text() for p in
                                    pypdf.PdfReader(io.BytesIO(files[number])).pages).split())
        if number == "2026-005":  # paid: nothing is asked for, so nothing is said
            assert not terms or "due" not in terms[0], number
            continue
        first = terms[0].split(". ")[0].rstrip(".")
        assert " due " in first or "if paid by" in first, (number, first)
        assert first in printed, (number, first)
    assert "if paid by" in "".join(etree.fromstring(embedded["2026-009"]).xpath(
        "//ram:SpecifiedTradePaymentTerms/ram:Description/text()", namespaces=NS))
