"""Ways to pay as the owner configured them: site-wide in site.toml, narrowed per invoice."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Method:
    """One way to pay, as configured: site-wide in site.toml, possibly overridden per invoice."""

    name: str  # the owner's name for it: the key under [payment]
    type: str  # sepa, bank, swiss, paypal, stripe, upi, bitcoin, link
    # Left out of the hash (a dict has none) so that invoices stay hashable.
    fields: dict[str, Any] = field(default_factory=dict, hash=False)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.fields.get(key)
        return default if value is None else value


@dataclass(frozen=True)
class PaymentConfig:
    """The site's methods in the order site.toml lists them, and the preferred one."""

    methods: tuple[Method, ...] = ()
    preferred: str | None = None
