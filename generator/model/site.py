"""A loaded site: its settings, every valid invoice and where each is published."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.errors import Problem
from generator.model.invoice import Invoice
from generator.model.settings import Settings


@dataclass(frozen=True)
class Site:
    settings: Settings
    invoices: tuple[Invoice, ...]  # every valid invoice, drafts included
    paths: dict[str, str]  # invoice source -> URL path relative to the site root
    notices: tuple[str, ...]
    statements: dict[str, str] = field(default_factory=dict)  # client key -> URL path
    warnings: tuple[Problem, ...] = ()  # printed by a build, which still goes ahead

    @property
    def published(self) -> tuple[Invoice, ...]:
        return tuple(i for i in self.invoices if not i.draft)

    def url(self, inv: Invoice) -> str:
        return self.settings.base_url + self.paths[inv.source]
