"""Intake forms: the practice's forms — the three standard ones and its own — built, versioned, ordered, retired."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from chalicelib.auth.features import Feature
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.handlers.api import Access, Router, Strict, View, endpoint
from chalicelib.services import forms
from chalicelib.text import Line

router = Router(__name__)

OWN = "Own practice only; another practice's form id is 404."


class FormSummaryView(View):
    id: str
    title: str
    current_version: int
    status: Literal["active", "draft", "retired"]
    position: int
    standard: bool
    head_version: int

    @classmethod
    def of(cls, summary: forms.FormSummary) -> FormSummaryView:
        return cls(**summary.__dict__)


class FormListView(View):
    items: list[FormSummaryView]


class FormView(View):
    form: FormSummaryView
    number: int
    definition: dict[str, Any]


class NewFormRequest(Strict):
    definition: dict[str, Any] | None = None
    copy_of: Line | None = Field(default=None, max_length=64)


class FormChangeRequest(Strict):
    head_version: int = Field(ge=0)
    definition: dict[str, Any]


class FormOrderRequest(Strict):
    form_ids: list[Line] = Field(max_length=200)


class VersionQuery(Strict):
    version: int | None = Field(default=None, ge=1)


@endpoint(router, "/forms", "GET", access=Access.STAFF, feature=Feature.INTAKE_FORMS, summary="The practice's intake forms",
          response=FormListView, note="The own practice's forms (standard forms and its own).")  # fmt: skip
def list_forms(principal: StaffPrincipal) -> FormListView:
    return FormListView(items=[FormSummaryView.of(f) for f in forms.list_forms(principal)])


@endpoint(router, "/forms", "POST", access=Access.ADMINISTRATOR, feature=Feature.INTAKE_FORMS, summary="Create a form, or copy one",
          body=NewFormRequest, response=FormSummaryView, status=201,
          note="Own practice only; a copy of a standard or own form, or a new definition.")  # fmt: skip
def create_form(principal: StaffPrincipal, body: NewFormRequest) -> FormSummaryView:
    return FormSummaryView.of(forms.create_form(principal, body.definition, body.copy_of))


@endpoint(router, "/forms/{form_id}", "GET", access=Access.STAFF, feature=Feature.INTAKE_FORMS, summary="A form's definition",
          query=VersionQuery, response=FormView, note=OWN)  # fmt: skip
def get_form(principal: StaffPrincipal, form_id: str, query: VersionQuery) -> FormView:
    found = forms.get_form(principal, form_id, query.version)
    definition = found.definition.model_dump(mode="json", exclude_none=True)
    return FormView(form=FormSummaryView.of(found.summary), number=found.number, definition=definition)


@endpoint(router, "/forms/{form_id}", "PUT", access=Access.ADMINISTRATOR, feature=Feature.INTAKE_FORMS,
          summary="Edit a form (writes a new version)", body=FormChangeRequest, response=FormSummaryView,
          note="Own practice only — another practice's id is 404; standard forms and stale versions 409.")  # fmt: skip
def update_form(principal: StaffPrincipal, form_id: str, body: FormChangeRequest) -> FormSummaryView:
    return FormSummaryView.of(forms.update_form(principal, form_id, body.head_version, body.definition))


@endpoint(router, "/forms/{form_id}/retire", "POST", access=Access.ADMINISTRATOR, feature=Feature.INTAKE_FORMS,
          summary="Retire a form", response=FormSummaryView, note=OWN)  # fmt: skip
def retire_form(principal: StaffPrincipal, form_id: str) -> FormSummaryView:
    return FormSummaryView.of(forms.set_status(principal, form_id, "retired"))


@endpoint(router, "/forms/{form_id}/restore", "POST", access=Access.ADMINISTRATOR, feature=Feature.INTAKE_FORMS,
          summary="Make a form active (a retired form, or a draft copy)", response=FormSummaryView, note=OWN)  # fmt: skip
def restore_form(principal: StaffPrincipal, form_id: str) -> FormSummaryView:
    return FormSummaryView.of(forms.set_status(principal, form_id, "active"))


@endpoint(router, "/form-order", "PUT", access=Access.ADMINISTRATOR, feature=Feature.INTAKE_FORMS, summary="Reorder the forms",
          body=FormOrderRequest, response=FormListView, note="Own practice only; every form named once.")  # fmt: skip
def reorder_forms(principal: StaffPrincipal, body: FormOrderRequest) -> FormListView:
    return FormListView(items=[FormSummaryView.of(f) for f in forms.reorder(principal, body.form_ids)])
