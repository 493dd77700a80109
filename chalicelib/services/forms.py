"""The organization's intake forms: the three standard forms plus its own, versioned, ordered, retirable.

Editing a form writes a new immutable version; requests already sent keep the version they were made against.
Standard forms are built in (version 1) and cannot be edited — an organization copies one to make it its own.
Retiring or reordering a standard form stores a head item for it in the organization's partition.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from chalicelib import audit, clock
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.auth.tokens import new_id
from chalicelib.errors import Conflict, FieldError, NotFound, StaleVersion, ValidationFailed
from chalicelib.forms.standard import STANDARD_FORMS
from chalicelib.services.form_definitions import FormDefinition, parse_definition
from chalicelib.tables import keys
from chalicelib.tables.base import get_or_not_found, transaction
from chalicelib.tables.intake import FormHead, FormVersion

STANDARD = {form["id"]: form for form in STANDARD_FORMS}
MAX_FORMS = 200
MAX_REORDER = 95  # one transaction holds at most 100 items (the heads and the audit event)


@dataclass(frozen=True)
class FormSummary:
    id: str
    title: str
    current_version: int
    status: str
    position: int
    standard: bool
    head_version: int  # optimistic-locking version of the head (0 for a standard form never changed)


@dataclass(frozen=True)
class SendableForm:
    summary: FormSummary
    definition: FormDefinition


@dataclass(frozen=True)
class FormVersionView:
    summary: FormSummary
    number: int
    definition: FormDefinition


def _standard_definition(form_id: str) -> FormDefinition:
    return parse_definition({k: v for k, v in STANDARD[form_id].items() if k != "id"})


def _standard_summary(form_id: str, position: int, head: FormHead | None = None) -> FormSummary:
    return FormSummary(
        id=form_id,
        title=str(STANDARD[form_id]["title"]),
        current_version=1,
        status=head.status if head else "active",
        position=int(head.position) if head else position,
        standard=True,
        head_version=int(head.version or 0) if head else 0,
    )


def _summary(head: FormHead) -> FormSummary:
    if head.standard:
        return _standard_summary(head.id, int(head.position), head)
    return FormSummary(
        id=head.id,
        title=head.title,
        current_version=int(head.current_version),
        status=head.status,
        position=int(head.position),
        standard=False,
        head_version=int(head.version or 0),
    )


def list_forms(principal: StaffPrincipal) -> list[FormSummary]:
    """Every form of the organization in its order: one Query for the heads, built-ins merged in."""
    return _ordered(_heads(principal))


def _heads(principal: StaffPrincipal) -> dict[str, FormHead]:
    pk = keys.org_pk(principal.org_id)
    return {head.id: head for head in FormHead.query(pk, FormHead.sk.startswith(keys.FORM_PREFIX), limit=MAX_FORMS)}


def _ordered(heads: dict[str, FormHead]) -> list[FormSummary]:
    forms = [_summary(head) for head in heads.values()]
    forms += [_standard_summary(form_id, index) for index, form_id in enumerate(STANDARD) if form_id not in heads]
    return sorted(forms, key=lambda form: (form.position, form.title.lower()))


def heads_for(principal: StaffPrincipal, form_ids: list[str]) -> dict[str, FormSummary]:
    """Summaries of the named forms (one BatchGetItem); unknown ids are absent."""
    return {form_id: form.summary for form_id, form in sendable(principal, form_ids).items()}


def sendable(principal: StaffPrincipal, form_ids: list[str]) -> dict[str, SendableForm]:
    """The named forms with their current definitions, in one BatchGetItem (heads carry the current definition)."""
    pk = keys.org_pk(principal.org_id)
    return sendable_from(FormHead.batch_get([(pk, keys.form_sk(form_id)) for form_id in set(form_ids)]), form_ids)


def sendable_from(heads: Iterable[FormHead], form_ids: list[str]) -> dict[str, SendableForm]:
    """Assemble sendable forms from the heads that exist; standard forms without a head are built in."""
    found: dict[str, SendableForm] = {}
    for head in heads:
        definition = _standard_definition(head.id) if head.standard else FormDefinition.model_validate(head.definition)
        found[head.id] = SendableForm(_summary(head), definition)
    for index, form_id in enumerate(STANDARD):
        if form_id in form_ids and form_id not in found:
            found[form_id] = SendableForm(_standard_summary(form_id, index), _standard_definition(form_id))
    return found


def definition_of(org_id: str, form_id: str, number: int) -> FormDefinition:
    """The definition a request was sent with (built-in for standard forms, one GetItem otherwise)."""
    if form_id in STANDARD:
        return _standard_definition(form_id)
    stored = get_or_not_found(
        FormVersion, keys.org_pk(org_id), keys.form_version_sk(form_id, number), message="That form version does not exist."
    )
    return FormDefinition.model_validate(stored.definition)


def get_form(principal: StaffPrincipal, form_id: str, number: int | None = None) -> FormVersionView:
    summary = heads_for(principal, [form_id]).get(form_id)
    if summary is None:
        raise NotFound("No such form in your practice.")
    version = number or summary.current_version
    if version < 1 or version > summary.current_version:
        raise NotFound("No such version of this form.")
    return FormVersionView(summary=summary, number=version, definition=definition_of(principal.org_id, form_id, version))


def create_form(principal: StaffPrincipal, definition: dict[str, Any] | None = None, copy_of: str | None = None) -> FormSummary:
    """A new form of the organization, version 1 — from a definition, or as a copy of another form. A copy starts as
    a draft (not offered when sending) until an administrator makes it active: two active forms of the same title
    side by side would be sent by mistake."""
    if copy_of is not None:
        source = get_form(principal, copy_of)
        parsed = source.definition.model_copy(update={"title": f"{source.definition.title} (copy)"[:120]})
    elif definition is not None:
        parsed = parse_definition(definition)
    else:
        raise ValidationFailed("Send a definition or the form to copy.", [FieldError("definition", "Required.")])
    form_id = new_id("frm")
    now = clock.now()
    head = FormHead(
        keys.org_pk(principal.org_id),
        keys.form_sk(form_id),
        id=form_id,
        title=parsed.title,
        current_version=1,
        status="draft" if copy_of is not None else "active",
        position=len(STANDARD) + 100,
        definition=parsed.model_dump(mode="json", exclude_none=True),
        updated_at=now,
    )
    with transaction() as tx:
        tx.save(head, condition=FormHead.pk.does_not_exist())
        tx.save(_version(principal, form_id, 1, parsed))
        tx.save(audit.event(principal, "form.create", f"form/{form_id}"))
    return _summary(head)


def _version(principal: StaffPrincipal, form_id: str, number: int, parsed: FormDefinition) -> FormVersion:
    return FormVersion(
        keys.org_pk(principal.org_id),
        keys.form_version_sk(form_id, number),
        form_id=form_id,
        number=number,
        definition=parsed.model_dump(mode="json", exclude_none=True),
        created_at=clock.now(),
        created_by=principal.id,
    )


def update_form(principal: StaffPrincipal, form_id: str, head_version: int, definition: dict[str, Any]) -> FormSummary:
    """Editing writes the next version; the head moves to it only if nobody else edited first."""
    if form_id in STANDARD:
        raise Conflict("Standard forms cannot be edited. Copy the form to make your own version.")
    parsed = parse_definition(definition)
    head = _head(principal, form_id)
    if int(head.version or 0) != head_version:
        raise StaleVersion("Someone else changed this form first. Reload to see the latest version.")
    number = int(head.current_version) + 1
    with transaction({"unlabelled": StaleVersion("Someone else changed this form first. Reload to see the latest version.")}) as tx:
        tx.update(
            head,
            actions=[
                FormHead.current_version.set(number),
                FormHead.title.set(parsed.title),
                FormHead.definition.set(parsed.model_dump(mode="json", exclude_none=True)),
                FormHead.updated_at.set(clock.now()),
            ],
            condition=FormHead.pk.exists(),
        )
        tx.save(_version(principal, form_id, number, parsed), condition=FormVersion.pk.does_not_exist())
        tx.save(audit.event(principal, "form.update", f"form/{form_id}#v{number}"))
    head.current_version, head.title = number, parsed.title
    return _summary(head)


def _head(principal: StaffPrincipal, form_id: str) -> FormHead:
    return get_or_not_found(FormHead, keys.org_pk(principal.org_id), keys.form_sk(form_id), message="No such form in your practice.")


def set_status(principal: StaffPrincipal, form_id: str, status: str) -> FormSummary:
    """Retire (no longer offered when sending) or make active (a retired form, or a draft copy); requests already
    sent are unaffected."""
    summary = heads_for(principal, [form_id]).get(form_id)
    if summary is None:
        raise NotFound("No such form in your practice.")
    head = _head_for_update(principal, summary)
    with transaction({"unlabelled": StaleVersion("Someone else changed this form first. Reload and try again.")}) as tx:
        tx.save(_with(head, status=status))
        action = "form.retire" if status == "retired" else "form.activate" if summary.status == "draft" else "form.restore"
        tx.save(audit.event(principal, action, f"form/{form_id}"))
    return _summary(head)


def reorder(principal: StaffPrincipal, form_ids: list[str]) -> list[FormSummary]:
    """Positions follow the given order; every form of the organization must be named once."""
    heads = _heads(principal)
    current = {form.id: form for form in _ordered(heads)}
    if len(current) > MAX_REORDER:
        message = f"Reordering works for up to {MAX_REORDER} forms; retire forms you no longer use."
        raise ValidationFailed(message, [FieldError("form_ids", message)])
    if sorted(form_ids) != sorted(current):
        message = "Name every form of the practice exactly once."
        raise ValidationFailed(message, [FieldError("form_ids", message)])
    for form_id in form_ids:
        heads.setdefault(form_id, _standard_head(principal, current[form_id]))
    with transaction({"unlabelled": StaleVersion("Someone else changed the forms first. Reload and try again.")}) as tx:
        for position, form_id in enumerate(form_ids):
            tx.save(_with(heads[form_id], position=position, updated_at=clock.now()))
        tx.save(audit.event(principal, "form.reorder", "forms"))
    return _ordered(heads)


def _head_for_update(principal: StaffPrincipal, summary: FormSummary) -> FormHead:
    """A standard form's head (created on first change), or an organization form's head with its definition."""
    if not summary.standard:
        head = _head(principal, summary.id)
        head.updated_at = clock.now()
        return head
    return _standard_head(principal, summary)


def _standard_head(principal: StaffPrincipal, summary: FormSummary) -> FormHead:
    """A standard form's head, written the first time the practice reorders or retires it (saved with a condition
    that it does not exist yet, since it has no version)."""
    head = FormHead(
        keys.org_pk(principal.org_id),
        keys.form_sk(summary.id),
        id=summary.id,
        title=summary.title,
        current_version=summary.current_version,
        status=summary.status,
        position=summary.position,
        standard=summary.id,
        updated_at=clock.now(),
    )
    if summary.head_version:
        head.version = summary.head_version
    return head


def _with(head: FormHead, **changes: Any) -> FormHead:
    for name, value in changes.items():
        setattr(head, name, value)
    return head
