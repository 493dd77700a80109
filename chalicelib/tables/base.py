"""Shared table plumbing: binding models to the stage's table names, transactions and cursors.

The model classes in this package are the single definition of every table: the local stack, the tests and the
CloudFormation template (``scripts/cloudformation.py``) are all generated from them.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.config import Settings, get_settings
from chalicelib.errors import ValidationFailed

M = TypeVar("M", bound=Model)


class PortalModel(Model):
    """Base of every table model. ``Meta.short_name`` names the table inside the stage prefix."""

    class Meta:
        table_name = "unbound"
        short_name = ""
        region = "us-east-1"
        host: str | None = None


def table_models() -> list[type[PortalModel]]:
    # Imported here so that importing one table module does not import all of them.
    from chalicelib.tables import accounts, audit, intake, organizations, sessions, throttles, tokens

    return [
        organizations.Organization,
        organizations.OrganizationCounters,
        organizations.SlugClaim,
        accounts.StaffMember,
        accounts.StaffSeat,
        accounts.EmailClaim,
        accounts.Login,
        accounts.ClientRecord,
        accounts.ClientInvitation,
        accounts.Assignment,
        accounts.SearchEntry,
        accounts.InvitationTemplate,
        sessions.Session,
        tokens.PasswordToken,
        throttles.Throttle,
        audit.AuditEvent,
        intake.FormRequest,
        intake.FormHead,
        intake.FormVersion,
    ]


def table_name(settings: Settings, short_name: str) -> str:
    return f"{settings.table_prefix}-{short_name}"


def bind_tables(settings: Settings) -> None:
    """Point every model at this stage's tables and endpoint. No I/O: safe at import time."""
    for model in table_models():
        model.Meta.table_name = table_name(settings, model.Meta.short_name)
        model.Meta.region = settings.region
        model.Meta.host = settings.aws_endpoint_url
        model._connection = None
    _connections.clear()


_bound_to: list[Settings] = []


def ensure_bound(settings: Settings) -> None:
    """Bind once per settings object (the first request of a cold start, or a test that installs new settings)."""
    if not _bound_to or _bound_to[-1] is not settings:
        bind_tables(settings)
        _bound_to[:] = [settings]


_connections: dict[str, Connection] = {}


def connection() -> Connection:
    settings = get_settings()
    key = f"{settings.region}|{settings.aws_endpoint_url}"
    if key not in _connections:
        _connections[key] = Connection(region=settings.region, host=settings.aws_endpoint_url)
    return _connections[key]


class Transaction:
    """A TransactWriteItems call whose items carry labels, so a cancelled transaction can say which condition failed.

    PynamoDB sends condition checks, then deletes, then puts, then updates — not the order of the calls — so the
    cancellation reasons are mapped back to labels in that order.
    """

    def __init__(self) -> None:
        self._tx = TransactWrite(connection=connection())
        self._labels: dict[str, list[str | None]] = {"check": [], "delete": [], "put": [], "update": []}

    def __enter__(self) -> Transaction:
        self._tx.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._tx.__exit__(*exc)

    def save(self, model: Model, condition: Condition | None = None, *, label: str | None = None) -> None:
        self._tx.save(model, condition=condition)
        self._labels["put"].append(label)

    def update(
        self,
        model: Model,
        actions: Sequence[Action],
        condition: Condition | None = None,
        *,
        label: str | None = None,
        add_version_condition: bool = True,
    ) -> None:
        self._tx.update(model, actions=list(actions), condition=condition, add_version_condition=add_version_condition)
        self._labels["update"].append(label)

    def condition_check(self, model_cls: type[Model], hash_key: str, range_key: str, condition: Condition, *, label: str) -> None:
        self._tx.condition_check(model_cls, hash_key, range_key, condition=condition)
        self._labels["check"].append(label)

    def delete(
        self, model: Model, condition: Condition | None = None, *, label: str | None = None, add_version_condition: bool = False
    ) -> None:
        # Deletes here act on key-only instances; a version condition would demand a missing version.
        self._tx.delete(model, condition=condition, add_version_condition=add_version_condition)
        self._labels["delete"].append(label)

    def failed(self, error: TransactWriteError) -> set[str]:
        """Labels of the items whose condition failed (unlabelled items report as "unlabelled")."""
        order = self._labels["check"] + self._labels["delete"] + self._labels["put"] + self._labels["update"]
        reasons = error.cancellation_reasons or []
        return {
            order[i] or "unlabelled"
            for i, reason in enumerate(reasons)
            if reason is not None and reason.code == "ConditionalCheckFailed" and i < len(order)
        }


def transaction() -> Transaction:
    return Transaction()


def read_together(*keys: tuple[type[Model], str, str]) -> list[Any]:
    """Several items — of one table or several — in one TransactGetItems call; None where an item does not exist."""
    from pynamodb.transactions import TransactGet

    with TransactGet(connection=connection()) as get:
        futures = [get.get(model, hash_key, range_key) for model, hash_key, range_key in keys]
    found: list[Any] = []
    for future in futures:
        try:
            found.append(future.get())
        except DoesNotExist:
            found.append(None)
    return found


def physical_tables() -> Iterator[type[PortalModel]]:
    """One model per physical table (several models may share a table)."""
    seen: set[str] = set()
    for model in table_models():
        if model.Meta.short_name not in seen:
            seen.add(model.Meta.short_name)
            yield model


def _is_key(key: Any) -> bool:
    """A DynamoDB key as this code writes them: a few string attributes of bounded size."""
    if not isinstance(key, dict) or not 0 < len(key) <= 4:
        return False
    return all(isinstance(name, str) and _is_short_string(value) for name, value in key.items())


def _is_short_string(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"S"} and isinstance(value["S"], str) and len(value["S"]) <= 1024


def encode_cursor(last_key: dict[str, Any] | None) -> str | None:
    if not last_key:
        return None
    raw = json.dumps(last_key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, expected: dict[str, str]) -> dict[str, Any] | None:
    """Decode a cursor and check it belongs to the same partition the caller may read."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed("The page cursor is not valid.") from None
    if not _is_key(key):
        raise ValidationFailed("The page cursor is not valid.")
    for attribute, value in expected.items():
        if key.get(attribute) != {"S": value}:
            raise ValidationFailed("The page cursor is not valid.")
    checked: dict[str, Any] = key
    return checked
