"""Paperwork: forms sent to clients (``sending``), filled in with answers saved as they go and consented to
(``filling``), signed into a PDF stored in S3 (``signing``), opened by staff and clients (``documents``), and reminded
by a scheduled job (``reminders``).

A completed request is immutable: every write to a request is conditioned on it not being completed. At most one
request per client and form is open at a time (an ``OPENREQ`` claim written with a condition when it is sent and
deleted when it is signed), so racing sends cannot leave two copies of a form waiting.
"""
