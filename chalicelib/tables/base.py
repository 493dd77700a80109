"""Shared table plumbing: the model base, one connection, reads by key, transactions whose failed conditions become
domain errors.

The model classes in this package are the single definition of every table: the local stack, the tests and the
CloudFormation template (``scripts/cloudformation.py``) are all generated from them (``tables/registry.py`` lists
them; this module imports none of them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from pynamodb.connection import Connection
from pynamodb.connection.table import TableConnection
from pynamodb.exceptions import DoesNotExist, GetError, PynamoDBException, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.config import get_settings
from chalicelib.errors import Conflict, DependencyFailed, DomainError, NotFound

M = TypeVar("M", bound=Model)


class PortalModel(Model):
    """Base of every table model. ``Meta.short_name`` names the table inside the stage prefix.

    Every model shares one botocore client (``connection()``): PynamoDB would otherwise build a session and a client
    per model class, which a cold start pays for each table it touches.
    """

    class Meta:
        table_name = "unbound"
        short_name = ""
        region = "us-east-1"
        host: str | None = None

    @classmethod
    def _get_connection(cls) -> TableConnection:
        table = super()._get_connection()
        # Each model keeps its own table description (its own indexes); only the botocore client is shared.
        shared = connection().client
        if table.connection._client is not shared:
            table.connection._client = shared
        return table


_connections: dict[str, Connection] = {}


def connection() -> Connection:
    """The one DynamoDB connection (botocore client) of this process for the current settings."""
    settings = get_settings()
    key = f"{settings.region}|{settings.aws_endpoint_url}"
    if key not in _connections:
        _connections.clear()
        _connections[key] = Connection(region=settings.region, host=settings.aws_endpoint_url, max_pool_connections=32)
    return _connections[key]


def forget_connections() -> None:
    _connections.clear()


# -------------------------------------------------------------------------------------------------- reading


def get_or_not_found(model: type[M], hash_key: str, range_key: str | None = None, *, message: str = "Not found.") -> M:
    """One consistent GetItem; a missing item is the domain's NotFound."""
    try:
        return model.get(hash_key, range_key, consistent_read=True)
    except DoesNotExist:
        raise NotFound(message) from None
    except GetError as error:
        raise DependencyFailed() from error


def get_or_none(model: type[M], hash_key: str, range_key: str | None = None) -> M | None:
    try:
        return model.get(hash_key, range_key, consistent_read=True)
    except DoesNotExist:
        return None


def read_together(*keys: tuple[type[Model], str, str | None], attributes: Sequence[str] | None = None) -> list[Any]:
    """Several items — of one table or several — in one consistent BatchGetItem; None where an item does not exist.
    ``attributes``: read only these (and the keys) — e.g. names and titles, not a request's answers.

    Not TransactGetItems: a transactional read is cancelled when a write to one of its items is in flight, and these
    reads (a session with its account and practice, a client with a request) need consistency, not isolation.
    """
    wanted: list[tuple[type[Model], str, tuple[str, ...]]] = []
    request: dict[str, Any] = {}
    projection: dict[str, Any] = {}
    if attributes:
        names = {f"#a{i}": name for i, name in enumerate(dict.fromkeys(["pk", "sk", *attributes]))}
        projection = {"ProjectionExpression": ", ".join(names), "ExpressionAttributeNames": names}
    for model, hash_key, range_key in keys:
        key = {model._hash_key_attribute().attr_name: {"S": hash_key}}
        if range_key is not None:
            key[model._range_key_attribute().attr_name] = {"S": range_key}
        table = model.Meta.table_name
        wanted.append((model, table, _identity(key)))
        entry = request.setdefault(table, {"Keys": [], "ConsistentRead": True, **projection})
        if key not in entry["Keys"]:
            entry["Keys"].append(key)
    found: dict[tuple[str, tuple[str, ...]], Any] = {}
    client = connection().client
    while request:
        answer = client.batch_get_item(RequestItems=request)
        for table, items in answer.get("Responses", {}).items():
            for item in items:
                found[(table, _identity(item))] = item
        request = answer.get("UnprocessedKeys") or {}
    return [model.from_raw_data(found[(table, identity)]) if (table, identity) in found else None for model, table, identity in wanted]


def _identity(item: dict[str, Any]) -> tuple[str, ...]:
    return tuple(f"{name}={item[name]['S']}" for name in ("pk", "sk") if name in item)


# ---------------------------------------------------------------------------------------------- transactions

ConflictFor = Mapping[str, DomainError | Callable[[], DomainError]]


class Transaction:
    """A TransactWriteItems call whose items carry labels, so a cancelled transaction says which condition failed.

    ``conflicts`` maps a label to the domain error its failure means; a failed condition without a mapping is a
    generic Conflict (409) — a conflict is never a 500. PynamoDB sends condition checks, then deletes, then puts,
    then updates — not the order of the calls — so cancellation reasons are mapped back to labels in that order.

    A signed-in request may carry a pending refresh of its session's idle timer (``auth.sessions``); it rides along
    in the request's first transaction rather than costing a call of its own.
    """

    def __init__(self, conflicts: ConflictFor | None = None) -> None:
        self._tx = TransactWrite(connection=connection())
        self._labels: dict[str, list[str | None]] = {"check": [], "delete": [], "put": [], "update": []}
        self._keys: set[tuple[str, str, str | None]] = set()
        self.conflicts: dict[str, DomainError | Callable[[], DomainError]] = dict(conflicts or {})
        self._failed: set[str] = set()

    def __enter__(self) -> Transaction:
        self._tx.__enter__()
        return self

    def __exit__(self, kind: Any, value: Any, traceback: Any) -> None:
        if kind is not None:
            self._tx.__exit__(kind, value, traceback)
            return
        from chalicelib import context

        for hook in context.current().before_commit:
            hook(self)
        try:
            self._tx.__exit__(None, None, None)
        except TransactWriteError as error:
            self._failed = self.failed(error)
            raise self._domain_error(error) from None
        for hook in context.current().after_commit:
            hook(self)

    def _domain_error(self, error: TransactWriteError) -> DomainError:
        for label in sorted(self._failed):
            mapped = self.conflicts.get(label)
            if mapped is not None:
                return mapped() if callable(mapped) else mapped
        if self._failed or _is_transaction_conflict(error):
            return Conflict("This changed in the meantime. Reload and try again.")
        return DependencyFailed()

    def touches(self, model: type[Model], hash_key: str, range_key: str | None = None) -> bool:
        return (model.Meta.table_name, hash_key, range_key) in self._keys

    def _remember(self, model: Model | type[Model], hash_key: Any, range_key: Any) -> None:
        self._keys.add((model.Meta.table_name, str(hash_key), None if range_key is None else str(range_key)))

    def _remember_item(self, model: Model) -> None:
        hash_key, range_key = model._get_hash_range_key_serialized_values()
        self._remember(model, hash_key, range_key)

    def save(self, model: Model, condition: Condition | None = None, *, label: str | None = None) -> None:
        self._tx.save(model, condition=condition)
        self._labels["put"].append(label)
        self._remember_item(model)

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
        self._remember_item(model)

    def condition_check(self, model_cls: type[Model], hash_key: str, range_key: str | None, condition: Condition, *, label: str) -> None:
        self._tx.condition_check(model_cls, hash_key, range_key, condition=condition)
        self._labels["check"].append(label)
        self._remember(model_cls, hash_key, range_key)

    def delete(
        self, model: Model, condition: Condition | None = None, *, label: str | None = None, add_version_condition: bool = False
    ) -> None:
        # Deletes here act on key-only instances; a version condition would demand a missing version.
        self._tx.delete(model, condition=condition, add_version_condition=add_version_condition)
        self._labels["delete"].append(label)
        self._remember_item(model)

    def failed(self, error: TransactWriteError) -> set[str]:
        """Labels of the items whose condition failed (unlabelled items report as "unlabelled")."""
        order = self._labels["check"] + self._labels["delete"] + self._labels["put"] + self._labels["update"]
        reasons = error.cancellation_reasons or []
        return {
            order[i] or "unlabelled"
            for i, reason in enumerate(reasons)
            if reason is not None and reason.code == "ConditionalCheckFailed" and i < len(order)
        }

    @property
    def failed_labels(self) -> set[str]:
        """After a cancelled commit: the labels whose conditions failed (for callers that decide quietly)."""
        return set(self._failed)

    @property
    def size(self) -> int:
        return sum(len(labels) for labels in self._labels.values())


def _is_transaction_conflict(error: TransactWriteError) -> bool:
    reasons = error.cancellation_reasons or []
    return any(reason is not None and reason.code in {"TransactionConflict", "ConditionalCheckFailed"} for reason in reasons)


def transaction(conflicts: ConflictFor | None = None) -> Transaction:
    return Transaction(conflicts)


def is_storage_failure(error: Exception) -> bool:
    return isinstance(error, PynamoDBException)
