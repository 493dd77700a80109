"""What a signed-in client sees first: their practice, the portal features it offers, their pending items."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib import audit
from chalicelib.auth.features import Feature
from chalicelib.auth.principals import ClientPrincipal
from chalicelib.errors import Unauthenticated
from chalicelib.tables import keys
from chalicelib.tables.accounts import ClientRecord
from chalicelib.tables.base import get_or_none


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
    """The client's record, their open paperwork (one Query, in the practice's order) and the audit event."""
    client = get_or_none(ClientRecord, keys.org_pk(principal.org_id), keys.client_sk(principal.id))
    if client is None:
        raise Unauthenticated("Your portal account no longer exists.")
    practice = principal.practice
    open_forms = _open_forms(principal) if practice.switched_on(Feature.INTAKE_FORMS) else []
    audit.record(principal, "portal.home", f"client/{client.id}", subject_client_id=client.id)
    return ClientHome(
        name=client.name,
        preferred_name=client.preferred_name,
        practice_name=practice.name,
        practice_slug=practice.slug,
        contact_line=practice.contact_line,
        features=dict(practice.switches),
        pending=open_forms,
    )


def _open_forms(principal: ClientPrincipal) -> list[PendingItem]:
    from chalicelib.services.paperwork.common import requests_of

    return [
        PendingItem(kind="form", id=r.id, title=r.title) for r in requests_of(principal.org_id, principal.id) if r.status != "completed"
    ]
