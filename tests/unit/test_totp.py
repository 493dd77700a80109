"""Authenticator codes (RFC 6238) and recovery codes: the windows a code is accepted in, and replay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.auth import recovery_codes, totp

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = datetime(2026, 11, 23, 9, 0, 10, tzinfo=UTC)


def code(steps: int = 0) -> str:
    return totp.code_at(SECRET, totp.step_at(NOW) + steps)


def test_rfc_6238_reference_value() -> None:
    # RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (eight digits); the six-digit code is its last six
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890"
    assert totp.code_at(secret, 59 // 30) == "287082"


def test_the_current_code_is_accepted_for_the_current_step() -> None:
    assert totp.matching_step(SECRET, code(), NOW) == totp.step_at(NOW)


def test_one_step_either_side_is_accepted_for_clock_drift() -> None:
    assert totp.matching_step(SECRET, code(-1), NOW) == totp.step_at(NOW) - 1
    assert totp.matching_step(SECRET, code(+1), NOW) == totp.step_at(NOW) + 1


def test_two_steps_away_is_refused() -> None:
    assert totp.matching_step(SECRET, code(-2), NOW) is None
    assert totp.matching_step(SECRET, code(+2), NOW) is None


def test_a_code_is_not_accepted_again_for_its_step_or_an_earlier_one() -> None:
    # Given the current step's code was accepted
    used = totp.step_at(NOW)

    # Then neither it nor the previous step's code is accepted again, but the next step's is
    assert totp.matching_step(SECRET, code(), NOW, last_step=used) is None
    assert totp.matching_step(SECRET, code(-1), NOW, last_step=used) is None
    assert totp.matching_step(SECRET, code(+1), NOW, last_step=used) == used + 1


def test_a_code_expires_with_its_window() -> None:
    old = code()
    assert totp.matching_step(SECRET, old, NOW + timedelta(seconds=30)) is not None
    assert totp.matching_step(SECRET, old, NOW + timedelta(seconds=90)) is None


def test_spaces_are_ignored_and_anything_but_six_digits_is_refused() -> None:
    spaced = f"{code()[:3]} {code()[3:]}"
    assert totp.matching_step(SECRET, spaced, NOW) == totp.step_at(NOW)
    for wrong in ("", "12345", "1234567", "abcdef", "12345x"):
        assert totp.matching_step(SECRET, wrong, NOW) is None


def test_the_provisioning_uri_names_the_practice_and_the_person() -> None:
    uri = totp.provisioning_uri(SECRET, "ada@harbor.test", "Harbor Counseling")
    assert uri.startswith("otpauth://totp/Harbor%20Counseling:ada%40harbor.test?")
    assert f"secret={SECRET}" in uri and "issuer=Harbor%20Counseling" in uri


def test_the_qr_code_is_an_svg() -> None:
    svg = totp.qr_svg("otpauth://totp/x?secret=" + SECRET)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")


def test_new_secrets_are_160_bits_of_base32() -> None:
    secret = totp.new_secret()
    assert len(secret) == 32 and set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert secret != totp.new_secret()


def test_recovery_codes_are_ten_distinct_grouped_codes() -> None:
    codes = recovery_codes.new_codes()
    assert len(codes) == 10 == len(set(codes))
    assert all(len(c) == 19 and c.count("-") == 3 for c in codes)


def test_recovery_codes_are_read_whatever_their_case_spaces_or_dashes() -> None:
    code = recovery_codes.new_codes()[0]
    assert recovery_codes.normalise(code.upper().replace("-", " ")) == code.replace("-", "")
    assert recovery_codes.normalise("not a code") is None
    assert recovery_codes.normalise("iiii-llll-oooo-0000") is None  # look-alikes are not in the alphabet


def test_a_recovery_code_hash_depends_on_the_account() -> None:
    code = recovery_codes.normalise(recovery_codes.new_codes()[0]) or ""
    assert recovery_codes.code_hash("stf_a", code) != recovery_codes.code_hash("stf_b", code)
    assert code not in recovery_codes.code_hash("stf_a", code)
