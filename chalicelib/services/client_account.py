"""What a client sets for themselves: the time zone they read times in (defaulting to the practice's, set when their
record was created)."""

from __future__ import annotations

from chalicelib import audit
from chalicelib.auth.principals import ClientPrincipal
from chalicelib.errors import Unauthenticated
from chalicelib.services import validation
from chalicelib.tables import keys
from chalicelib.tables.accounts import ClientPreferences
from chalicelib.tables.base import transaction


def set_time_zone(principal: ClientPrincipal, time_zone: str) -> str:
    """The client's own record only (the key is built from their id); the record's version moves on, so a staff
    member's open edit form of it is stale rather than writing the old zone back."""
    zone = validation.check_time_zone(time_zone.strip())
    record = ClientPreferences(keys.org_pk(principal.org_id), keys.client_sk(principal.id))
    with transaction({"unlabelled": Unauthenticated("Your portal account no longer exists.")}) as tx:
        tx.update(
            record,
            actions=[ClientPreferences.time_zone.set(zone), ClientPreferences.version.add(1)],
            condition=ClientPreferences.pk.exists(),
        )
        tx.save(audit.event(principal, "account.time_zone", f"client/{principal.id}", subject_client_id=principal.id))
    return zone
