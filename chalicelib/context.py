"""Who is asking, from where: request metadata that audit events and logs need, set once per request."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class RequestContext:
    request_id: str
    ip: str
    user_agent: str
    # Seconds until the session idles out; the API reports it in X-Idle-Expires-In.
    idle_expires_in: int | None = None
    route: str = ""
    extra_headers: dict[str, str] = field(default_factory=dict)


_current: ContextVar[RequestContext | None] = ContextVar("request_context", default=None)

_BACKGROUND = RequestContext(request_id="background", ip="-", user_agent="-")


def current() -> RequestContext:
    return _current.get() or _BACKGROUND


def begin(ctx: RequestContext) -> object:
    return _current.set(ctx)


def end(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
