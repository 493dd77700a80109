from __future__ import annotations

import pytest

from chalicelib.auth import passwords
from chalicelib.errors import ValidationFailed


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short7!", "at least 8"),
        ("x" * 129, "at most 128"),
        ("password123", "too common"),
        ("iloveyou2", "too common"),
        ("aaaaaaaaaaaa", "repeat"),
    ],
)
def test_policy_rejects(password: str, problem: str) -> None:
    # When a weak password is checked
    problems = passwords.policy_problems(password)

    # Then the first problem explains why
    assert problems and problem in problems[0]


def test_policy_rejects_the_account_email() -> None:
    assert passwords.policy_problems("dana.smith@clinic.test", email="dana.smith@clinic.test")
    assert passwords.policy_problems("dana.smith", email="dana.smith@clinic.test")


@pytest.mark.parametrize("password", ["correct horse battery staple", "kL9#pq!2", "Ω" * 3 + "mountain-river", "x" * 120 + "yz12345"])
def test_policy_accepts_long_or_unusual_passwords_without_composition_rules(password: str) -> None:
    assert passwords.policy_problems(password) == []


def test_enforce_policy_names_the_field() -> None:
    with pytest.raises(ValidationFailed) as raised:
        passwords.enforce_policy("1234567", field="new_password")
    assert raised.value.errors[0].field == "new_password"


def test_hash_is_argon2id_and_verifies() -> None:
    # Given a stored hash
    stored = passwords.hash_password("correct horse battery staple")

    # Then it is argon2id, salted, and only the right password verifies
    assert stored.startswith("$argon2id$")
    assert stored != passwords.hash_password("correct horse battery staple")
    assert passwords.verify_password(stored, "correct horse battery staple")
    assert not passwords.verify_password(stored, "correct horse battery stapler")


def test_unknown_account_never_verifies() -> None:
    assert not passwords.verify_password(None, "anything at all")
    assert not passwords.verify_password("not-a-hash", "anything at all")


def test_hashes_made_with_weaker_parameters_need_rehashing() -> None:
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash("correct horse battery staple")
    assert passwords.needs_rehash(weak)
    assert not passwords.needs_rehash(passwords.hash_password("correct horse battery staple"))
