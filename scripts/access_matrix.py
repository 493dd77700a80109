"""What each kind of caller gets from a route, derived from its declaration alone: the access level, and whether the
path names a client's records ({client_id}, or a client's own item under /portal/) or another practice record.

docs/authorization.md's route table is generated from this, and tests/api/test_authorization_matrix.py walks every
route as each caller and holds the code to it.
"""

from __future__ import annotations

import re
from typing import Any

from chalicelib.auth.access import Access

CALLERS = (
    "anonymous",
    "client",
    "other client",
    "assigned therapist",
    "unassigned therapist",
    "administrator",
    "other practice's administrator",
)
ROLE_OF = {
    "anonymous": "anonymous",
    "client": "client",
    "other client": "client",
    "assigned therapist": "therapist",
    "unassigned therapist": "therapist",
    "administrator": "administrator",
    "other practice's administrator": "administrator",
}
ADMITTED: dict[Access, frozenset[str]] = {
    Access.ANYONE: frozenset({"anonymous", "client", "therapist", "administrator"}),
    Access.WEBHOOK: frozenset({"anonymous", "client", "therapist", "administrator"}),
    Access.SIGNED_IN: frozenset({"client", "therapist", "administrator"}),
    # The second-factor levels admit every signed-in role; what they add is the session's stage (the matrix's sessions
    # are complete; tests/api/test_second_factor_sessions.py walks every route with a waiting session).
    Access.ANY_SESSION: frozenset({"client", "therapist", "administrator"}),
    Access.PROVING_FACTOR: frozenset({"client", "therapist", "administrator"}),
    Access.SETTING_UP_FACTOR: frozenset({"client", "therapist", "administrator"}),
    Access.CLIENT: frozenset({"client"}),
    Access.STAFF: frozenset({"therapist", "administrator"}),
    # The matrix's therapists may invite; one who may not is refused (403) — tests/api/test_client_invitations.py.
    Access.INVITER: frozenset({"therapist", "administrator"}),
    Access.ADMINISTRATOR: frozenset({"administrator"}),
}


def ids_in(path: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", path)) - {"slug"}


def expected_status(spec: Any, caller: str) -> int:
    """The status a caller gets: the route's success status, 401, 403 or 404 (a record outside the caller's view)."""
    role = ROLE_OF[caller]
    if role not in ADMITTED[spec.access]:
        return 401 if role == "anonymous" else 403
    ids = ids_in(spec.path)
    if caller == "other client" and ids and spec.path.startswith("/api/portal/"):
        return 404
    if caller == "unassigned therapist" and "client_id" in ids:
        return 404
    if caller == "other practice's administrator" and ids:
        return 404
    return int(spec.status)


def expected_marks(spec: Any) -> dict[str, str]:
    marks = {}
    for caller in CALLERS:
        status = expected_status(spec, caller)
        if status < 400:
            marks[caller] = "✅ if allowed to invite" if spec.access is Access.INVITER and ROLE_OF[caller] == "therapist" else "✅"
        elif status == 404:
            marks[caller] = "404"
        else:
            marks[caller] = f"❌ {status}"
    return marks
