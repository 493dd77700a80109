"""Invoices and card payments through each practice's own Stripe account (docs/decisions.md, 36).

- ``connection``: an administrator connects the practice's Stripe keys (encrypted with KMS, never returned).
- ``invoices``: staff create, issue (gapless numbers) and void invoices; lists for staff and clients.
- ``paying``: a client pays an open invoice by card (one attempt in flight per invoice, idempotent at Stripe).
- ``events``: Stripe's verified webhooks move payments and invoices forward, once per event.
- ``refunds``: administrators refund a payment in full or in part.
- ``documents``: the printable invoice and receipt as a PDF.
- ``reconciliation``: compares Stripe with the ledger.
"""
