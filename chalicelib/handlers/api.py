"""The one way to declare a route — the declaration is the whole contract.

``@endpoint(router, path, method, access=..., feature=..., body=..., query=..., response=..., summary=..., note=...)``
on a view is everything about a route: ``endpoint`` authenticates the caller, checks CSRF, the access level and the
feature gate (``auth.guards``), parses the body and query into strict pydantic models, and passes the view only what
its parameters name — ``principal`` (typed by the access level), ``body``, ``query``, ``session``, ``request`` and the
path's own parameters. A view returns a response model (sent with the declared status), ``None`` (no body) or a
ready ``Response``. Domain errors become problem+json (``errors.problem_response``, the only place errors become
HTTP); anything else becomes a 500 without details.

``@webhook(...)`` declares the other kind of route: a raw body from a machine caller, no session and no CSRF,
admitted only when the handler-supplied verifier accepts the signature (and its timestamp), and processed once per
event id: the view records the event with ``claim_event`` in the transaction of its change, and a duplicate
delivery is answered 200 without changing anything.

The route registry built here feeds OpenAPI, docs/authorization.md (generated) and the authorization matrix test.
"""

from __future__ import annotations

import hmac
import inspect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from chalice.app import Request, Response
from pydantic import BaseModel, ConfigDict, ValidationError

from chalicelib import context
from chalicelib.auth import guards, sessions
from chalicelib.auth.access import Access
from chalicelib.auth.features import Feature
from chalicelib.config import get_settings
from chalicelib.errors import (
    DependencyFailed,
    DomainError,
    DuplicateEvent,
    FieldError,
    MalformedRequest,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
    problem_response,
)
from chalicelib.observability import get_logger
from chalicelib.text import check_strings

B = TypeVar("B", bound=BaseModel)
ViewFunction = Callable[..., Any]
Handler = Callable[[Request, Any, dict[str, str]], Response]

__all__ = [
    "ROUTES",
    "Access",
    "Feature",
    "Received",
    "RouteSpec",
    "Router",
    "Strict",
    "VerifiedEvent",
    "View",
    "claim_event",
    "endpoint",
    "json_response",
    "webhook",
]


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
    feature: Feature | None = None
    note: str = ""
    module: str = ""


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


@dataclass(frozen=True)
class Call:
    """What ``endpoint`` learned about a request before the view runs."""

    request: Request
    params: dict[str, str]
    found: sessions.Authenticated | None


def endpoint(
    router: Router,
    path: str,
    method: str,
    *,
    access: Access,
    summary: str,
    note: str = "",
    feature: Feature | None = None,
    body: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    query: type[BaseModel] | None = None,
    content_type: str = "application/json",
    passive: bool = False,
) -> Callable[[ViewFunction], ViewFunction]:
    """``passive=True``: a background poll, which does not restart the session's idle timer (it is not activity)."""
    full_path = f"/api{path}"
    spec = RouteSpec(method, full_path, access, summary, body, response, status, query, content_type, feature, note, router.module)

    def register(view: ViewFunction) -> ViewFunction:
        ROUTES.append(spec)
        wanted = frozenset(inspect.signature(view).parameters)

        def prepare(request: Request, params: dict[str, str]) -> Call:
            found = None
            if access is not Access.ANYONE:
                found = guards.authenticate(request.method, request.headers, refresh=not passive)
                guards.admit_stage(found, access)
                guards.admit(found.principal, access, feature)
            return Call(request, params, found)

        def run(call: Call) -> Response:
            arguments = _arguments(wanted, spec, call)
            result = view(**arguments)
            if isinstance(result, Response):
                return result
            return json_response(result, status=status)

        router.endpoints[(method, full_path)] = _handler(spec, prepare, run)
        return view

    return register


def _arguments(wanted: frozenset[str], spec: RouteSpec, call: Call) -> dict[str, Any]:
    arguments: dict[str, Any] = {name: value for name, value in call.params.items() if name in wanted}
    if "principal" in wanted:
        assert call.found is not None, f"{spec.method} {spec.path}: a view that takes a principal needs a session"
        arguments["principal"] = call.found.principal
    if "session" in wanted:
        arguments["session"] = call.found
    if "request" in wanted:
        arguments["request"] = call.request
    if "body" in wanted and spec.body is not None:
        arguments["body"] = parse(call.request, spec.body)
    if "query" in wanted and spec.query is not None:
        arguments["query"] = parse_query(call.request, spec.query)
    return arguments


def _handler(spec: RouteSpec, prepare: Callable[[Request, dict[str, str]], Call], run: Callable[[Call], Response]) -> Handler:
    def handle(request: Request, lambda_context: Any, params: dict[str, str]) -> Response:
        ctx = _context_of(request, lambda_context, f"{spec.method} {spec.path}")
        token = context.begin(ctx)
        call: Call | None = None
        try:
            _check_path_parameters(params)
            call = prepare(request, params)
            response = run(call)
            sessions.finish_request(call.found.session if call.found else None)
            return _with_context_headers(response, ctx)
        except DomainError as error:
            sessions.finish_request(call.found.session if call and call.found else None)
            return _with_context_headers(problem_response(error, ctx.request_id), ctx)
        except Exception:
            get_logger().exception("unhandled error", route=ctx.route)
            return _with_context_headers(problem_response(DomainError(), ctx.request_id), ctx)
        finally:
            context.end(token)

    return handle


# ---------------------------------------------------------------------------------------------------- webhooks


@dataclass(frozen=True)
class VerifiedEvent:
    """What a webhook verifier vouches for: the sender's event id and type, its payload, and who it is for."""

    event_id: str
    event_type: str
    payload: dict[str, Any]
    tenant: str | None = None


Verifier = Callable[[dict[str, str], bytes, dict[str, str]], VerifiedEvent]
EVENT_KEEP_DAYS = 30


class Received(View):
    received: bool
    duplicate: bool = False


def claim_event(tx: Any, source: str, event: VerifiedEvent) -> None:
    """Record the event in the transaction of the change it causes; a second delivery cancels that transaction and
    is answered 200 "duplicate" (the sender stops retrying; nothing changed)."""
    from datetime import timedelta

    from chalicelib import clock
    from chalicelib.errors import DuplicateEvent
    from chalicelib.tables.keys import webhook_event_pk
    from chalicelib.tables.webhooks import ProcessedEvent

    now = clock.now()
    item = ProcessedEvent(
        webhook_event_pk(source, event.event_id),
        source=source,
        event_type=event.event_type,
        org_id=event.tenant,
        received_at=now,
        expires=now + timedelta(days=EVENT_KEEP_DAYS),
    )
    tx.save(item, condition=ProcessedEvent.pk.does_not_exist(), label="event")
    tx.conflicts["event"] = DuplicateEvent("This event was already processed.")


def webhook(
    router: Router,
    path: str,
    *,
    verify: Verifier,
    summary: str,
    note: str = "",
    response: type[BaseModel] | None = None,
    status: int = 200,
) -> Callable[[ViewFunction], ViewFunction]:
    """A machine-to-machine route: POST, raw body, no session or CSRF. ``verify(headers, raw_body, path_params)``
    checks the signature (and its timestamp tolerance) and returns the event, or raises a DomainError; the view gets
    ``event`` (and path parameters) and must record ``event.event_id`` in the transaction of its change, so a
    replayed or duplicate delivery changes nothing."""
    full_path = f"/api{path}"
    spec = RouteSpec(
        "POST", full_path, Access.WEBHOOK, summary, None, response, status, None, "application/json", None, note, router.module
    )

    def register(view: ViewFunction) -> ViewFunction:
        ROUTES.append(spec)

        def prepare(request: Request, params: dict[str, str]) -> Call:
            return Call(request, params, None)

        def run(call: Call) -> Response:
            body = call.request.raw_body or b""
            raw = body.encode() if isinstance(body, str) else body
            if len(raw) > get_settings().max_body_bytes * 4:
                raise PayloadTooLarge("The event is too large.")
            headers = {name.lower(): value for name, value in call.request.headers.items()}
            event = verify(headers, raw, call.params)
            try:
                result = view(event=event, **call.params)
            except DuplicateEvent:
                return json_response(Received(received=True, duplicate=True))
            return result if isinstance(result, Response) else json_response(result, status=status)

        router.endpoints[("POST", full_path)] = _handler(spec, prepare, run)
        return view

    return register


# ------------------------------------------------------------------------------------------------- plumbing

PATH_PARAMETER = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _check_path_parameters(params: dict[str, str]) -> None:
    """Ids and slugs are short tokens; anything else names nothing here (and must never reach a key)."""
    if any(not PATH_PARAMETER.match(value) for value in params.values()):
        raise NotFound("Not found.")


def _context_of(request: Request, lambda_context: Any, route: str) -> context.RequestContext:
    request_context = request.context or {}
    request_id = request_context.get("requestId") or getattr(lambda_context, "aws_request_id", "") or "-"
    return context.RequestContext(
        request_id=str(request_id),
        ip=client_ip(request),
        user_agent=str(request.headers.get("user-agent", "-")),
        route=route,
    )


ORIGIN_VERIFY_HEADER = "x-portal-origin-verify"
VIEWER_ADDRESS_HEADER = "cloudfront-viewer-address"


def client_ip(request: Request) -> str:
    """The person's address, for per-address throttling and the audit trail. Behind CloudFront the connection's source
    is an edge server; CloudFront names the viewer in ``CloudFront-Viewer-Address`` ("ip:port"). That header is
    believed only with the origin secret CloudFront adds: the API's own execute-api address is reachable directly,
    and anyone can send any header there."""
    identity = (request.context or {}).get("identity") or {}
    source = str(identity.get("sourceIp") or "-")
    secret_id = get_settings().origin_verify_secret
    offered = request.headers.get(ORIGIN_VERIFY_HEADER)
    if not (secret_id and offered):
        return source
    from chalicelib.config import read_secret

    try:
        expected = read_secret(secret_id)
    except DependencyFailed:  # Secrets Manager unreachable: the edge's address, as before the CDN
        return source
    if not hmac.compare_digest(offered.encode(), expected.encode()):
        return source
    return _viewer_of(request, source)


def _viewer_of(request: Request, source: str) -> str:
    """CloudFront-Viewer-Address if CloudFront forwarded it, else the address CloudFront appended to X-Forwarded-For
    (the last entry that is not the connection's own source; anything before it the viewer could have written)."""
    viewer = request.headers.get(VIEWER_ADDRESS_HEADER, "")
    if viewer:
        return viewer.rsplit(":", 1)[0].strip("[]") or source  # "198.51.100.10:46532", "2001:db8::1:46532"
    hops = [hop.strip() for hop in request.headers.get("x-forwarded-for", "").split(",") if hop.strip()]
    if hops and hops[-1] == source:
        hops.pop()
    return hops[-1] if hops else source


def _with_context_headers(response: Response, ctx: context.RequestContext) -> Response:
    if ctx.idle_expires_in is not None:
        response.headers["X-Idle-Expires-In"] = str(ctx.idle_expires_in)
    response.headers["X-Request-Id"] = ctx.request_id
    response.headers.update(ctx.extra_headers)
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
    check_strings(data)
    return validate(model, data)


def parse_query(request: Request, model: type[B]) -> B:
    data: dict[str, Any] = dict(request.query_params or {})
    check_strings(data, where="query")
    return validate(model, data)


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
