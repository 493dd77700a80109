"""Mail bodies rendered in the app (Jinja2, text + HTML). Jinja2 is imported on first render.

Templates may name the practice and carry links; they never carry PHI (no client names, no clinical details).
A subject may use any of the mail's values (``{practice}``, or ``{subject}`` for one the practice chose); a
``sender_name`` value becomes the display name of the sender.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment

_HERE = Path(__file__).parent / "mail"

SUBJECTS = {
    "staff_invitation": "You're invited to {practice}'s client portal",
    "password_reset": "Reset your password for {practice}'s client portal",
    "client_invitation": "{practice} invites you to its client portal",
    "paperwork_waiting": "You have paperwork from {practice} to complete",
    "paperwork_reminder": "Reminder: paperwork from {practice} is waiting",
    "paperwork_completed": "A client completed paperwork at {practice}",
    "appointment_requested": "A client asked for an appointment at {practice}",
    "appointment_booked": "A client booked an appointment at {practice}",
    "appointment_cancelled": "An appointment at {practice} was cancelled",
    "appointment_rescheduled": "An appointment at {practice} moved to a new time",
    "appointment_confirmed": "Your appointment with {practice} is confirmed",
    "appointment_declined": "Your appointment request to {practice} was not accepted",
    "appointment_reminder": "Reminder: an appointment with {practice} is coming up",
    "waitlist_opening": "An opening came up at {practice}",
    # The practice chooses it (discreet by default): a shared inbox must not learn who wrote or why.
    "message_waiting": "{subject}",
    "payment_received": "A client made a payment at {practice}",
    "payment_receipt": "Your receipt from {practice}",
}


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str
    sender_name: str | None = None


@lru_cache(maxsize=1)
def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(str(_HERE)),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def render_mail(name: str, **values: Any) -> RenderedMail:
    env = _environment()
    return RenderedMail(
        subject=SUBJECTS[name].format_map(values),
        text=env.get_template(f"{name}.txt").render(**values),
        html=env.get_template(f"{name}.html").render(**values),
        sender_name=values.get("sender_name") or None,
    )
