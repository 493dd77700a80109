"""Set-password links (chalicelib.services.password_links): each purpose's lifetime, only the digest stored, the
secret only in the URL fragment, and the mail that carries it. No AWS: the token is built, not saved, and the mail
is rendered, not sent (delivery is the outbox's: tests/api/test_outbox.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from chalicelib import clock
from chalicelib.adapters.mail import use_mailer
from chalicelib.auth.tokens import digest
from chalicelib.config import Settings, use_settings
from chalicelib.services import password_links
from chalicelib.services.password_links import Purpose
from chalicelib.tables.keys import token_pk
from chalicelib.templates import render_mail

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SETTINGS = Settings(
    public_base_url="https://portal.example.org",
    staff_invitation_ttl_seconds=3 * 24 * 3600,
    client_invitation_ttl_seconds=5 * 24 * 3600,
    password_reset_ttl_seconds=1800,
)


@pytest.fixture(autouse=True)
def controlled() -> Iterator[None]:
    use_settings(SETTINGS)
    clock.freeze(NOW)
    yield
    clock.unfreeze()
    use_settings(None)
    use_mailer(None)


def issue(purpose: Purpose) -> password_links.IssuedLink:
    return password_links.issue(purpose, "org_1", "cli_1", org_name="Harbor Counseling", org_slug="harbor")


@pytest.mark.parametrize(
    ("purpose", "ttl_seconds"),
    [
        (Purpose.STAFF_INVITE, SETTINGS.staff_invitation_ttl_seconds),
        (Purpose.CLIENT_INVITE, SETTINGS.client_invitation_ttl_seconds),
        (Purpose.PASSWORD_RESET, SETTINGS.password_reset_ttl_seconds),
    ],
)
def test_each_purpose_expires_after_its_own_configured_lifetime(purpose: Purpose, ttl_seconds: int) -> None:
    # When a link is issued for the purpose
    link = issue(purpose)

    # Then it expires after that purpose's setting, and DynamoDB's TTL removes it a day later
    assert link.record.purpose == purpose.value
    assert link.record.created_at == NOW
    assert link.record.expires_at == NOW + timedelta(seconds=ttl_seconds)
    assert link.record.expires == link.record.expires_at + timedelta(days=1)
    assert link.record.used_at is None


def test_client_invitations_last_seven_days_by_default() -> None:
    # Given the default settings
    use_settings(Settings())

    # When a client invitation is issued
    link = issue(Purpose.CLIENT_INVITE)

    # Then it lives seven days
    assert link.record.expires_at - NOW == timedelta(days=7)


def test_only_the_digest_of_the_secret_is_stored() -> None:
    # When a link is issued
    link = issue(Purpose.CLIENT_INVITE)

    # Then the record is keyed by the secret's SHA-256, and the secret appears nowhere in it
    assert link.token_hash == digest(link.secret)
    assert link.record.pk == token_pk(digest(link.secret))
    assert link.secret not in repr(link.record.serialize())
    # And the secret carries at least 256 bits (43 URL-safe base64 characters)
    assert len(link.secret) >= 43


def test_every_issue_makes_a_new_secret() -> None:
    # When two links are issued for the same account
    first, second = issue(Purpose.CLIENT_INVITE), issue(Purpose.CLIENT_INVITE)

    # Then they share nothing that would let one stand for the other
    assert first.secret != second.secret
    assert first.record.pk != second.record.pk


def test_the_secret_travels_only_in_the_fragment() -> None:
    # When the link's URL is built
    link = issue(Purpose.CLIENT_INVITE)
    url = urlsplit(password_links.link_url("harbor", link.secret))

    # Then it points at the practice's set-password page, and the secret is in the fragment only
    assert (url.scheme, url.netloc, url.path, url.query) == ("https", "portal.example.org", "/o/harbor/set-password", "")
    assert url.fragment == f"token={link.secret}"


def test_a_client_invitation_mail_names_the_practice_and_carries_the_message_and_link() -> None:
    # Given a client invitation link
    link = issue(Purpose.CLIENT_INVITE)

    # When its mail is made with a tailored message
    mail = password_links.mail_for(
        link, to="jo@example.test", practice="Harbor Counseling", slug="harbor", time_zone="America/Chicago", message="See you Monday."
    )
    rendered = render_mail(mail.template, **mail.params)

    # Then it goes to the address, names the practice, with the message and the fragment link
    assert mail.to == "jo@example.test"
    assert rendered.subject == "Harbor Counseling invites you to its client portal"
    for body in (rendered.text, rendered.html):
        assert "Harbor Counseling" in body
        assert "See you Monday." in body
        assert f"https://portal.example.org/o/harbor/set-password#token={link.secret}" in body
        assert "?token=" not in body


def test_the_link_is_marked_secret_so_the_outbox_clears_it_once_delivered() -> None:
    # When any link's mail is made
    mails = [
        password_links.mail_for(issue(purpose), to="jo@example.test", practice="Harbor", slug="harbor", time_zone="UTC")
        for purpose in Purpose
    ]

    # Then the parameter that carries the secret is named as one, for every purpose
    for mail in mails:
        assert mail.secret_params == ("link",)
        assert mail.params["link"].endswith(mail.params["link"].split("#token=")[1])


def test_a_links_expiry_reads_in_the_practices_time_zone_without_utc_or_microseconds() -> None:
    # Given a client invitation link issued at a known moment
    clock.freeze(datetime(2026, 11, 23, 15, 30, 12, 345678, tzinfo=UTC))
    try:
        link = issue(Purpose.CLIENT_INVITE)
    finally:
        clock.unfreeze()

    # When its mail is made for a practice in Chicago
    mail = password_links.mail_for(link, to="jo@example.test", practice="Harbor", slug="harbor", time_zone="America/Chicago")

    # Then the expiry is a readable local time, labelled with the zone
    expires = link.record.expires_at.astimezone(ZoneInfo("America/Chicago"))
    assert mail.params["expires"] == clock.readable_time(link.record.expires_at, "America/Chicago")
    assert mail.params["expires"].endswith(("CST", "CDT")) and str(expires.year) in mail.params["expires"]
    assert "UTC" not in mail.params["expires"] and ".345678" not in mail.params["expires"]
