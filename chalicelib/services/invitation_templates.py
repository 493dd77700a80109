"""Named invitation messages that administrators and inviting therapists save and reuse."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist, TransactWriteError

from chalicelib.auth.principals import StaffPrincipal
from chalicelib.auth.tokens import new_id
from chalicelib.errors import NotFound, StaleVersion
from chalicelib.services import audit, validation
from chalicelib.services.client_invitations import MAX_MESSAGE, require_inviter
from chalicelib.tables import accounts
from chalicelib.tables.accounts import InvitationTemplate
from chalicelib.tables.base import transaction

MAX_TEMPLATES = 100


def list_templates(principal: StaffPrincipal) -> list[InvitationTemplate]:
    require_inviter(principal)
    pk = accounts.org_pk(principal.org_id)
    found = InvitationTemplate.query(pk, InvitationTemplate.sk.startswith(accounts.TEMPLATE_PREFIX), limit=MAX_TEMPLATES)
    return sorted(found, key=lambda t: t.name.lower())


def create_template(principal: StaffPrincipal, name: str, message: str) -> InvitationTemplate:
    require_inviter(principal)
    template_id = new_id("tpl")
    template = InvitationTemplate(
        accounts.org_pk(principal.org_id),
        accounts.template_sk(template_id),
        id=template_id,
        name=validation.check_text(name, "name", max_length=80),
        message=validation.check_text(message, "message", max_length=MAX_MESSAGE),
        created_by=principal.id,
    )
    with transaction() as tx:
        tx.save(template, condition=InvitationTemplate.pk.does_not_exist())
        tx.save(audit.event(principal, "invitation_template.create", f"invitation_template/{template_id}"))
    return template


def update_template(principal: StaffPrincipal, template_id: str, version: int, name: str | None, message: str | None) -> InvitationTemplate:
    require_inviter(principal)
    template = _load(principal, template_id)
    if int(template.version or 0) != version:
        raise StaleVersion("Someone else changed this template first. Reload to see it.")
    if name is not None:
        template.name = validation.check_text(name, "name", max_length=80)
    if message is not None:
        template.message = validation.check_text(message, "message", max_length=MAX_MESSAGE)
    try:
        with transaction() as tx:
            tx.update(
                template,
                actions=[InvitationTemplate.name.set(template.name), InvitationTemplate.message.set(template.message)],
                condition=InvitationTemplate.pk.exists(),
            )
            tx.save(audit.event(principal, "invitation_template.update", f"invitation_template/{template_id}"))
    except TransactWriteError as error:
        if tx.failed(error):
            raise StaleVersion("Someone else changed this template first. Reload to see it.") from None
        raise
    return template


def delete_template(principal: StaffPrincipal, template_id: str) -> None:
    require_inviter(principal)
    template = InvitationTemplate(accounts.org_pk(principal.org_id), accounts.template_sk(template_id))
    try:
        with transaction() as tx:
            tx.delete(template, condition=InvitationTemplate.pk.exists(), label="template")
            tx.save(audit.event(principal, "invitation_template.delete", f"invitation_template/{template_id}"))
    except TransactWriteError as error:
        if "template" in tx.failed(error):
            raise NotFound("No such template.") from None
        raise


def _load(principal: StaffPrincipal, template_id: str) -> InvitationTemplate:
    try:
        return InvitationTemplate.get(accounts.org_pk(principal.org_id), accounts.template_sk(template_id), consistent_read=True)
    except DoesNotExist:
        raise NotFound("No such template.") from None
