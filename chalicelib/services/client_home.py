"""What a signed-in client sees first: their practice, the portal features it offers, their pending items."""

from __future__ import annotations

from dataclasses import dataclass

from pynamodb.exceptions import DoesNotExist

from chalicelib.auth.principals import ClientPrincipal
from chalicelib.errors import Unauthenticated
from chalicelib.services import audit
from chalicelib.services.entitlements import Feature
from chalicelib.services.organizations import features_of, load
from chalicelib.tables import accounts
from chalicelib.tables.accounts import ClientRecord


@dataclass(frozen=True)
class PendingItem:
    kind: str
    id: str
    title: str


@dataclass(frozen=True)
class ClientHome:
    name: str
    preferred_name: str | None
    practice_name: str
    practice_slug: str
    contact_line: str
    features: dict[Feature, bool]
    pending: list[PendingItem]


def home(principal: ClientPrincipal) -> ClientHome:
    org = load(principal.org_id)
    try:
        client = ClientRecord.get(accounts.org_pk(principal.org_id), accounts.client_sk(principal.id), consistent_read=True)
    except DoesNotExist:
        raise Unauthenticated("Your portal account no longer exists.") from None
    audit.record(principal, "portal.home", f"client/{client.id}", subject_client_id=client.id)
    return ClientHome(
        name=client.name,
        preferred_name=client.preferred_name,
        practice_name=org.name,
        practice_slug=org.slug,
        contact_line=org.contact_line,
        features=features_of(org),
        # Intake forms (the next capability) list what the client still has to complete here.
        pending=[],
    )
