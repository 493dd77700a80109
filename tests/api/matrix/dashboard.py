"""Matrix examples: the staff dashboards' lists and staff members' names."""

from __future__ import annotations

from tests.api.matrix.world import Call, Example

EXAMPLES: dict[tuple[str, str], Example] = {
    ("GET", "/api/dashboard/worklist"): lambda w, c: Call(),
    ("GET", "/api/dashboard/signed"): lambda w, c: Call(),
    ("GET", "/api/dashboard/appointments"): lambda w, c: Call(),
    ("GET", "/api/staff/names"): lambda w, c: Call(query=f"ids={w.therapist_id},{w.unassigned_id}"),
}
