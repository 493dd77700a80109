"""What a signed-in client sees first: their practice, the portal features it offers, their pending items."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.auth.principals import ClientPrincipal
from chalicelib.errors import Unauthenticated
from chalicelib.services import audit
from chalicelib.services.entitlements import Feature
from chalicelib.services.organizations import features_of
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
    """One TransactGetItems (practice and client), one Query (their paperwork), the audit event."""
    from chalicelib.tables.base import read_together
    from chalicelib.tables.organizations import Organization, org_pk

    org, client = read_together(
        (Organization, org_pk(principal.org_id), "ORG"),
        (ClientRecord, accounts.org_pk(principal.org_id), accounts.client_sk(principal.id)),
    )
    if org is None or client is None:
        raise Unauthenticated("Your portal account no longer exists.")
    open_forms = _open_forms(principal) if features_of(org)[Feature.INTAKE_FORMS] else []
    audit.record(principal, "portal.home", f"client/{client.id}", subject_client_id=client.id)
    return ClientHome(
        name=client.name,
        preferred_name=client.preferred_name,
        practice_name=org.name,
        practice_slug=org.slug,
        contact_line=org.contact_line,
        features=features_of(org),
        pending=open_forms,
    )


def _open_forms(principal: ClientPrincipal) -> list[PendingItem]:
    from chalicelib.services.paperwork import requests_of

    return [
        PendingItem(kind="form", id=r.id, title=r.title) for r in requests_of(principal.org_id, principal.id) if r.status != "completed"
    ]
