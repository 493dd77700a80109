"""Who is asking, from where: request metadata that audit events and logs need, set once per request.

It also carries the request's unit-of-work hooks: work that must ride along with the request's first write (the
session's idle-timer refresh) registers here, and ``tables.base.Transaction`` runs it before committing.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

CommitHook = Callable[[Any], None]


@dataclass
class RequestContext:
    request_id: str
    ip: str
    user_agent: str
    # Seconds until the session idles out; the API reports it in X-Idle-Expires-In.
    idle_expires_in: int | None = None
    route: str = ""
    extra_headers: dict[str, str] = field(default_factory=dict)
    before_commit: list[CommitHook] = field(default_factory=list)
    after_commit: list[CommitHook] = field(default_factory=list)


_current: ContextVar[RequestContext | None] = ContextVar("request_context", default=None)


def current() -> RequestContext:
    found = _current.get()
    # Background work (jobs, the outbox worker, scripts) gets a fresh context each time: nothing leaks between them.
    return found if found is not None else RequestContext(request_id="background", ip="-", user_agent="-")


def begin(ctx: RequestContext) -> object:
    return _current.set(ctx)


def end(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
