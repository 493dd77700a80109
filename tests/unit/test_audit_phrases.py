"""Every action the code audits reads as a sentence in the audit log (services/audit_phrases.py), and the sentences
put the looked-up names where they belong."""

from __future__ import annotations

import re
from pathlib import Path

from chalicelib.services.audit_phrases import PHRASES, Names, describe

ROOT = Path(__file__).resolve().parents[2]
# Literal actions in audit calls, and the second-factor, session, account and form actions passed through variables.
LITERAL = re.compile(r"audit\.(?:event|record)\(\s*[^,()]+(?:\([^()]*\))?,\s*\"([a-z_]+\.[a-z_]+)\"")
NAMED = re.compile(r"\"((?:second_factor|session|account|form)\.[a-z_]+)\"")
# Actions built from a value: appointment.{status|outcome} and account.{purpose}_redeem.
BUILT = {
    *(f"appointment.{s}" for s in ("declined", "cancelled", "late_cancelled", "attended", "no_show")),
    *(f"account.{p}_redeem" for p in ("staff_invite", "client_invite", "password_reset")),
}


def audited_actions() -> set[str]:
    found = set(BUILT)
    for path in (ROOT / "chalicelib").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(LITERAL.findall(text))
        if "audit." in text:
            found |= set(NAMED.findall(text))
    return found


def test_every_audited_action_has_a_sentence() -> None:
    missing = sorted(action for action in audited_actions() if action not in PHRASES)
    assert missing == []


def test_a_sentence_names_the_people_and_the_form() -> None:
    names = Names(actor="Theo Therapist", client="Jordan Lee", staff=None, form="Informed Consent", subject=None)
    said = describe("documents.download", "stf_1", "cli_1", "form_request/req_1", "success", names)
    assert said == "Theo Therapist downloaded Jordan Lee's signed Informed Consent"


def test_a_client_acting_on_their_own_records_reads_their() -> None:
    names = Names(actor="Jordan Lee", client="Jordan Lee", staff=None, form="Informed Consent", subject=None)
    assert describe("forms.sign", "cli_1", "cli_1", "form_request/req_1", "success", names) == "Jordan Lee signed their Informed Consent"


def test_failures_say_so_and_unknown_actions_still_read() -> None:
    names = Names(actor="Ada Admin", client=None, staff="Theo Therapist", form=None, subject="Theo Therapist")
    assert describe("staff.deactivate", "stf_1", None, "staff/stf_2", "failure", names) == "Ada Admin deactivated Theo Therapist — failed"
    assert describe("new.thing", "stf_1", None, "thing/1", "success", names) == "Ada Admin: new.thing (thing/1)"
