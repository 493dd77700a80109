"""The embedded fake Stripe server: localstripe (PyPI), in this process, on a free loopback port.

localstripe is a stateful fake of Stripe's API that also serves a fake Stripe.js (``/js.stripe.com/v3/``) and sends
signed webhooks to the endpoints registered with it (``POST /_config/webhooks/{id}``). Its own command line binds
every interface (``::``) and pickles its state to /tmp/localstripe.pickle after each write; here it is bound to
127.0.0.1 only and keeps its state in memory (two stacks side by side share nothing). The stripe library reaches it
through ``stripe_api_base``; the browser loads its Stripe.js from ``stripe_js_url``.

What it does not do, and what covers it instead (docs/decisions.md, 36): it does not replay idempotency keys (the
portal claims each payment attempt before asking Stripe — tests/api/test_payments.py double-submit tests), it has no
Stripe Connect (the portal uses each practice's own keys), and it sends every event to every registered endpoint
(each copy signed with that endpoint's secret: only the practice the event names verifies it).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class FakeStripe:
    """One per process (localstripe keeps its state in module globals)."""

    _running: FakeStripe | None = None

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._failed: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def js_url(self) -> str:
        return f"{self.url}/js.stripe.com/v3/"

    @classmethod
    def shared(cls) -> FakeStripe:
        """The process's fake server, started on first use."""
        if cls._running is None:
            cls._running = cls().start()
        return cls._running

    def start(self) -> FakeStripe:
        self._thread = threading.Thread(target=self._serve, name="fake-stripe", daemon=True)
        self._thread.start()
        if not self._ready.wait(15) or self._failed:
            raise RuntimeError(f"The fake Stripe server did not start: {self._failed!r}")
        _wait_for(self.port)
        return self

    def _serve(self) -> None:
        try:
            from aiohttp import web
            from localstripe import server
            from localstripe.resources import store

            store.dump_to_disk = lambda: None  # state stays in memory
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            self._loop = loop
            runner = web.AppRunner(server.app, access_log=None)
            loop.run_until_complete(runner.setup())
            loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
        except BaseException as error:  # reported by start()
            self._failed = error
            self._ready.set()
            return
        self._ready.set()
        loop.run_forever()

    def stop(self) -> None:
        """Left running: localstripe's app can be started once per process (the stack's own stop ends the process)."""


def _wait_for(port: int, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError("The fake Stripe server is not answering.")


# ----------------------------------------------------------------------- what a browser and Stripe would send

TEST_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000341"  # attaches, then is declined when charged (as at Stripe)
THREE_D_SECURE_CARD = "4000002760003184"  # the charge waits for the cardholder's authentication (3-D Secure)


def confirm_card_setup(url: str, client_secret: str, publishable_key: str = "pk_test_portal", number: str = TEST_CARD) -> str:
    """What the fake Stripe.js does in the browser for ``stripe.confirmCardSetup``: the card goes to the fake server
    (with the publishable key only) and a PaymentMethod id comes back."""
    import json
    import urllib.request

    setup_id = client_secret.split("_secret_")[0]
    body = {
        "key": publishable_key,
        "use_stripe_sdk": True,
        "client_secret": client_secret,
        "payment_method_data": {
            "type": "card",
            "card": {"number": number, "exp_month": "12", "exp_year": "2034", "cvc": "123"},
            "billing_details": {"address": {"postal_code": "10001"}},
        },
    }
    request = urllib.request.Request(f"{url}/v1/setup_intents/{setup_id}/confirm", data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return str(json.loads(answer.read())["payment_method"])


def intent(url: str, intent_id: str, secret_key: str = "sk_test_portal") -> dict[str, Any]:
    """A PaymentIntent as the fake server has it (what Stripe puts in an event's ``data.object``)."""
    import base64
    import json
    import urllib.request

    auth = base64.b64encode(f"{secret_key}:".encode()).decode()
    request = urllib.request.Request(f"{url}/v1/payment_intents/{intent_id}", headers={"Authorization": f"Basic {auth}"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        found: dict[str, Any] = json.loads(answer.read())
        return found


def signed_event(
    secret: str, event_type: str, data_object: dict[str, Any], *, event_id: str, at: int | None = None
) -> tuple[dict[str, str], bytes]:
    """An event as Stripe signs it: ``Stripe-Signature: t=<time>,v1=<HMAC-SHA256 of "t.body" with the secret>``."""
    import hashlib
    import hmac
    import json

    sent_at = int(time.time()) if at is None else at
    body = json.dumps({"id": event_id, "object": "event", "type": event_type, "created": sent_at, "data": {"object": data_object}}).encode()
    signature = hmac.new(secret.encode(), f"{sent_at}.".encode() + body, hashlib.sha256).hexdigest()
    return {"stripe-signature": f"t={sent_at},v1={signature}", "content-type": "application/json"}, body


def authenticate(url: str, client_secret: str, publishable_key: str, *, success: bool = True) -> None:
    """What the fake Stripe.js does when the cardholder completes (or fails) 3-D Secure for ``confirmCardPayment``."""
    import json
    import urllib.request

    intent_id = client_secret.split("_secret_")[0]
    body = json.dumps({"key": publishable_key, "client_secret": client_secret}).encode()
    address = f"{url}/v1/payment_intents/{intent_id}/_authenticate?success={'true' if success else 'false'}"
    with urllib.request.urlopen(urllib.request.Request(address, data=body, method="POST"), timeout=10):
        pass
