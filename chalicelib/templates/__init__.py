"""Mail bodies rendered in the app (Jinja2, text + HTML). Jinja2 is imported on first render.

Templates may name the practice and carry links; they never carry PHI (no client names, no clinical details).
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
    "payment_received": "A client made a payment at {practice}",
    "payment_receipt": "Your receipt from {practice}",
}


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


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
        subject=SUBJECTS[name].format(practice=values["practice"]),
        text=env.get_template(f"{name}.txt").render(**values),
        html=env.get_template(f"{name}.html").render(**values),
    )
