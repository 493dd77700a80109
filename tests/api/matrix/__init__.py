"""The authorization matrix walk: every route, seven callers (scripts/access_matrix.py says what each gets).

Each capability contributes a module of examples — for every route it serves, how to prepare a fresh, valid call
for a given caller (the ids in the path and a body). ``EXAMPLES`` collects them; a route without an example fails the
meta-test in tests/api/test_authorization_matrix.py.
"""

from __future__ import annotations

from tests.api.matrix import accounts, branding, clients, dashboard, intake, messaging, payments, scheduling, second_factor
from tests.api.matrix.world import Example

EXAMPLES: dict[tuple[str, str], Example] = {
    **accounts.EXAMPLES,
    **branding.EXAMPLES,
    **clients.EXAMPLES,
    **intake.EXAMPLES,
    **scheduling.EXAMPLES,
    **messaging.EXAMPLES,
    **payments.EXAMPLES,
    **second_factor.EXAMPLES,
    **dashboard.EXAMPLES,
}
