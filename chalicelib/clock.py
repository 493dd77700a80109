"""The one source of "now". Tests move time with ``freeze``/``advance`` instead of sleeping."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

_frozen: list[datetime] = []


def now() -> datetime:
    return _frozen[-1] if _frozen else datetime.now(UTC)


def freeze(at: datetime) -> None:
    _frozen.clear()
    _frozen.append(at.astimezone(UTC))


def advance(by: timedelta) -> None:
    freeze(now() + by)


def unfreeze() -> None:
    _frozen.clear()


@contextmanager
def set_back_to(moment: datetime) -> Iterator[None]:
    """Now is ``moment`` inside the block; afterwards time is as it was (frozen or not). For the demo seed's history."""
    saved = list(_frozen)
    freeze(moment)
    try:
        yield
    finally:
        _frozen[:] = saved


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
