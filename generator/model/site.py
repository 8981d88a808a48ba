"""A loaded site: its settings, every valid invoice and where each is published."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.errors import Problem
from generator.model.invoice import Invoice
from generator.model.settings import Settings
from generator.urls import fragment


@dataclass(frozen=True)
class Site:
    settings: Settings
    invoices: tuple[Invoice, ...]  # every valid invoice, drafts included
    paths: dict[str, str]  # invoice source -> URL path relative to the site root
    notices: tuple[str, ...]
    statements: dict[str, str] = field(default_factory=dict)  # client key -> URL path
    warnings: tuple[Problem, ...] = ()  # printed by a build, which still goes ahead
    # invoice source -> the key its link carries (privacy = "encrypted"; else empty)
    keys: dict[str, bytes] = field(default_factory=dict)

    @property
    def published(self) -> tuple[Invoice, ...]:
        return tuple(i for i in self.invoices if not i.draft)

    def url(self, inv: Invoice) -> str:
        """The link to share: on an encrypted site, with the key in its fragment."""
        key = self.keys.get(inv.source)
        return self.settings.base_url + self.paths[inv.source] + (fragment(key) if key else "")
