"""Password policy (NIST SP 800-63B / ASVS L2) and argon2id hashing.

argon2 is imported on first use so that a cold start does not pay for it.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from chalicelib.errors import FieldError, ValidationFailed

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MIN_LENGTH = 8
MAX_LENGTH = 128
_COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt.gz")


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    # 11.6k entries of length >= 8 from zxcvbn's frequency list (MIT licence); shorter ones fail on length anyway.
    with gzip.open(_COMMON_PASSWORDS, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


def policy_problems(password: str, *, email: str | None = None) -> list[str]:
    """Length and breach-list checks only: no composition rules, as NIST recommends."""
    if len(password) < MIN_LENGTH:
        return [f"Use at least {MIN_LENGTH} characters."]
    if len(password) > MAX_LENGTH:
        return [f"Use at most {MAX_LENGTH} characters."]
    lowered = password.lower()
    if lowered in _common_passwords():
        return ["This password is too common. Choose something harder to guess."]
    if email and lowered in {email.lower(), email.split("@", 1)[0].lower()}:
        return ["Do not use your email address as your password."]
    if len(set(password)) == 1:
        return ["Do not repeat one character."]
    return []


def enforce_policy(password: str, *, field: str = "password", email: str | None = None) -> None:
    problems = policy_problems(password, email=email)
    if problems:
        raise ValidationFailed(problems[0], [FieldError(field, problems[0])])


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher, Type

    # OWASP's argon2id baseline (19 MiB, t=2, p=1) raised to 3 iterations.
    return PasswordHasher(time_cost=3, memory_cost=19 * 1024, parallelism=1, type=Type.ID)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant work whether or not the account exists: unknown accounts verify against a dummy hash."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("not-a-real-password-only-for-timing")


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
