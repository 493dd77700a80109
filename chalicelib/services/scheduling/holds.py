"""Exactly one appointment per stretch of a therapist's time, decided by conditional writes inside the booking's
own transaction — never by reading first.

An appointment holds its padded time [start − buffer before, end + buffer after) as claim items. Whole hours (UTC,
aligned) are held with one ``HOUR#`` item each (``held_by``); the partial hours at either end with one ``SLOT#``
item per five-minute block, each of which also adds one to its hour's ``shared`` count. The conditions:

- a block is written only if no other appointment holds it (attribute_not_exists);
- an hour is taken whole only if no one holds it and no block inside it is held (``shared`` is 0);
- a block's hour gains a share only if no one holds that hour whole.

So two padded intervals that share a minute always meet on one item, whichever of the three cases they are in, and
the emulator (like DynamoDB) commits one transaction and cancels the other. A 240-minute stretch needs at most
about 30 items, so moving even the longest appointment fits in one transaction (at most 100 items). Times are
whole multiples of five minutes (every zone's offset is a multiple of 15 minutes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib.services.scheduling.slots import instant
from chalicelib.tables import keys
from chalicelib.tables.base import Transaction
from chalicelib.tables.scheduling import BlockClaim, HourClaim

BLOCK = 5
HOUR = 60
KEEP = timedelta(days=7)  # claims outlive their time by a week, then expire (TTL)
LABEL = "time"


@dataclass(frozen=True)
class Hold:
    """What one padded interval holds: hours whole, and blocks grouped by their hour."""

    whole: frozenset[int] = frozenset()
    blocks: dict[int, frozenset[int]] = field(default_factory=dict)

    def role(self, hour: int) -> str | int | None:
        """ "whole", the number of blocks held in the hour, or None."""
        if hour in self.whole:
            return "whole"
        return len(self.blocks[hour]) if hour in self.blocks else None

    @property
    def all_blocks(self) -> frozenset[int]:
        return frozenset(b for group in self.blocks.values() for b in group)

    @property
    def hours(self) -> frozenset[int]:
        return self.whole | frozenset(self.blocks)


def hold_of(start: int, end: int) -> Hold:
    """The claims of [start, end) (epoch minutes, multiples of five)."""
    if start % BLOCK or end % BLOCK or end <= start:
        raise ValueError("a held interval is a positive whole number of five-minute blocks")
    whole: set[int] = set()
    blocks: dict[int, set[int]] = {}
    hour = start - start % HOUR
    while hour < end:
        lo, hi = max(start, hour), min(end, hour + HOUR)
        if lo == hour and hi == hour + HOUR:
            whole.add(hour)
        else:
            blocks.setdefault(hour, set()).update(range(lo, hi, BLOCK))
        hour += HOUR
    return Hold(frozenset(whole), {h: frozenset(b) for h, b in blocks.items()})


@dataclass(frozen=True)
class HourChange:
    hour: int
    before: str | int | None
    after: str | int | None


@dataclass(frozen=True)
class Plan:
    """The writes that move an appointment from one hold to another (either may be empty)."""

    take_blocks: frozenset[int]
    free_blocks: frozenset[int]
    hours: tuple[HourChange, ...]

    @property
    def size(self) -> int:
        return len(self.take_blocks) + len(self.free_blocks) + len(self.hours)


def plan(before: Hold | None, after: Hold | None) -> Plan:
    """Only what differs: a move that overlaps its old time keeps the claims both share."""
    old, new = before or Hold(), after or Hold()
    changes = tuple(
        HourChange(hour, old.role(hour), new.role(hour)) for hour in sorted(old.hours | new.hours) if old.role(hour) != new.role(hour)
    )
    return Plan(new.all_blocks - old.all_blocks, old.all_blocks - new.all_blocks, changes)


def padded(start: int, end: int, before: int, after: int) -> Hold:
    return hold_of(start - before, end + after)


def apply(tx: Transaction, org_id: str, therapist_id: str, appointment_id: str, changes: Plan) -> None:
    """Add the plan's writes to the transaction; a claim someone else holds fails the ``time`` label."""
    pk = keys.org_pk(org_id)
    for block in sorted(changes.take_blocks):
        claim = BlockClaim(pk, keys.block_claim_sk(therapist_id, block), appointment_id=appointment_id, expires=_expiry(block))
        tx.save(claim, condition=BlockClaim.sk.does_not_exist(), label=LABEL)
    for block in sorted(changes.free_blocks):
        claim = BlockClaim(pk, keys.block_claim_sk(therapist_id, block))
        tx.delete(claim, condition=BlockClaim.appointment_id == appointment_id, label=LABEL)
    for change in changes.hours:
        actions, condition = _hour_writes(change, appointment_id)
        tx.update(
            HourClaim(pk, keys.hour_claim_sk(therapist_id, change.hour)),
            actions=[*actions, HourClaim.expires.set(_expiry(change.hour))],
            condition=condition,
            label=LABEL,
            add_version_condition=False,
        )


def _hour_writes(change: HourChange, appointment_id: str) -> tuple[list[Action], Condition | None]:
    before, after = change.before, change.after
    mine = HourClaim.held_by == appointment_id
    nobody = HourClaim.held_by.does_not_exist()
    if after == "whole":
        # Taken whole only when no block inside it is held by anyone else (the ones we held become the hour).
        ours = int(before) if isinstance(before, int) else 0
        unshared = (HourClaim.shared == ours) if ours else (HourClaim.shared.does_not_exist() | (HourClaim.shared == 0))
        return [HourClaim.held_by.set(appointment_id), *([HourClaim.shared.add(-ours)] if ours else [])], nobody & unshared
    count = int(after) if isinstance(after, int) else 0
    if before == "whole":
        return [HourClaim.held_by.remove(), *([HourClaim.shared.add(count)] if count else [])], mine
    delta = count - (int(before) if isinstance(before, int) else 0)
    return [HourClaim.shared.add(delta)], (nobody if delta > 0 else None)


def _expiry(minute: int) -> datetime:
    return instant(minute + HOUR) + KEEP
