"""Who a client is, and whether they get a statement page. Pure.

Kept apart from the ledger and the statement, which use them, so that a build that renders
nothing (it still finds which clients get a statement page) does not import the figures."""

from __future__ import annotations

from collections.abc import Iterable

from generator.model.invoice import Invoice


def client_key(inv: Invoice) -> str:
    """Who a client is: the name their invoices show (company, else name), compared without
    regard to case or spacing, so "Weber GmbH" and "weber  gmbh" are one client."""
    return " ".join(inv.client.display_name.split()).casefold()


def wants_statement(invoices: Iterable[Invoice], site_wide: bool) -> bool:
    """Opted in by any of the client's invoices, or by the site unless one opts out."""
    choices = [i.statement for i in invoices if i.statement is not None]
    return True in choices if choices else site_wide
