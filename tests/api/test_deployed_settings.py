"""What a deployed stage configures differently from a local one: secrets read from Secrets Manager at first use
and cached (never in the environment), documents encrypted with the stack's own KMS key, and mail sent through the
configuration set that reports bounces."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib import config
from chalicelib.adapters.aws import client
from chalicelib.adapters.mail import SesMailer
from chalicelib.adapters.storage import get_storage
from chalicelib.config import Settings, settings_from_env
from chalicelib.tables.organizations import Organization
from chalicelib.templates import RenderedMail
from tests.api.test_organizations import new_practice
from tests.conftest import Browser, Practice, audit_trail, lowered, sign_in, stored_organization, table_size

OPERATOR_KEY = "operator-secret-from-secrets-manager-0123456789"


@pytest.fixture
def secrets(settings: Settings) -> Iterator[Any]:
    config.forget_secrets()
    yield client("secretsmanager", settings.region, settings.aws_endpoint_url)
    config.forget_secrets()


def test_deployed_settings_name_secrets_and_never_hold_them() -> None:
    # The template sets these variables: identifiers of secrets and keys, never a secret's value.
    env = {
        "PORTAL_STAGE": "prod",
        "PORTAL_SIGNING_KEY_SECRET": "arn:aws:secretsmanager:us-east-1:123456789012:secret:portal-prod/signing-key-AbCdEf",
        "PORTAL_PROVISIONING_KEY_SECRET": "arn:aws:secretsmanager:us-east-1:123456789012:secret:portal-prod/provisioning-key-AbCdEf",
        "PORTAL_DOCUMENTS_KMS_KEY": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "PORTAL_MAIL_CONFIGURATION_SET": "portal-prod-mail",
    }
    settings = settings_from_env(env)
    assert settings.signing_key is None and settings.provisioning_key is None
    assert settings.signing_key_secret == env["PORTAL_SIGNING_KEY_SECRET"]
    assert settings.provisioning_key_secret == env["PORTAL_PROVISIONING_KEY_SECRET"]
    assert settings.documents_kms_key == env["PORTAL_DOCUMENTS_KMS_KEY"]
    assert settings.mail_configuration_set == "portal-prod-mail"


def test_the_signing_key_is_read_once_and_cached(settings: Settings, secrets: Any) -> None:
    # Given a deployment whose signing key lives in Secrets Manager
    arn = secrets.create_secret(Name="portal-test/signing-key", SecretString="first-signing-key")["ARN"]
    lowered(settings, signing_key_secret=arn)

    # When the key is needed twice, and the secret is rotated in between
    first = config.signing_key()
    secrets.put_secret_value(SecretId=arn, SecretString="rotated-signing-key")
    second = config.signing_key()

    # Then the second use is served from the cache, and a fresh read (after the cache expires) sees the new value
    assert first == second == b"first-signing-key"
    config.forget_secrets()
    assert config.signing_key() == b"rotated-signing-key"


def test_a_stale_cached_secret_is_kept_while_secrets_manager_is_unreachable(settings: Settings, secrets: Any, monkeypatch: Any) -> None:
    # Given a cached signing key whose cache time is over
    arn = secrets.create_secret(Name="portal-test/signing-key", SecretString="held-signing-key")["ARN"]
    lowered(settings, signing_key_secret=arn)
    assert config.signing_key() == b"held-signing-key"
    monkeypatch.setattr(config, "SECRET_CACHE_SECONDS", -1)

    # When Secrets Manager no longer answers for it
    secrets.delete_secret(SecretId=arn, ForceDeleteWithoutRecovery=True)

    # Then the value held is used rather than failing every request
    assert config.signing_key() == b"held-signing-key"


def test_the_provisioning_key_comes_from_secrets_manager(browser: Browser, settings: Settings, secrets: Any) -> None:
    # Given a deployment with closed sign-up whose provisioning key lives in Secrets Manager
    arn = secrets.create_secret(Name="portal-test/provisioning-key", SecretString=OPERATOR_KEY)["ARN"]
    lowered(settings, organization_signup_open=False, provisioning_key=None, provisioning_key_secret=arn)

    # When someone guesses, and then the operator sends the key
    guess = browser.post("/api/organizations", new_practice(), headers={"x-provisioning-key": "guess"})
    assert table_size(Organization) == 0
    operator = browser.post("/api/organizations", new_practice(), headers={"x-provisioning-key": OPERATOR_KEY})

    # Then the guess is forbidden and the operator's practice is created
    assert guess.status == 403
    assert operator.status == 201, operator.json
    assert stored_organization(operator.json["organization"]["id"]).slug == "willow"


def test_an_unreadable_provisioning_key_fails_closed(browser: Browser, settings: Settings, secrets: Any) -> None:
    # Given closed sign-up whose secret cannot be read (deleted, or no permission)
    lowered(settings, organization_signup_open=False, provisioning_key=None, provisioning_key_secret="portal-test/missing")

    # When the operator (or anyone) sends a key
    response = browser.post("/api/organizations", new_practice(), headers={"x-provisioning-key": OPERATOR_KEY})

    # Then nothing is created: the service is unavailable, not open
    assert response.status == 503
    assert table_size(Organization) == 0


def test_documents_are_encrypted_with_the_stacks_own_key(settings: Settings) -> None:
    # Given a deployment that names its customer-managed key
    key_arn = client("kms", settings.region, settings.aws_endpoint_url).create_key(Description="portal documents")["KeyMetadata"]["Arn"]
    lowered(settings, documents_kms_key=key_arn)
    store = get_storage()

    # When a document is stored and an upload ticket is made
    stored = store.put("orgs/o1/clients/c1/documents/r1/a1.pdf", b"%PDF-1.7 test", "application/pdf")
    form = store.upload_form("orgs/o1/uploads/s1/u1", "application/pdf", 1024)

    # Then both name that key (a request saying only "aws:kms" would get the AWS managed key instead)
    s3 = client("s3", settings.region, settings.aws_endpoint_url)
    head = s3.head_object(Bucket=settings.bucket_name, Key=stored.key)
    assert (head["ServerSideEncryption"], head["SSEKMSKeyId"]) == ("aws:kms", key_arn)
    assert stored.sha256 == hashlib.sha256(b"%PDF-1.7 test").hexdigest()
    assert form.fields["x-amz-server-side-encryption-aws-kms-key-id"] == key_arn


class RecordingSes:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def send_email(self, **request: Any) -> dict[str, Any]:
        self.calls.append(request)
        return {"MessageId": "m-1"}


def test_mail_goes_through_the_configuration_set_that_reports_bounces() -> None:
    ses = RecordingSes()
    mail = RenderedMail(subject="You're invited", text="Sign in", html="<p>Sign in</p>")

    SesMailer(ses, "no-reply@portal.example.org", "portal-prod-mail").send("jo@example.test", mail)
    SesMailer(ses, "no-reply@portal.localhost").send("jo@example.test", mail)

    assert ses.calls[0]["ConfigurationSetName"] == "portal-prod-mail"
    assert "ConfigurationSetName" not in ses.calls[1]


# ------------------------------------------------------------------------------------------ behind CloudFront

ORIGIN_VALUE = "origin-verify-value-from-secrets-manager-0123456789"


def _through_cdn(viewer: str, secret: str = ORIGIN_VALUE) -> dict[str, str]:
    """The headers CloudFront's /api/* behaviour adds: the origin secret and the viewer's address with its port."""
    return {"x-portal-origin-verify": secret, "cloudfront-viewer-address": f"{viewer}:46532"}


def test_behind_cloudfront_each_viewer_is_throttled_by_their_own_address(practice: Practice, settings: Settings, secrets: Any) -> None:
    # Given a deployed stage behind CloudFront (every request reaches the API from an edge server's address)
    arn = secrets.create_secret(Name="portal-test/origin-verify", SecretString=ORIGIN_VALUE)["ARN"]
    lowered(settings, origin_verify_secret=arn, sign_in_max_failures_per_ip=3)

    # When one person guesses three times
    for email in ("a@harbor.test", "b@harbor.test", "c@harbor.test"):
        _, failed = sign_in(practice.client, practice.slug, email, "guessed", headers=_through_cdn("198.51.100.7"))
        assert failed.status == 401

    # Then someone else, through the same edge, still signs in; the guesser is throttled
    _, other = sign_in(practice.client, practice.slug, practice.admin_email, headers=_through_cdn("2001:db8::5"))
    assert other.status == 200, other.json
    _, guesser = sign_in(practice.client, practice.slug, practice.admin_email, headers=_through_cdn("198.51.100.7"))
    assert guesser.status == 429
    # And the audit trail names the person's address, not the edge's
    assert {"198.51.100.7", "2001:db8::5"} <= {str(event.ip) for event in audit_trail(practice.org_id)}


def test_a_viewer_address_without_the_origin_secret_is_not_believed(practice: Practice, settings: Settings, secrets: Any) -> None:
    # Given a deployed stage behind CloudFront, and someone calling the API's own address directly
    arn = secrets.create_secret(Name="portal-test/origin-verify", SecretString=ORIGIN_VALUE)["ARN"]
    lowered(settings, origin_verify_secret=arn, sign_in_max_failures_per_ip=3)
    for email in ("a@harbor.test", "b@harbor.test", "c@harbor.test"):
        _, failed = sign_in(practice.client, practice.slug, email, "guessed")
        assert failed.status == 401

    # When they claim a fresh address, with no origin secret or a guessed one
    _, bare = sign_in(practice.client, practice.slug, practice.admin_email, headers={"cloudfront-viewer-address": "203.0.113.1:1"})
    _, forged = sign_in(practice.client, practice.slug, practice.admin_email, headers=_through_cdn("203.0.113.2", "guessed-secret"))

    # Then their own address is still the one counted
    assert bare.status == 429 and forged.status == 429
