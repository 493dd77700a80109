from __future__ import annotations

from typing import Any

import pytest

from chalicelib.errors import ValidationFailed
from chalicelib.forms.standard import STANDARD_FORMS
from chalicelib.services.form_definitions import check_answers, check_complete, parse_definition, visible_fields


def definition(*fields: dict[str, Any]) -> dict[str, Any]:
    return {"title": "Test form", "fields": list(fields)}


YES_NO = {"id": "meds", "type": "yes_no", "label": "Medications?", "required": True}
DETAILS = {"id": "meds_list", "type": "long_text", "label": "Which?", "required": True, "show_if": {"field": "meds", "equals": True}}


@pytest.mark.parametrize("form", STANDARD_FORMS, ids=[f["id"] for f in STANDARD_FORMS])
def test_the_standard_forms_are_valid_definitions(form: dict[str, Any]) -> None:
    parsed = parse_definition({k: v for k, v in form.items() if k != "id"})
    assert [f for f in parsed.fields if f.type == "signature"]


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ([{"id": "a", "type": "short_text", "label": "A"}, {"id": "a", "type": "short_text", "label": "B"}], "unique"),
        ([{"id": "c", "type": "single_choice", "label": "C", "options": ["only one"]}], "two distinct"),
        ([{"id": "t", "type": "short_text", "label": "T", "options": ["x", "y"]}], "only choice"),
        ([{"id": "later", "type": "short_text", "label": "L", "show_if": {"field": "nope", "equals": True}}], "earlier question"),
        ([{"id": "h", "type": "heading", "label": "H", "required": True}], "cannot be required"),
        ([{"id": "s1", "type": "signature", "label": "S"}, {"id": "s2", "type": "signature", "label": "S"}], "at most one"),
        ([{"id": "Bad Id", "type": "short_text", "label": "B"}], "pattern"),
        ([{"id": "x", "type": "rainbow", "label": "X"}], "Input should be"),
    ],
)
def test_bad_definitions_are_refused(fields: list[dict[str, Any]], problem: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        parse_definition(definition(*fields))
    assert problem in " ".join(e.message for e in raised.value.errors)


def test_show_if_hides_a_question_until_its_condition_holds() -> None:
    parsed = parse_definition(definition(YES_NO, DETAILS))
    assert [f.id for f in visible_fields(parsed, {"meds": False})] == ["meds"]
    assert [f.id for f in visible_fields(parsed, {"meds": True})] == ["meds", "meds_list"]


def test_a_hidden_required_question_is_not_required_and_its_answer_is_dropped() -> None:
    parsed = parse_definition(definition(YES_NO, DETAILS))
    assert check_complete(parsed, {"meds": False, "meds_list": "left over"}) == {"meds": False}
    with pytest.raises(ValidationFailed) as raised:
        check_complete(parsed, {"meds": True})
    assert raised.value.errors[0].field == "answers.meds_list"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ({"id": "d", "type": "date", "label": "D"}, "12/04/1990"),
        ({"id": "e", "type": "email", "label": "E"}, "not-an-email"),
        ({"id": "n", "type": "number", "label": "N"}, "12"),
        ({"id": "y", "type": "yes_no", "label": "Y"}, "yes"),
        ({"id": "c", "type": "single_choice", "label": "C", "options": ["a", "b"]}, "z"),
        ({"id": "m", "type": "multiple_choice", "label": "M", "options": ["a", "b"]}, ["a", "a"]),
        ({"id": "s", "type": "short_text", "label": "S"}, "x" * 501),
    ],
)
def test_answers_of_the_wrong_type_or_size_are_refused(field: dict[str, Any], value: Any) -> None:
    parsed = parse_definition(definition(field))
    with pytest.raises(ValidationFailed):
        check_answers(parsed, {field["id"]: value})


def test_answers_to_unknown_questions_or_to_non_questions_are_refused() -> None:
    parsed = parse_definition(definition({"id": "h", "type": "heading", "label": "H"}, {"id": "q", "type": "short_text", "label": "Q"}))
    with pytest.raises(ValidationFailed):
        check_answers(parsed, {"unknown": "x"})
    with pytest.raises(ValidationFailed):
        check_answers(parsed, {"h": "x"})
    assert check_answers(parsed, {"q": "  fine  "}) == {"q": "fine"}


def test_show_if_on_a_multiple_choice_question_matches_any_chosen_option() -> None:
    concerns = {"id": "concerns", "type": "multiple_choice", "label": "Concerns", "options": ["Sleep", "Grief"]}
    grief = {"id": "grief_details", "type": "long_text", "label": "Tell us", "show_if": {"field": "concerns", "equals": "Grief"}}
    parsed = parse_definition(definition(concerns, grief))
    assert [f.id for f in visible_fields(parsed, {"concerns": ["Sleep", "Grief"]})] == ["concerns", "grief_details"]
    assert [f.id for f in visible_fields(parsed, {"concerns": ["Sleep"]})] == ["concerns"]
