"""Bytes: pages through Jinja, PDFs through WeasyPrint (in a process pool), QR codes as SVG,
calendar files, and the site-wide files."""
