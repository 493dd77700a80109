"""Secure messaging: one private conversation per client with their care team (``conversations``: reading with
read receipts, ``sending`` with attachments and after-hours auto-replies), the staff inbox and the one-call poll
(``inbox``), attachment uploads and downloads (``attachments``), the notification mail (``notices``), therapists'
office hours (``office_hours``) and mass messages sent in resumable batches (``campaigns``).

Who may write to whom: an assigned therapist with a seat, and an administrator with a seat, to a client with an
active portal account; the client to their assigned therapists with a seat and to the administrators who wrote to
them. Visibility is checked on every request (``services.visibility``), so an unassigned therapist loses the
conversation at once while the practice keeps its history. Messages are immutable once sent.
"""
