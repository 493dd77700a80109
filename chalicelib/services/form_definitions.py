"""What a form is: its fields, their types, required fields and show/hide conditions — and what a valid answer is.

A definition is checked when it is saved (builder) and answers are checked against it when saved (types, lengths)
and again, stricter, when submitted (every visible required field answered). The server decides; the UI only helps.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from chalicelib.errors import FieldError, ValidationFailed
from chalicelib.services.validation import EMAIL_PATTERN, PHONE_PATTERN

FieldType = Literal[
    "short_text",
    "long_text",
    "number",
    "date",
    "single_choice",
    "multiple_choice",
    "yes_no",
    "email",
    "phone",
    "address",
    "heading",
    "static_text",
    "signature",
]
NO_ANSWER = {"heading", "static_text", "signature"}
CHOICES = {"single_choice", "multiple_choice"}
TEXT_LIMITS = {"short_text": 500, "long_text": 5000, "address": 500, "email": 254, "phone": 40}
Answer = str | bool | float | int | list[str]
# What the practice already knows and may pre-fill (the client confirms it): the client record's field for each, and
# the question types that can hold it.
Prefill = Literal["name", "date_of_birth", "email", "phone"]
PREFILL_TYPES: dict[str, set[str]] = {
    "name": {"short_text"},
    "date_of_birth": {"date"},
    "email": {"email", "short_text"},
    "phone": {"phone", "short_text"},
}


class ShowIf(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: str
    equals: str | bool | float


class FieldSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    type: FieldType
    label: str = Field(min_length=1, max_length=2000)
    required: bool = False
    help: str | None = Field(default=None, max_length=500)
    options: list[str] | None = Field(default=None, max_length=50)
    show_if: ShowIf | None = None
    prefill: Prefill | None = None

    @model_validator(mode="after")
    def _options_fit_the_type(self) -> FieldSpec:
        if self.type in CHOICES:
            options = self.options or []
            if len(options) < 2 or len(set(options)) != len(options) or any(not o.strip() or len(o) > 200 for o in options):
                raise ValueError(f"field {self.id}: a choice needs at least two distinct, non-empty options")
        elif self.options:
            raise ValueError(f"field {self.id}: only choice fields have options")
        if self.type in NO_ANSWER - {"signature"} and self.required:
            raise ValueError(f"field {self.id}: a {self.type} cannot be required")
        if self.prefill is not None and self.type not in PREFILL_TYPES[self.prefill]:
            raise ValueError(f"field {self.id}: a {self.type} question cannot be pre-filled with the {self.prefill}")
        return self


class FormDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=1000)
    fields: list[FieldSpec] = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _fields_make_sense(self) -> FormDefinition:
        seen: dict[str, FieldSpec] = {}
        for spec in self.fields:
            if spec.id in seen:
                raise ValueError(f"field ids must be unique: {spec.id}")
            if spec.show_if is not None:
                target = seen.get(spec.show_if.field)
                if target is None or target.type in NO_ANSWER:
                    raise ValueError(f"field {spec.id}: show_if must name an earlier question")
            seen[spec.id] = spec
        if sum(1 for spec in self.fields if spec.type == "signature") > 1:
            raise ValueError("a form has at most one signature field")
        return self


def parse_definition(data: dict[str, Any]) -> FormDefinition:
    try:
        return FormDefinition.model_validate(data)
    except ValidationError as error:
        problems = [
            FieldError(".".join(str(p) for p in item["loc"]) or "definition", str(item["msg"]).removeprefix("Value error, "))
            for item in error.errors()
        ]
        raise ValidationFailed(problems[0].message, problems) from None


# ------------------------------------------------------------------------------------------------ answers


def visible_fields(definition: FormDefinition, answers: dict[str, Any]) -> list[FieldSpec]:
    """Fields shown for these answers: a field with show_if appears when its (visible) target has that answer."""
    shown: dict[str, FieldSpec] = {}
    for spec in definition.fields:
        condition = spec.show_if
        if condition is None or (condition.field in shown and _matches(answers.get(condition.field), condition.equals)):
            shown[spec.id] = spec
    return list(shown.values())


def _matches(answer: Any, expected: str | bool | float) -> bool:
    """A multiple-choice answer matches when it includes the value; any other answer when it equals it."""
    return expected in answer if isinstance(answer, list) else bool(answer == expected)


def check_answers(definition: FormDefinition, answers: dict[str, Any]) -> dict[str, Answer]:
    """Types and sizes of a draft (incomplete is fine). Unknown fields and answers to non-questions are refused."""
    specs = {spec.id: spec for spec in definition.fields}
    problems: list[FieldError] = []
    clean: dict[str, Answer] = {}
    for field_id, value in answers.items():
        spec = specs.get(field_id)
        if spec is None or spec.type in NO_ANSWER:
            problems.append(FieldError(f"answers.{field_id}", "This form has no such question."))
            continue
        if value is None or value == "" or value == []:
            continue
        problem = _problem(spec, value)
        if problem:
            problems.append(FieldError(f"answers.{field_id}", problem))
        else:
            clean[field_id] = value.strip() if isinstance(value, str) else value
    if problems:
        raise ValidationFailed(problems[0].message if len(problems) == 1 else "Some answers need attention.", problems)
    return clean


def prefilled(definition: FormDefinition, known: dict[str, str | None]) -> dict[str, Answer]:
    """Answers the practice already has (``known``: the client record's name, date of birth, email, phone) for the
    questions that ask for them — each only if it is a valid answer to its question. The client sees and confirms
    them; nothing is signed that they did not see."""
    found: dict[str, Answer] = {}
    for spec in definition.fields:
        value = (known.get(spec.prefill) or "").strip() if spec.prefill else ""
        if value and _problem(spec, value) is None:
            found[spec.id] = value
    return found


def check_complete(definition: FormDefinition, answers: dict[str, Answer]) -> dict[str, Answer]:
    """Every visible required question answered; answers to hidden questions are dropped from the record."""
    visible = visible_fields(definition, answers)
    missing = [
        FieldError(f"answers.{spec.id}", "This question needs an answer.")
        for spec in visible
        if spec.required and spec.type not in NO_ANSWER and answers.get(spec.id) in (None, "", [])
    ]
    if missing:
        raise ValidationFailed("Please answer every required question before signing.", missing)
    shown = {spec.id for spec in visible}
    return {field_id: value for field_id, value in answers.items() if field_id in shown}


def _problem(spec: FieldSpec, value: Any) -> str | None:
    kind = spec.type
    if kind in TEXT_LIMITS and not isinstance(value, str):
        return "Enter text."
    if kind in TEXT_LIMITS and len(value) > TEXT_LIMITS[kind]:
        return f"Use at most {TEXT_LIMITS[kind]} characters."
    if kind == "email" and not EMAIL_PATTERN.match(value.strip()):
        return "Enter a valid email address."
    if kind == "phone" and not PHONE_PATTERN.match(value.strip()):
        return "Use digits, spaces and + ( ) - only."
    if kind == "number" and (isinstance(value, bool) or not isinstance(value, int | float) or abs(value) > 1e12):
        return "Enter a number."
    if kind == "date":
        return None if isinstance(value, str) and _is_date(value) else "Enter a date as YYYY-MM-DD."
    if kind == "yes_no" and not isinstance(value, bool):
        return "Answer yes or no."
    if kind == "single_choice" and value not in (spec.options or []):
        return "Choose one of the options."
    if kind == "multiple_choice" and not _is_choice_list(value, spec.options or []):
        return "Choose among the options."
    return None


def _is_choice_list(value: Any, options: list[str]) -> bool:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return False
    return set(value) <= set(options) and len(set(value)) == len(value)


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10
