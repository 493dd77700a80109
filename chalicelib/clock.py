"""The one source of "now". Tests move time with ``freeze``/``advance`` instead of sleeping."""

from __future__ import annotations

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


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
