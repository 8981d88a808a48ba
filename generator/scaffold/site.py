"""The files of a new site (`remit init`): settings with comments, one example invoice, a
.gitignore that keeps the secret out of git, and the GitHub Pages workflow."""

from __future__ import annotations

import datetime as dt

SITE_TOML = """\
# Remit site settings: every invoice inherits these. `remit check` validates them.
title = "Invoices"
base_url = "https://example.github.io/invoices/"   # where the site is published
language = "en"                  # default page language: en, ru or af
timezone = "Europe/Berlin"       # IANA name: "today" and due dates are in this zone
currency = "EUR"                 # default currency (ISO 4217)
payment_terms_days = 14          # due = issued + this, unless an invoice says otherwise
# tagline = "Design and development for small businesses"
# statements = true              # a private statement page for every client

[seller]                         # who is asking to be paid; shown on every page
name = "Your Name"
# company = "Your Studio"
# address = "Street 1\\n12345 City\\nCountry"
email = "you@example.com"
# phone = "+49 30 1234 5678"
# tax_id = "DE123456789"

# How clients pay: uncomment and fill in one or more methods (see the README).
# [payment]
# preferred = "sepa"
#
# [payment.sepa]
# iban = "DE89 3704 0044 0532 0130 00"
#
# [payment.paypal]
# handle = "yourhandle"

# Reminders (`remit remind`): days relative to each due date; negative is before it.
# [reminders]
# days = [-3, 0, 7, 14, 30]
# reply_to = "you@example.com"
#
# [smtp]                         # for `remit remind --send`; the password only from the
# host = "smtp.example.com"      # REMIT_SMTP_PASSWORD environment variable
# port = 587
# user = "you@example.com"
# from = "you@example.com"
# tls = "starttls"               # "starttls", "ssl" or "none" (local relays only)
"""

EXAMPLE_INVOICE = """\
+++
number = "{year}-001"
issued = {issued}
due = {due}
terms = "Payment within 14 days by bank transfer."

[client]
name = "Example Client"
email = "client@example.com"

[[items]]
description = "Design of five page templates"
quantity = 5
unit = "page"
unit_price = 180.00
tax_rate = 19
+++
Thank you for your business! This is an example invoice: edit it, or make the next one
with `remit new --client "Example Client"`.
"""

GITIGNORE = """\
# Built site and caches: rebuilt by `remit build`.
/output/
/.remit-cache/
# The site secret that every invoice link derives from: never commit it. Back it up, and
# give it to GitHub as the repository secret REMIT_SECRET.
/.remit-secret
"""

# REMIT_PACKAGE: what pip installs; set the repository variable to a git URL or a version.
WORKFLOW = """\
# Build the invoice site and publish it with GitHub Pages (Settings > Pages > Source:
# "GitHub Actions"). Store the contents of your local .remit-secret as the repository
# secret REMIT_SECRET, or every link changes.
name: Publish invoices

on:
  push:
    branches: [main]
  workflow_dispatch:
  schedule:
    # Daily, so "due in 3 days" / overdue wording stays true for clients without JavaScript.
    - cron: "17 4 * * *"

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    outputs:
      base_url: ${{ steps.pages.outputs.base_url }}
    steps:
      - name: Check out
        uses: actions/checkout@v4

      - name: Set up Python
        uses: actions/setup-python@v5
        with:
          python-version: "3.12"

      - name: Install system libraries for PDF rendering
        run: |
          sudo apt-get update -qq
          sudo apt-get install -y -qq --no-install-recommends libpango-1.0-0 libharfbuzz-subset0

      - name: Install Remit
        # The repository variable REMIT_PACKAGE may name another version or a git URL.
        run: pip install "${{ vars.REMIT_PACKAGE || 'remit' }}"

      - name: Configure Pages
        id: pages
        uses: actions/configure-pages@v5

      - name: Build
        env:
          REMIT_BASE_URL: ${{ steps.pages.outputs.base_url }}
          REMIT_SECRET: ${{ secrets.REMIT_SECRET }}
          REMIT_REQUIRE_SECRET: "1"
        run: remit build

      - name: Upload site
        uses: actions/upload-pages-artifact@v3
        with:
          path: output/

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - name: Deploy to GitHub Pages
        id: deployment
        uses: actions/deploy-pages@v4

  # Optional daily payment reminders (`remit remind --send`): set the repository variable
  # REMIT_REMINDERS to "1", fill in [smtp] in site.toml and store the SMTP password as the
  # secret REMIT_SMTP_PASSWORD. The reminder log is committed back (with [skip ci]), so no
  # reminder is ever sent twice, even when the workflow runs again the same day.
  remind:
    if: ${{ vars.REMIT_REMINDERS == '1' && github.event_name != 'push' }}
    needs: [build, deploy]   # reminders link to the pages just published
    runs-on: ubuntu-latest
    permissions:
      contents: write        # to commit reminders.log
    concurrency:
      group: reminders
      cancel-in-progress: false
    steps:
      - name: Check out
        uses: actions/checkout@v4

      - name: Set up Python
        uses: actions/setup-python@v5
        with:
          python-version: "3.12"

      - name: Install system libraries for PDF rendering
        run: |
          sudo apt-get update -qq
          sudo apt-get install -y -qq --no-install-recommends libpango-1.0-0 libharfbuzz-subset0

      - name: Install Remit
        run: pip install "${{ vars.REMIT_PACKAGE || 'remit' }}"

      - name: Send payment reminders
        env:
          REMIT_BASE_URL: ${{ needs.build.outputs.base_url }}
          REMIT_SECRET: ${{ secrets.REMIT_SECRET }}
          REMIT_REQUIRE_SECRET: "1"
          REMIT_SMTP_PASSWORD: ${{ secrets.REMIT_SMTP_PASSWORD }}
        run: remit remind --send

      - name: Keep the reminder log
        if: ${{ always() }}   # failures are logged too: keep whatever was recorded
        run: |
          git config user.name "github-actions[bot]"
          git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
          if [ -f reminders.log ]; then git add reminders.log; fi
          git diff --cached --quiet ||
            { git commit -m "Reminder log $(date -u +%F) [skip ci]" && git push; }
"""


def site_files(today: dt.date) -> dict[str, str]:
    """Relative path -> text of every file of a new site whose example is issued `today`."""
    due = today + dt.timedelta(days=14)
    return {
        "site.toml": SITE_TOML,
        f"content/{today.year}-001-example.md": EXAMPLE_INVOICE.format(
            year=today.year, issued=today.isoformat(), due=due.isoformat()),
        ".gitignore": GITIGNORE,
        ".github/workflows/pages.yml": WORKFLOW,
    }
