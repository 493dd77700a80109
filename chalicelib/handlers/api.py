"""The one way to declare a route: parsing, error mapping and the route registry behind OpenAPI and the
authorization matrix.

``endpoint`` wraps a view so that domain errors become problem+json (through ``errors.problem_response``),
unexpected ones become a 500 without details, and the request context (request id, IP, user agent) is set for
audit events and logs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from chalice.app import Request, Response
from pydantic import BaseModel, ConfigDict, ValidationError

from chalicelib import context
from chalicelib.config import get_settings
from chalicelib.errors import (
    DomainError,
    FieldError,
    MalformedRequest,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
    problem_response,
)
from chalicelib.observability import get_logger

B = TypeVar("B", bound=BaseModel)
ViewFunction = Callable[..., Response]
Handler = Callable[[Request, Any, dict[str, str]], Response]


class Access(StrEnum):
    """Who a route admits; docs/authorization.md and tests/api/test_authorization_matrix.py check it."""

    ANYONE = "anyone"
    SIGNED_IN = "signed in"
    CLIENT = "client"
    STAFF = "staff"
    INVITER = "administrators and therapists allowed to invite clients"
    ADMINISTRATOR = "administrator"


@dataclass(frozen=True)
class RouteSpec:
    method: str
    path: str
    access: Access
    summary: str
    body: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    query: type[BaseModel] | None
    content_type: str


ROUTES: list[RouteSpec] = []


class View(BaseModel):
    """Base of every response model. Schemas are built on first use, not at import (cold start)."""

    model_config = ConfigDict(defer_build=True)


class Strict(BaseModel):
    """Base of every request model: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_max_length=10_000, defer_build=True)


class Router:
    """The endpoints of one handler module, found by ``chalicelib.routes`` when a route is first called."""

    def __init__(self, module: str) -> None:
        self.module = module
        self.endpoints: dict[tuple[str, str], Handler] = {}


def endpoint(
    router: Router,
    path: str,
    method: str,
    *,
    access: Access,
    summary: str,
    body: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    query: type[BaseModel] | None = None,
    content_type: str = "application/json",
) -> Callable[[ViewFunction], ViewFunction]:
    full_path = f"/api{path}"

    def register(view: ViewFunction) -> ViewFunction:
        ROUTES.append(RouteSpec(method, full_path, access, summary, body, response, status, query, content_type))

        def handle(request: Request, lambda_context: Any, params: dict[str, str]) -> Response:
            ctx = _context_of(request, lambda_context, f"{method} {full_path}")
            token = context.begin(ctx)
            try:
                _check_path_parameters(params)
                return _with_context_headers(view(request, **params), ctx)
            except DomainError as error:
                return _with_context_headers(problem_response(error, ctx.request_id), ctx)
            except Exception:
                get_logger().exception("unhandled error", route=ctx.route)
                return _with_context_headers(problem_response(DomainError(), ctx.request_id), ctx)
            finally:
                context.end(token)

        router.endpoints[(method, full_path)] = handle
        return view

    return register


PATH_PARAMETER = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _check_path_parameters(params: dict[str, str]) -> None:
    """Ids and slugs are short tokens; anything else names nothing here (and must never reach a key)."""
    if any(not PATH_PARAMETER.match(value) for value in params.values()):
        raise NotFound("Not found.")


def _context_of(request: Request, lambda_context: Any, route: str) -> context.RequestContext:
    request_context = request.context or {}
    identity = request_context.get("identity") or {}
    request_id = request_context.get("requestId") or getattr(lambda_context, "aws_request_id", "") or "-"
    return context.RequestContext(
        request_id=str(request_id),
        ip=str(identity.get("sourceIp") or "-"),
        user_agent=str(request.headers.get("user-agent", "-")),
        route=route,
    )


def _with_context_headers(response: Response, ctx: context.RequestContext) -> Response:
    if ctx.idle_expires_in is not None:
        response.headers["X-Idle-Expires-In"] = str(ctx.idle_expires_in)
    response.headers["X-Request-Id"] = ctx.request_id
    return response


def parse(request: Request, model: type[B]) -> B:
    """Read a JSON body into a strict pydantic model, or raise a problem that names each bad field."""
    raw = request.raw_body or b""
    if len(raw) > get_settings().max_body_bytes:
        raise PayloadTooLarge(f"Send at most {get_settings().max_body_bytes // 1024} KB.")
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise UnsupportedMediaType()
    try:
        data = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise MalformedRequest("The body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise MalformedRequest("The body must be a JSON object.")
    return validate(model, data)


def parse_query(request: Request, model: type[B]) -> B:
    return validate(model, dict(request.query_params or {}))


def validate(model: type[B], data: dict[str, Any]) -> B:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        errors = [FieldError(".".join(str(p) for p in item["loc"]) or "body", _message(item)) for item in error.errors()]
        raise ValidationFailed(errors[0].message if len(errors) == 1 else "Some fields need attention.", errors) from None


def _message(item: Any) -> str:
    kind = item.get("type", "")
    if kind == "extra_forbidden":
        return "This field is not allowed."
    if kind == "missing":
        return "This field is required."
    return str(item.get("msg", "This value is not valid."))


def json_response(model: BaseModel | None, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = "" if model is None else model.model_dump_json()
    all_headers: dict[str, str | list[str]] = {"Content-Type": "application/json"} if model is not None else {}
    all_headers.update(headers or {})
    return Response(body=body, status_code=status, headers=all_headers)
