"""Payment methods from site.toml's [payment] table, narrowed or overridden per invoice.

site.toml:                              an invoice's front matter:
    [payment]                               [payment]
    preferred = "sepa"                      methods = ["sepa", "paypal"]   # narrow, in order
    [payment.sepa]                          preferred = "paypal"
    iban = "DE89 3704 0044 0532 0130 00"    [payment.stripe]                # override a field
    [payment.paypal]                        link = "https://buy.stripe.com/..."
    handle = "studiolindqvist"

A method's `type` defaults to its name when the name is a type (sepa, bank, swiss, paypal,
stripe, upi, bitcoin, link). Site methods that cannot take the invoice's currency are left
off quietly; one the invoice asks for by name is an error instead."""

from __future__ import annotations

import re
from typing import Any

from generator.fields import MISSING, Reader
from generator.model.payment import Method, PaymentConfig
from generator.payments import validate
from generator.payments.registry import METHODS, currencies, supports

COMMON = ("type", "label", "currencies")

NAME = re.compile(r"[a-z0-9][a-z0-9_\-]{0,39}")


def names_list(r: Reader, key: str) -> list[str] | None:
    value = r.raw(key)
    if value is MISSING:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        r.error(key, "expected a list of method names such as [\"sepa\", \"paypal\"]")
        return None
    return value


def read_method(name: str, r: Reader, base: Method | None) -> Method | None:
    if not NAME.fullmatch(name):
        r.error(None, "a payment method's name is lower-case letters, digits, '-' or '_', "
                      f"such as sepa or bank-zar (got {name!r})")
        return None
    if r.has("type"):
        kind = r.choice("type", METHODS)
        if kind is None:
            return None
        if base is not None and kind != base.type:
            r.error("type", f"'{name}' is a {base.type} method in site.toml; give this one "
                            "another name")
            return None
    elif base is not None:
        kind = base.type
    elif name in METHODS:
        kind = name
    else:
        r.error("type", f"missing: say what kind of method '{name}' is, with type = one of "
                        f"{', '.join(METHODS)}")
        return None
    method = METHODS[kind]
    values: dict[str, Any] = method.read(r)
    values["label"] = r.str("label")
    own = names_list(r, "currencies")
    if own is not None:
        unknown = [c for c in own if not validate.known_currency(c)]
        if unknown:
            r.error("currencies", f"unknown currency {unknown[0]!r}; expected ISO 4217 codes")
        values["currencies"] = tuple(c for c in own if c not in unknown)
    r.finish((*COMMON, *method.FIELDS))
    given = {k: v for k, v in values.items() if v is not None and (r.has(k) or k == "currencies")}
    merged = {**(base.fields if base else {}), **given}
    if base is None:
        for key in method.REQUIRED:
            if not r.has(key):
                r.error(key, f"missing required field for a {kind} method")
        for key, message in method.missing(merged):
            r.error(key, message)
    return Method(name, kind, merged)


def read_site_payment(r: Reader | None) -> PaymentConfig:
    if r is None:
        return PaymentConfig()
    preferred = r.str("preferred")
    methods = []
    for key in list(r.data):
        if key == "preferred":
            continue
        table = r.table(key)
        method = read_method(key, table, None) if table else None
        if method is not None:
            methods.append(method)
    names = [m.name for m in methods]
    if preferred is not None and preferred not in names and preferred not in r.data:
        r.error("preferred", f"'{preferred}' is not a configured payment method; configured: "
                             f"{', '.join(names) or 'none'}")
        preferred = None
    return PaymentConfig(tuple(methods), preferred)


def read_invoice_payment(r: Reader | None, site: PaymentConfig, currency: str
                         ) -> tuple[Method, ...]:
    """The methods an invoice offers, its preferred one first."""
    available = {m.name: m for m in site.methods}
    if r is None:
        offered = [m for m in site.methods if supports(m, currency)]
        return ordered(offered, site.preferred)
    names = names_list(r, "methods")
    preferred = r.str("preferred")
    tables: dict[str, Reader] = {}
    for key in list(r.data):
        if key in ("methods", "preferred"):
            continue
        table = r.table(key)
        method = read_method(key, table, available.get(key)) if table else None
        if method is not None and table is not None:
            available[key] = method
            tables[key] = table
    if names is not None:
        for n in names:
            if n not in available:
                r.error("methods", f"unknown payment method '{n}'; configured: "
                                   f"{', '.join(available) or 'none'}")
        chosen = [available[n] for n in dict.fromkeys(names) if n in available]
    else:
        chosen = list(available.values())
    offered, refused = [], set()
    for m in chosen:
        if supports(m, currency):
            offered.append(m)
        elif m.name in tables or names is not None or m.name == preferred:
            refused.add(m.name)
            where = tables.get(m.name)
            accepted = ", ".join(sorted(currencies(m) or ())) or "no currency"
            message = (f"'{m.name}' ({METHODS[m.type].DESCRIBED}) takes {accepted} "
                       f"only; this invoice is in {currency}")
            if where is not None:
                where.error(None, message)
            else:
                r.error("methods" if names is not None else "preferred", message)
    if preferred is not None and preferred not in refused \
            and preferred not in [m.name for m in offered]:
        r.error("preferred", f"'{preferred}' is not among this invoice's payment methods: "
                             f"{', '.join(m.name for m in offered) or 'none'}")
    return ordered(offered, preferred or site.preferred)


def ordered(methods: list[Method], preferred: str | None) -> tuple[Method, ...]:
    first = [m for m in methods if m.name == preferred]
    return tuple(first + [m for m in methods if m.name != preferred])
