"""The embedded AWS emulator (moto in server mode, in this process, on a free loopback port).

DynamoDB answers each request atomically here, as it does on AWS: moto applies a transaction item by item and rolls a
failed one back by restoring copies of whole tables, so two requests running side by side could interleave (and did:
"dictionary changed size during iteration", transactions answered 500). One lock around moto's DynamoDB request
handling serialises them; race tests therefore test the application's conditions, not the emulator's.

Sent mail is read straight from moto's SES backend (this process), newest first and paged — never by dumping the
emulator's whole state.
"""

from __future__ import annotations

import html
import re
import socket
import threading
from dataclasses import dataclass
from typing import Any

_dynamodb_lock = threading.Lock()
_patched: list[bool] = []
WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"})
# Tests register observers to learn which tables each successful write touched (see ``writes_to``).
_observers: list[list[str]] = []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serialise_dynamodb() -> None:
    """Make moto's DynamoDB handle one request at a time, with a transaction rollback that copies only the items a
    transaction touches (idempotent, process-wide)."""
    if _patched:
        return
    from moto.dynamodb.responses import DynamoHandler

    _item_level_rollback()

    unlocked = DynamoHandler.call_action

    def call_action(self: Any) -> Any:
        with _dynamodb_lock:
            result = unlocked(self)
            if _observers and self._get_action() in WRITES and int(result[0]) == 200:
                tables = _tables_of(self.body)
                for seen in _observers:
                    seen.extend(tables)
            return result

    DynamoHandler.call_action = call_action  # type: ignore[method-assign]
    _patched.append(True)


def _item_level_rollback() -> None:
    """moto backs a transaction out by deep-copying every table it touches, once per item (seconds per transaction
    on a table of 90,000 items). Keep the same all-or-nothing result by remembering only the touched items."""
    import copy

    import moto.dynamodb.models as dynamodb
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    real_deepcopy = copy.deepcopy

    class _NoTableCopies:
        @staticmethod
        def deepcopy(value: Any, memo: Any = None) -> Any:
            return value if isinstance(value, Table) else real_deepcopy(value, memo)

    unpatched = dynamodb.DynamoDBBackend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        undo = []
        for entry in transact_items:
            kind, operation = next(iter(entry.items()))
            table = self.tables.get(operation.get("TableName"))
            if table is None:
                continue
            key = operation["Item"] if kind == "Put" else operation.get("Key", {})
            hash_value = DynamoType(key[table.hash_key_attr]) if table.hash_key_attr in key else None
            range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr and table.range_key_attr in key else None
            if hash_value is not None:
                undo.append((table, hash_value, range_value, real_deepcopy(table.get_item(hash_value, range_value))))
        setattr(dynamodb, "copy", _NoTableCopies)  # noqa: B010 - the module's own name for the copy module
        try:
            unpatched(self, transact_items)
        except Exception:
            for table, hash_value, range_value, item in reversed(undo):
                _restore(table, hash_value, range_value, item)
            raise
        finally:
            setattr(dynamodb, "copy", copy)  # noqa: B010

    dynamodb.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


def _restore(table: Any, hash_value: Any, range_value: Any, item: Any) -> None:
    if table.range_key_attr:
        if item is None:
            table.items.get(hash_value, {}).pop(range_value, None)
        else:
            table.items[hash_value][range_value] = item
    elif item is None:
        table.items.pop(hash_value, None)
    else:
        table.items[hash_value] = item


def _tables_of(body: Any) -> list[str]:
    """The tables a DynamoDB write request names (a single table, a batch or a transaction)."""
    import json

    request = body if isinstance(body, dict) else json.loads(body or "{}")
    names = [request["TableName"]] if "TableName" in request else list(request.get("RequestItems", {}))
    for item in request.get("TransactItems", []):
        names += [operation["TableName"] for operation in item.values() if "TableName" in operation]
    return names


class writes_to:  # noqa: N801 - used as a context manager, like a function
    """Collects the tables every successful DynamoDB write touches while it is open (this process's emulator)."""

    def __init__(self) -> None:
        self.tables: list[str] = []

    def __enter__(self) -> list[str]:
        _observers.append(self.tables)
        return self.tables

    def __exit__(self, *exc: Any) -> None:
        _observers.remove(self.tables)


class Emulator:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self._server: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Emulator:
        import logging

        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the emulator's access log is noise here
        serialise_dynamodb()
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None


LINK = re.compile(r'href="([^"]+)"')


@dataclass(frozen=True)
class SentMail:
    id: str
    sender: str
    to: list[str]
    subject: str
    html: str
    links: list[str]


def sent_mail(*, offset: int = 0, limit: int | None = None) -> list[SentMail]:
    """What SES accepted in this process's emulator, newest first."""
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    messages: list[Any] = []
    for backend in list(ses_backends[DEFAULT_ACCOUNT_ID].values()):
        messages += backend.sent_messages
    newest_first = list(reversed(messages))
    window = newest_first[offset : offset + limit if limit is not None else None]
    return [_mail(message) for message in window]


def mail_count() -> int:
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return sum(len(backend.sent_messages) for backend in list(ses_backends[DEFAULT_ACCOUNT_ID].values()))


def _mail(message: Any) -> SentMail:
    body = str(getattr(message, "body", "") or "")
    return SentMail(
        id=str(message.id),
        sender=str(getattr(message, "source", "") or ""),
        to=list((getattr(message, "destinations", None) or {}).get("ToAddresses", [])),
        subject=str(getattr(message, "subject", "") or ""),
        html=body,
        links=[html.unescape(link) for link in LINK.findall(body)],
    )
