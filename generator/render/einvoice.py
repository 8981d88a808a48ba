"""E-invoice bytes: the Cross Industry Invoice XML of view/einvoice.py, and what a PDF needs
to carry it as Factur-X (the XMP metadata, and a finisher that lists the attachment once).

The XML is written with lxml, in the order the CII D16B schema requires; every value comes
from the view. The same view with the XRechnung guideline id is the standalone XRechnung.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from lxml import etree

from generator.figures.en16931 import Address
from generator.view.einvoice import EInvoiceView, PartyView

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NSMAP = {"rsm": RSM, "qdt": QDT, "ram": RAM, "udt": UDT}

FACTURX_NAME = "factur-x.xml"
FX_URN = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
# The attachment's dates: fixed, so the PDF's bytes depend on nothing but the invoice.
ATTACHMENT_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


# What XML 1.0 cannot hold at all (the page shows such characters escaped; the XML drops them).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _el(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
    prefix, name = tag.split(":")
    node = etree.SubElement(parent, f"{{{NSMAP[prefix]}}}{name}", attrs)
    if text is not None:
        node.text = NOT_XML.sub("", text)
    return node


def _date(parent: Any, tag: str, value: str) -> None:
    _el(_el(parent, tag), "udt:DateTimeString", value, format="102")


def _address(parent: Any, a: Address) -> None:
    address = _el(parent, "ram:PostalTradeAddress")
    if a.postcode:
        _el(address, "ram:PostcodeCode", a.postcode)
    for tag, line in zip(("ram:LineOne", "ram:LineTwo", "ram:LineThree"), a.lines,
                         strict=False):
        _el(address, tag, line)
    if a.city:
        _el(address, "ram:CityName", a.city)
    _el(address, "ram:CountryID", a.country or "")


def _party(parent: Any, tag: str, p: PartyView) -> None:
    node = _el(parent, tag)
    _el(node, "ram:Name", p.name)
    if p.legal_id:
        _el(_el(node, "ram:SpecifiedLegalOrganization"), "ram:ID", p.legal_id)
    if p.contact or p.phone:
        contact = _el(node, "ram:DefinedTradeContact")
        if p.contact:
            _el(contact, "ram:PersonName", p.contact)
        if p.phone:
            _el(_el(contact, "ram:TelephoneUniversalCommunication"), "ram:CompleteNumber",
                p.phone)
        if p.email:
            _el(_el(contact, "ram:EmailURIUniversalCommunication"), "ram:URIID", p.email)
    _address(node, p.address)
    if p.email:
        _el(_el(node, "ram:URIUniversalCommunication"), "ram:URIID", p.email, schemeID="EM")
    if p.vat_id:
        _el(_el(node, "ram:SpecifiedTaxRegistration"), "ram:ID", p.vat_id, schemeID="VA")
    if p.tax_number:
        _el(_el(node, "ram:SpecifiedTaxRegistration"), "ram:ID", p.tax_number, schemeID="FC")


def _tax(parent: Any, category: str, rate: str) -> None:
    _el(parent, "ram:TypeCode", "VAT")
    _el(parent, "ram:CategoryCode", category)
    if category != "O":  # BR-O-05: no rate when not subject to VAT
        _el(parent, "ram:RateApplicablePercent", rate)


def cii_xml(v: EInvoiceView) -> bytes:
    """The invoice as a CII XML document (UTF-8, with declaration)."""
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=NSMAP)
    context = _el(root, "rsm:ExchangedDocumentContext")
    if v.process:
        _el(_el(context, "ram:BusinessProcessSpecifiedDocumentContextParameter"), "ram:ID",
            v.process)
    _el(_el(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", v.guideline)
    doc = _el(root, "rsm:ExchangedDocument")
    _el(doc, "ram:ID", v.number)
    _el(doc, "ram:TypeCode", "380")
    _date(doc, "ram:IssueDateTime", v.issued)
    for note in v.notes:
        _el(_el(doc, "ram:IncludedNote"), "ram:Content", note)
    trade = _el(root, "rsm:SupplyChainTradeTransaction")
    for ln in v.lines:
        item = _el(trade, "ram:IncludedSupplyChainTradeLineItem")
        _el(_el(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", ln.id)
        _el(_el(item, "ram:SpecifiedTradeProduct"), "ram:Name", ln.name)
        _el(_el(_el(item, "ram:SpecifiedLineTradeAgreement"), "ram:NetPriceProductTradePrice"),
            "ram:ChargeAmount", ln.price)
        _el(_el(item, "ram:SpecifiedLineTradeDelivery"), "ram:BilledQuantity", ln.quantity,
            unitCode=ln.unit_code)
        settle = _el(item, "ram:SpecifiedLineTradeSettlement")
        _tax(_el(settle, "ram:ApplicableTradeTax"), ln.category, ln.rate)
        if ln.allowance:
            charge = _el(settle, "ram:SpecifiedTradeAllowanceCharge")
            _el(_el(charge, "ram:ChargeIndicator"), "udt:Indicator", "false")
            _el(charge, "ram:CalculationPercent", ln.allowance_percent)
            _el(charge, "ram:BasisAmount", ln.gross)
            _el(charge, "ram:ActualAmount", ln.allowance)
            _el(charge, "ram:ReasonCode", "95")  # UNTDID 5189: discount
            _el(charge, "ram:Reason", "Discount")
        _el(_el(settle, "ram:SpecifiedTradeSettlementLineMonetarySummation"),
            "ram:LineTotalAmount", ln.net)
    agreement = _el(trade, "ram:ApplicableHeaderTradeAgreement")
    if v.buyer_reference:
        _el(agreement, "ram:BuyerReference", v.buyer_reference)
    _party(agreement, "ram:SellerTradeParty", v.seller)
    _party(agreement, "ram:BuyerTradeParty", v.buyer)
    if v.order:
        _el(_el(agreement, "ram:BuyerOrderReferencedDocument"), "ram:IssuerAssignedID",
            v.order)
    delivery = _el(trade, "ram:ApplicableHeaderTradeDelivery")
    if v.ship_to:
        ship = _el(delivery, "ram:ShipToTradeParty")
        _el(ship, "ram:Name", v.buyer.name)
        _address(ship, v.buyer.address)
    if v.delivered:
        _date(_el(delivery, "ram:ActualDeliverySupplyChainEvent"), "ram:OccurrenceDateTime",
              v.delivered)
    settlement = _el(trade, "ram:ApplicableHeaderTradeSettlement")
    _el(settlement, "ram:PaymentReference", v.payment_reference)
    _el(settlement, "ram:InvoiceCurrencyCode", v.currency)
    if v.means:
        code, iban, other, holder, bic = v.means
        means = _el(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        _el(means, "ram:TypeCode", code)
        account = _el(means, "ram:PayeePartyCreditorFinancialAccount")
        if iban:
            _el(account, "ram:IBANID", iban)
        if holder:
            _el(account, "ram:AccountName", holder)
        if other:
            _el(account, "ram:ProprietaryID", other)
        if bic:
            _el(_el(means, "ram:PayeeSpecifiedCreditorFinancialInstitution"), "ram:BICID", bic)
    for category, rate, basis, tax, reason, reason_code in v.taxes:
        node = _el(settlement, "ram:ApplicableTradeTax")
        _el(node, "ram:CalculatedAmount", tax)
        _el(node, "ram:TypeCode", "VAT")
        if reason:
            _el(node, "ram:ExemptionReason", reason)
        _el(node, "ram:BasisAmount", basis)
        _el(node, "ram:CategoryCode", category)
        if reason_code:
            _el(node, "ram:ExemptionReasonCode", reason_code)
        if category != "O":
            _el(node, "ram:RateApplicablePercent", rate)
    if v.period:
        period = _el(settlement, "ram:BillingSpecifiedPeriod")
        _date(period, "ram:StartDateTime", v.period[0])
        _date(period, "ram:EndDateTime", v.period[1])
    for amount, reason, category, rate in v.allowances:
        charge = _el(settlement, "ram:SpecifiedTradeAllowanceCharge")
        _el(_el(charge, "ram:ChargeIndicator"), "udt:Indicator", "false")
        _el(charge, "ram:ActualAmount", amount)
        _el(charge, "ram:ReasonCode", "95")
        _el(charge, "ram:Reason", reason)
        _tax(_el(charge, "ram:CategoryTradeTax"), category, rate)
    terms = _el(settlement, "ram:SpecifiedTradePaymentTerms")
    if v.terms:
        _el(terms, "ram:Description", v.terms)
    _date(terms, "ram:DueDateDateTime", v.due)
    sums = _el(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(sums, "ram:LineTotalAmount", v.line_total)
    if v.allowance_total:
        _el(sums, "ram:AllowanceTotalAmount", v.allowance_total)
    _el(sums, "ram:TaxBasisTotalAmount", v.tax_basis)
    _el(sums, "ram:TaxTotalAmount", v.tax_total, currencyID=v.currency)
    _el(sums, "ram:GrandTotalAmount", v.grand_total)
    _el(sums, "ram:TotalPrepaidAmount", v.prepaid)
    _el(sums, "ram:DuePayableAmount", v.due_amount)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# -- inside the PDF ---------------------------------------------------------------------------
# The Factur-X extension schema (Factur-X 1.0, section 6.2.3), declared as PDF/A requires of
# any XMP property outside its own schemas, and the PDF/UA identification the tagged invoice
# keeps while it is PDF/A-3b: ISO 14289's pdfuaid is not one of PDF/A's predefined schemas
# either (ISO 19005-3, 6.6.2.3), so it is declared the same way.
PDFUA = """<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
"""
XMP = """<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
{pdfua}<rdf:Description rdf:about=""
 xmlns:fx="{urn}">
<fx:DocumentType>INVOICE</fx:DocumentType>
<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>
<fx:Version>1.0</fx:Version>
<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag>
<rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>{urn}</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>fx</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq>
{properties}</rdf:Seq></pdfaSchema:property>
</rdf:li>
{pdfua_schema}</rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
</rdf:RDF>"""


FX_PROPERTIES = (
    ("DocumentFileName", "The name of the embedded XML document"),
    ("DocumentType", "The type of the hybrid document in capital letters, e.g. INVOICE"),
    ("Version", "The actual version of the standard applying to the embedded XML document"),
    ("ConformanceLevel", "The conformance level of the embedded XML document"),
)
PDFUA_SCHEMA = """<rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq>
<rdf:li rdf:parseType="Resource"><pdfaProperty:name>part</pdfaProperty:name>\
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\
<pdfaProperty:category>internal</pdfaProperty:category>\
<pdfaProperty:description>Indicates which part of ISO 14289 the document conforms to\
</pdfaProperty:description></rdf:li>
</rdf:Seq></pdfaSchema:property>
</rdf:li>
"""
PROPERTY = ('<rdf:li rdf:parseType="Resource"><pdfaProperty:name>{0}</pdfaProperty:name>'
            "<pdfaProperty:valueType>Text</pdfaProperty:valueType>"
            "<pdfaProperty:category>external</pdfaProperty:category>"
            "<pdfaProperty:description>{1}</pdfaProperty:description></rdf:li>\n")


def xmp(tagged: bool) -> Any:
    """The Factur-X XMP (and PDF/UA-1's, for a tagged PDF) as WeasyPrint takes it."""
    text = XMP.replace("{pdfua}", PDFUA if tagged else "").replace("{urn}", FX_URN) \
        .replace("{pdfua_schema}", PDFUA_SCHEMA if tagged else "") \
        .replace("{properties}", "".join(PROPERTY.format(*p) for p in FX_PROPERTIES))
    return io.BytesIO(text.encode())


def attachment(xml: bytes) -> Any:
    """The XML as WeasyPrint's attachment: named factur-x.xml, related to the PDF as its
    Alternative (Factur-X 1.0, the EN 16931 profile), with fixed dates."""
    import weasyprint

    return weasyprint.Attachment(string=xml, name=FACTURX_NAME, relationship="Alternative",
                                 description="Factur-X invoice (EN 16931)",
                                 created=ATTACHMENT_TIME, modified=ATTACHMENT_TIME)


def list_once(document: Any, pdf: Any) -> None:
    """A write_pdf finisher: WeasyPrint 70 puts each attachment into the catalog's /AF twice
    (once from the EmbeddedFiles name tree, once from the Filespec; upstream issue 2917).
    Keep each reference once, in its first place, before the file is written."""
    refs = pdf.catalog.get("AF")
    if refs is None:
        return
    seen: list[Any] = []
    for ref in refs:
        if ref not in seen:
            seen.append(ref)
    refs[:] = seen
