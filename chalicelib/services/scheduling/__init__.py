"""Self-scheduling: therapists' booking settings (``settings``), the slot engine (``slots``, pure), one read of a
therapist's schedule (``schedule``), the time claims that let exactly one booking win (``holds``), client booking,
rescheduling and cancelling (``booking``), the staff side (``appointments``), the waitlist (``waitlist``), mail
(``notices``), reminders (``reminders``) and iCalendar files and feeds (``calendars``). docs/scheduling.md.
"""
