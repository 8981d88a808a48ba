"""IBAN, BIC and currency checks remembered between builds (read/checked.py): a build with an
unchanged site.toml neither imports schwifty nor loads Babel's list of currencies, yet no
invalid value ever gets through, whatever the memo file says, once the code or schwifty's
or Babel's version differs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from generator.digest import CACHE_FORMAT
from generator.errors import RemitError
from generator.read.checked import CHECKED_FILE
from tests.conftest import SECRET, SITE_TOML, TODAY

GOOD = "DE89 3704 0044 0532 0130 00"
BAD = "DE89 3704 0044 0532 0130 01"  # one digit off: the checksum fails
SEPA = '\n[payment.sepa]\nbeneficiary = "Anna Lindqvist"\niban = "{iban}"\nbic = "COBADEFFXXX"\n'


def with_iban(site, iban: str) -> None:
    (site.root / "site.toml").write_text(SITE_TOML + SEPA.format(iban=iban), "utf-8")


def memo_file(site):
    return site.root / ".remit-cache" / CACHE_FORMAT / CHECKED_FILE


def fresh_build_checks(site) -> tuple[bool, bool]:
    """(Did a fresh build import schwifty, did it load Babel's global data (its currencies))?"""
    code = ("import sys; from generator.cli.main import main; "
            f"rc = main(['build', {str(site.root)!r}, '--today', '{TODAY}']); "
            "import babel.core; "
            "print(rc, 'schwifty' in sys.modules, babel.core._global_data is not None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "REMIT_SECRET": SECRET}, check=True).stdout
    assert out.split()[-3] == "0", out
    return out.split()[-2] == "True", out.split()[-1] == "True"


def fresh_build_imports_schwifty(site) -> bool:
    return fresh_build_checks(site)[0]


def test_an_unchanged_site_toml_is_not_checked_again_by_schwifty(site):
    with_iban(site, GOOD)
    site.invoice()
    assert fresh_build_checks(site) == (True, True)  # the first build checks
    checked = json.loads(memo_file(site).read_text("utf-8"))["checked"]
    assert checked == {f"iban\0{GOOD}": GOOD.replace(" ", ""), "bic\0COBADEFFXXX": "COBADEFFXXX",
                       "currency\0EUR": "EUR"}
    assert fresh_build_checks(site) == (False, False)
    # Another IBAN (valid): checked, and the memo then holds only what this build used.
    other = "GB33 BUKB 2020 1555 5555 55"
    with_iban(site, other)
    assert fresh_build_imports_schwifty(site)
    checked = json.loads(memo_file(site).read_text("utf-8"))["checked"]
    assert set(checked) == {f"iban\0{other}", "bic\0COBADEFFXXX", "currency\0EUR"}


def test_an_invalid_iban_is_reported_on_every_build_and_never_remembered(site):
    with_iban(site, GOOD)
    site.invoice()
    site.build()
    with_iban(site, BAD)
    for _ in range(2):
        with pytest.raises(RemitError) as err:
            site.build()
        assert "not a valid IBAN" in str(err.value) and "iban" in str(err.value)
    assert BAD not in memo_file(site).read_text("utf-8")


@pytest.mark.parametrize("stamp", ["another code or schwifty version", None])
def test_a_memo_of_other_code_or_versions_is_not_trusted(site, stamp):
    """A memo file claiming the bad IBAN is valid: under another stamp it is ignored, and
    the value is checked afresh (and refused)."""
    with_iban(site, GOOD)
    site.invoice()
    site.build()
    path = memo_file(site)
    data = json.loads(path.read_text("utf-8"))
    data["stamp"] = stamp
    data["checked"][f"iban\0{BAD}"] = BAD.replace(" ", "")
    path.write_text(json.dumps(data), "utf-8")
    with_iban(site, BAD)
    with pytest.raises(RemitError, match="not a valid IBAN"):
        site.build()


def test_an_unknown_currency_is_reported_whatever_the_memo_says(site):
    """A memo from other versions that holds QQQ as a currency is not trusted: the code is
    checked against Babel's list afresh, and refused."""
    site.invoice()
    site.build()
    path = memo_file(site)
    data = json.loads(path.read_text("utf-8"))
    data["stamp"] = "another Babel version"
    data["checked"]["currency\0QQQ"] = "QQQ"
    path.write_text(json.dumps(data), "utf-8")
    (site.root / "site.toml").write_text(SITE_TOML.replace('currency = "EUR"',
                                                           'currency = "QQQ"'), "utf-8")
    with pytest.raises(RemitError, match="unknown currency 'QQQ'"):
        site.build()
