"""Page cursors: authenticated (HMAC-SHA256 with the deployment's signing key) and bound to the route and the caller.

A cursor carries the last evaluated key of a Query, which only this code reads back. The tag covers the route, the
caller and the key, so a cursor is useless on another route, to another person or after any edit; the key itself is
also checked against the partition the caller may read. Anything else is a 400 ``/problems/invalid-cursor``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from chalicelib import context
from chalicelib.config import signing_key
from chalicelib.errors import InvalidCursor

VERSION = "c1"
TAG_BYTES = 16


def encode(last_key: dict[str, Any] | None, *, caller: str) -> str | None:
    if not last_key:
        return None
    payload = _b64(json.dumps(_compact(last_key), separators=(",", ":"), sort_keys=True).encode())
    return f"{VERSION}.{payload}.{_tag(payload, caller)}"


def decode(cursor: str | None, *, caller: str, expected: dict[str, str]) -> dict[str, Any] | None:
    """The key a cursor carries, if this route issued it to this caller and it stays in the expected partition."""
    if not cursor:
        return None
    parts = cursor.split(".")
    if len(parts) != 3 or parts[0] != VERSION or not hmac.compare_digest(parts[2], _tag(parts[1], caller)):
        raise InvalidCursor("This page link is not valid here. Start from the first page.")
    try:
        compact = json.loads(_unb64(parts[1]))
    except (ValueError, UnicodeDecodeError):
        raise InvalidCursor("This page link is not valid here. Start from the first page.") from None
    key = _expand(compact)
    if any(key.get(name) != {"S": value} for name, value in expected.items()):
        raise InvalidCursor("This page link is not valid here. Start from the first page.")
    return key


def _tag(payload: str, caller: str) -> str:
    message = f"{context.current().route}\n{caller}\n{payload}".encode()
    return _b64(hmac.new(signing_key(), message, hashlib.sha256).digest()[:TAG_BYTES])


def _compact(key: dict[str, Any]) -> dict[str, str]:
    """Our keys are string attributes: {"pk": {"S": "…"}} travels as {"pk": "…"}."""
    return {name: str(value["S"]) for name, value in key.items()}


def _expand(compact: Any) -> dict[str, Any]:
    if not isinstance(compact, dict) or not 0 < len(compact) <= 4:
        raise InvalidCursor("This page link is not valid here. Start from the first page.")
    if not all(isinstance(k, str) and isinstance(v, str) and len(v) <= 1024 for k, v in compact.items()):
        raise InvalidCursor("This page link is not valid here. Start from the first page.")
    return {name: {"S": value} for name, value in compact.items()}


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
