"""Recovery codes: ten single-use codes shown once, stored only as hashes.

Each code has 80 random bits (16 characters of an alphabet without look-alikes, shown in four groups), so a plain
SHA-256 — salted with the account id — cannot be reversed by guessing, and a code's item can be keyed by its hash:
using one is a conditional delete of that key, with no read and no search.
"""

from __future__ import annotations

import hashlib
import re
import secrets

COUNT = 10
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no i, l, o, 0, 1
GROUPS, GROUP_LENGTH = 4, 4
_LENGTH = GROUPS * GROUP_LENGTH


def new_codes() -> tuple[str, ...]:
    return tuple(_new_code() for _ in range(COUNT))


def _new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(_LENGTH))
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, _LENGTH, GROUP_LENGTH))


def normalise(code: str) -> str | None:
    """Spaces, dashes and case do not matter; anything that cannot be a code is None."""
    cleaned = re.sub(r"[\s-]", "", code).lower()
    if len(cleaned) != _LENGTH or any(char not in ALPHABET for char in cleaned):
        return None
    return cleaned


def code_hash(account_id: str, code: str) -> str:
    """The stored form of a (normalised) code."""
    return hashlib.sha256(f"{account_id}:{code}".encode()).hexdigest()
