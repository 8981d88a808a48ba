"""Remit: plain-text invoices in, a static invoice portal out."""

__version__ = "0.1.0"
