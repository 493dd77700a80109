"""Outgoing mail through SES v2 (Simple content). boto3 is imported and the client created on first send.

Bodies are rendered by ``chalicelib.templates``; nothing here knows what a message says.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from chalicelib.config import get_settings
from chalicelib.errors import DeliveryFailed

if TYPE_CHECKING:
    from chalicelib.templates import RenderedMail


@dataclass(frozen=True)
class SentMail:
    message_id: str


class Mailer(Protocol):
    def send(self, to: str, mail: RenderedMail) -> SentMail: ...


# SES v2 errors that retrying cannot fix: the address or the message is refused. Everything else (throttling, an
# outage, a paused account) is retried with backoff by the outbox.
PERMANENT = frozenset({"MessageRejected", "BadRequestException", "NotFoundException", "MailFromDomainNotVerifiedException"})


class SesMailer:
    def __init__(self, client: Any, sender: str, configuration_set: str | None = None) -> None:
        self._client = client
        self._sender = sender
        # Deployed stages name the configuration set whose event destination reports bounces and complaints back to
        # the app (app.mail_events → jobs.record_mail_events).
        self._extra = {"ConfigurationSetName": configuration_set} if configuration_set else {}

    def send(self, to: str, mail: RenderedMail) -> SentMail:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            response = self._client.send_email(
                **self._extra,
                FromEmailAddress=self._from(mail.sender_name),
                Destination={"ToAddresses": [to]},
                Content={
                    "Simple": {
                        "Subject": {"Data": mail.subject, "Charset": "UTF-8"},
                        "Body": {
                            "Text": {"Data": mail.text, "Charset": "UTF-8"},
                            "Html": {"Data": mail.html, "Charset": "UTF-8"},
                        },
                    }
                },
            )
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", "ClientError"))
            raise DeliveryFailed("The email could not be sent.", permanent=code in PERMANENT, code=code) from error
        except BotoCoreError as error:
            raise DeliveryFailed("The email could not be sent.", code=type(error).__name__) from error
        return SentMail(message_id=str(response.get("MessageId", "")))

    def _from(self, display_name: str | None) -> str:
        """The verified sender, under the display name the mail asks for (RFC 2047-encoded when not ASCII)."""
        if not display_name:
            return self._sender
        from email.utils import formataddr

        return formataddr((display_name, self._sender))


@lru_cache(maxsize=1)
def _default_mailer(region: str, endpoint: str | None, sender: str, configuration_set: str | None) -> Mailer:
    from chalicelib.adapters.aws import client

    return SesMailer(client("sesv2", region, endpoint), sender, configuration_set)


_override: list[Mailer] = []


def get_mailer() -> Mailer:
    if _override:
        return _override[-1]
    settings = get_settings()
    return _default_mailer(settings.region, settings.aws_endpoint_url, settings.mail_sender, settings.mail_configuration_set)


def use_mailer(mailer: Mailer | None) -> None:
    """Tests install a failing mailer here to exercise delivery failures (SES itself is moto's)."""
    _override.clear()
    if mailer is not None:
        _override.append(mailer)
