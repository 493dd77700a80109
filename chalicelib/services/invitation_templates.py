"""Named invitation messages that administrators and inviting therapists save and reuse."""

from __future__ import annotations

from chalicelib import audit
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.auth.tokens import new_id
from chalicelib.domain.people import InvitationTemplate as Template
from chalicelib.errors import NotFound, StaleVersion
from chalicelib.services import validation
from chalicelib.tables import keys
from chalicelib.tables.accounts import InvitationTemplate, template_of
from chalicelib.tables.base import get_or_not_found, transaction

MAX_TEMPLATES = 100
MAX_MESSAGE = 2000
STALE = "Someone else changed this template first. Reload to see it."


def list_templates(principal: StaffPrincipal) -> list[Template]:
    pk = keys.org_pk(principal.org_id)
    found = InvitationTemplate.query(pk, InvitationTemplate.sk.startswith(keys.TEMPLATE_PREFIX), limit=MAX_TEMPLATES)
    return sorted((template_of(t) for t in found), key=lambda t: t.name.lower())


def create_template(principal: StaffPrincipal, name: str, message: str) -> Template:
    template_id = new_id("tpl")
    template = InvitationTemplate(
        keys.org_pk(principal.org_id),
        keys.template_sk(template_id),
        id=template_id,
        name=validation.check_text(name, "name", max_length=80),
        message=validation.check_text(message, "message", max_length=MAX_MESSAGE),
        created_by=principal.id,
    )
    with transaction() as tx:
        tx.save(template, condition=InvitationTemplate.pk.does_not_exist())
        tx.save(audit.event(principal, "invitation_template.create", f"invitation_template/{template_id}"))
    return template_of(template)


def update_template(principal: StaffPrincipal, template_id: str, version: int, name: str | None, message: str | None) -> Template:
    template = _load(principal, template_id)
    if int(template.version or 0) != version:
        raise StaleVersion(STALE)
    if name is not None:
        template.name = validation.check_text(name, "name", max_length=80)
    if message is not None:
        template.message = validation.check_text(message, "message", max_length=MAX_MESSAGE)
    with transaction({"unlabelled": StaleVersion(STALE)}) as tx:
        tx.update(
            template,
            actions=[InvitationTemplate.name.set(template.name), InvitationTemplate.message.set(template.message)],
            condition=InvitationTemplate.pk.exists(),
        )
        tx.save(audit.event(principal, "invitation_template.update", f"invitation_template/{template_id}"))
    return template_of(template)


def delete_template(principal: StaffPrincipal, template_id: str) -> None:
    template = InvitationTemplate(keys.org_pk(principal.org_id), keys.template_sk(template_id))
    with transaction({"template": NotFound("No such template.")}) as tx:
        tx.delete(template, condition=InvitationTemplate.pk.exists(), label="template")
        tx.save(audit.event(principal, "invitation_template.delete", f"invitation_template/{template_id}"))


def _load(principal: StaffPrincipal, template_id: str) -> InvitationTemplate:
    return get_or_not_found(InvitationTemplate, keys.org_pk(principal.org_id), keys.template_sk(template_id), message="No such template.")
