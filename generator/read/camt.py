"""ISO 20022 camt.053 (statement) and camt.054 (notification), versions 02 to 08, as lines.

Each version has its own namespace (`urn:iso:std:iso:20022:tech:xsd:camt.053.001.08`), so
elements are matched on their local names. An entry (`Ntry`) holds one transaction, several
(`TxDtls`: a batch booking) or none; the text may be split over several `Ustrd`; a structured
reference sits in `Strd/CdtrRefInf/Ref`. Downloaded files are hostile: no entities, no DTDs,
no network.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from lxml import etree

from generator.errors import Problem, RemitError
from generator.model.statement import Line

NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.05([34])\.001\.0([2-8])")
BODY = {"3": ("BkToCstmrStmt", "Stmt"), "4": ("BkToCstmrDbtCdtNtfctn", "Ntfctn")}
RETURN_CODES = ("RRTN", "RPCR", "RVSL")  # bank transaction sub-families of returns/reversals


class _Bad(Exception):
    def __init__(self, el: etree._Element, message: str) -> None:
        super().__init__(message)
        self.el = el
        self.message = message


def read_camt(data: bytes, rel: str) -> list[Line]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise RemitError([Problem(rel, line, None, f"malformed XML: {exc.msg}")]) from None
    namespace = etree.QName(root).namespace or ""
    m = NAMESPACE.fullmatch(namespace)
    if etree.QName(root).localname != "Document" or m is None:
        raise RemitError([Problem(rel, root.sourceline, None,
                                  f"not a camt.053 or camt.054 statement: the root element is "
                                  f"<{etree.QName(root).localname}> in namespace "
                                  f"{namespace or '(none)'}; expected <Document> in "
                                  "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02 ... .08 or "
                                  "camt.054.001.02 ... .08")])
    global _NS
    _NS = "{" + namespace + "}"
    body_name, report_name = BODY[m.group(1)]
    body = _find(root, body_name)
    if body is None:
        raise RemitError([Problem(rel, root.sourceline, "Document",
                                  f"camt.05{m.group(1)} without its <{body_name}> element")])
    lines: list[Line] = []
    problems: list[Problem] = []
    for report in _findall(body, report_name):
        for entry in _findall(report, "Ntry"):
            try:
                lines.extend(_entry(entry, rel))
            except _Bad as bad:
                problems.append(Problem(rel, bad.el.sourceline, _path(bad.el), bad.message))
    if problems:
        raise RemitError(problems)
    return lines


_NS = ""  # the document's namespace as lxml writes it in tags: "{urn:...camt.053.001.08}"

Index = dict[str, list[etree._Element]]


def _index(el: etree._Element, skip: str = "", prefix: str = "", out: Index | None = None
           ) -> Index:
    """Every element below `el` by its path of local names ("Refs/EndToEndId"), in one walk:
    an entry is looked up some twenty times, and ElementPath would walk it each time."""
    out = {} if out is None else out
    cut = len(_NS)
    for child in el:  # comments and processing instructions were left out when parsing
        path = prefix + child.tag[cut:]
        if path == skip:
            continue
        out.setdefault(path, []).append(child)
        _index(child, skip, path + "/", out)
    return out


def _find(el: etree._Element | None, path: str) -> etree._Element | None:
    for name in path.split("/"):
        if el is None:
            return None
        el = next(el.iterchildren(_NS + name), None)
    return el


def _findall(el: etree._Element | None, name: str) -> list[etree._Element]:
    return [] if el is None else list(el.iterchildren(_NS + name))


def _path(el: etree._Element) -> str:
    names = []
    node: etree._Element | None = el
    while node is not None and etree.QName(node).localname not in ("Stmt", "Ntfctn"):
        names.append(etree.QName(node).localname)
        node = node.getparent()
    return "/".join(reversed(names))


def _amount(idx: Index, path: str) -> tuple[Decimal, str] | None:
    found = idx.get(path)
    if not found:
        return None
    el, what = found[0], path
    try:
        value = Decimal((el.text or "").strip())
    except InvalidOperation:
        raise _Bad(el, f"{what} is not a number (got {el.text!r}); expected one such as "
                       "1800.00") from None
    ccy = el.get("Ccy")
    if not value.is_finite() or value < 0 or not ccy or not re.fullmatch(r"[A-Z]{3}", ccy):
        raise _Bad(el, f"{what} must be a positive amount with a Ccy attribute such as "
                       f"<Amt Ccy=\"EUR\">1800.00</Amt> (got {el.text!r}, Ccy={ccy!r})")
    return value, ccy


def _date(entry: etree._Element, idx: Index) -> dt.date:
    for path in ("BookgDt/Dt", "BookgDt/DtTm", "ValDt/Dt", "ValDt/DtTm"):
        if path in idx:
            el = idx[path][0]
            try:
                return dt.date.fromisoformat((el.text or "").strip()[:10])
            except ValueError:
                raise _Bad(el, f"not a date (got {el.text!r}); expected 2026-03-02") from None
    raise _Bad(entry, "entry without a booking date (BookgDt) or value date (ValDt)")


def _text(idx: Index, path: str) -> str | None:
    found = idx.get(path)
    value = found[0].text if found else None
    return value.strip() if value and value.strip() else None


def _texts(idx: Index, path: str) -> tuple[str, ...]:
    return tuple(el.text.strip() for el in idx.get(path, ()) if el.text and el.text.strip())


def _entry(entry: etree._Element, rel: str) -> list[Line]:
    e = _index(entry, skip="NtryDtls")
    amount = _amount(e, "Amt")
    if amount is None:
        raise _Bad(entry, "entry without its amount (Amt)")
    indicator = _text(e, "CdtDbtInd")
    if indicator not in ("CRDT", "DBIT"):
        raise _Bad(entry, f"CdtDbtInd must be CRDT or DBIT (got {indicator!r})")
    status = _text(e, "Sts/Cd") or _text(e, "Sts") or "BOOK"
    date = _date(entry, e)
    reversal = (_text(e, "RvslInd") or "").lower() == "true"
    family = _text(e, "BkTxCd/Domn/Fmly/SubFmlyCd")
    entry_id = _text(e, "AcctSvcrRef") or _text(e, "NtryRef")
    details = [tx for d in _findall(entry, "NtryDtls") for tx in _findall(d, "TxDtls")]
    empty: Index = {}
    extra = _text(e, "AddtlNtryInf")
    lines = []
    for n, tx in enumerate(details or [None], 1):
        where = tx if tx is not None else entry
        t = _index(tx) if tx is not None else empty
        w = t if tx is not None else e  # where the remittance information is
        tx_amount = _amount(t, "Amt") or _amount(t, "AmtDtls/TxAmt/Amt")
        unclear = None
        if tx_amount is None:
            if len(details) > 1:
                unclear = (f"a batch booking of {len(details)} transactions without their "
                           "own amounts")
            tx_amount = amount
        instructed = _amount(t, "AmtDtls/InstdAmt/Amt")
        tx_indicator = _text(t, "CdtDbtInd") or indicator
        parts = _texts(w, "RmtInf/Ustrd") + _texts(w, "RmtInf/Strd/AddtlRmtInf")
        if not parts and extra:
            parts = (extra,)
        e2e = _text(t, "Refs/EndToEndId")
        own_id = _text(t, "Refs/AcctSvcrRef")
        line_id = own_id or (f"{entry_id}/{n}" if entry_id and len(details) > 1 else entry_id)
        payer = (_text(t, "RltdPties/Dbtr/Nm") or _text(t, "RltdPties/Dbtr/Pty/Nm")
                 if tx_indicator == "CRDT" else
                 _text(t, "RltdPties/Cdtr/Nm") or _text(t, "RltdPties/Cdtr/Pty/Nm"))
        returned = reversal or family in RETURN_CODES or "RtrInf" in t
        reason = _text(t, "RtrInf/Rsn/Cd")
        if status != "BOOK":
            unclear = f"not booked yet (status {status})"
        lines.append(Line(
            where=f"{rel}:{where.sourceline}", date=date, amount=tx_amount[0],
            currency=tx_amount[1], credit=tx_indicator == "CRDT",
            text=" ".join((*parts, f"(return reason {reason})" if reason else "")).strip(),
            text_parts=parts, reference=_text(w, "RmtInf/Strd/CdtrRefInf/Ref"),
            payer=payer, line_id=line_id,
            bank_reference=e2e if e2e and e2e != "NOTPROVIDED" else own_id or entry_id,
            returned=returned, booked=status == "BOOK", unclear=unclear,
            instructed=instructed if instructed and instructed[1] != tx_amount[1] else None,
        ))
    return lines
