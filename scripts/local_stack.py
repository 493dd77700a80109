"""The whole product on one laptop: AWS emulator, tables, demo data, API, mail worker and frontend on one origin.

    python -m scripts.local_stack [--port 8000]

Serves http://localhost:PORT with the built frontend, the Chalice app under /api (through Chalice's own local
gateway, in-process), S3 under /local-s3 (so presigned links are same-origin, as CloudFront makes them on AWS) and,
for local stages only, a mailbox at /dev/mailbox showing what SES "sent". The outbox worker delivers due mail every
second. The emulator takes a free port of its own, so two stacks run side by side. Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import json
import mimetypes
import os
import re
import sys
import threading
import urllib.error
import urllib.request
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from scripts.emulator import Emulator, mail_count, sent_mail

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "frontend" / "dist"
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
    "font-src 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
)
# The payment page (and only it) loads Stripe.js and talks to Stripe: its document gets this wider policy
# (docs/decisions.md, 36). Locally "Stripe" is the embedded fake server; deployed, the origins in PAYMENT_ORIGINS.
PAYMENT_PAGE = re.compile(r"^/o/[^/]+/app/pay/[A-Za-z0-9_-]+/?$")


def payment_csp(stripe_origin: str) -> str:
    return (
        f"default-src 'self'; script-src 'self' {stripe_origin}; style-src 'self'; img-src 'self' data: blob:; "
        f"connect-src 'self' {stripe_origin}; font-src 'self'; frame-src 'self' {stripe_origin}; frame-ancestors 'none'; "
        "base-uri 'none'; form-action 'self'; object-src 'none'"
    )


MAILBOX_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'"
MAILBOX_PAGE = 25
STORAGE_PATH = "/local-s3"


class PortInUse(RuntimeError):
    pass


class LocalStack:
    """Emulator + provisioning + app + mail worker; used by `make run` and by the end-to-end tests."""

    def __init__(self, port: int, moto_port: int | None = None, seed: bool = True) -> None:
        self.port = port
        self.seed = seed
        self.emulator = Emulator(moto_port)
        self.stripe_url = ""
        self.server: ThreadingHTTPServer | None = None
        self._worker: threading.Thread | None = None
        self._stopping = threading.Event()

    @property
    def moto_url(self) -> str:
        return self.emulator.url

    def start(self) -> None:
        self.server = _bind(self.port)  # first: a taken port fails fast, before anything else starts
        for key, value in {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_DEFAULT_REGION": "us-east-1"}.items():
            os.environ.setdefault(key, value)
        self.emulator.start()
        from scripts.fake_stripe import FakeStripe

        self.stripe_url = FakeStripe.shared().url
        settings = self._settings()
        from chalicelib.config import use_settings

        use_settings(settings)
        from scripts.provision import provision

        provision(settings)
        if self.seed:
            from scripts.seed import seed_demo

            seed_demo()
        self.server.RequestHandlerClass = self._handler_class()
        self._worker = threading.Thread(target=self._deliver_mail, name="outbox-worker", daemon=True)
        self._worker.start()

    def _settings(self) -> Any:
        from chalicelib.config import settings_from_env

        base = settings_from_env(os.environ)
        origin = f"http://localhost:{self.port}"
        return replace(
            base,
            stage="local",
            aws_endpoint_url=self.moto_url,
            public_base_url=origin,
            storage_public_base=f"{origin}{STORAGE_PATH}",
            dev_mailbox=True,
            organization_signup_open=True,
            stripe_api_base=self.stripe_url,
            stripe_js_url=f"{self.stripe_url}/js.stripe.com/v3/",
        )

    def _deliver_mail(self) -> None:
        """What the outbox table's stream and the one-minute sweeps do on AWS: deliver due mail and send mass
        messages, every second."""
        from chalicelib.jobs import deliver_mail, send_mass_messages

        while not self._stopping.wait(1.0):
            for job in (send_mass_messages, deliver_mail):
                try:
                    job(seconds=5)
                except Exception:
                    continue

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        from chalice.config import Config
        from chalice.local import CustomLocalChalice, LocalChalice, LocalGateway

        from app import app

        # Same trick as `chalice local`: a thread-local current_request, so concurrent requests don't mix.
        CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
        app.__class__ = CustomLocalChalice
        gateway = LocalGateway(app, Config.create(chalice_stage="local", lambda_timeout=60, lambda_memory_size=512))
        return make_handler(gateway, self.moto_url, payment_csp(self.stripe_url))

    def serve_forever(self) -> None:
        assert self.server is not None
        self.server.serve_forever()

    def serve_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stopping.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        self.emulator.stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default of 5 dropped connections in bursts of 20 parallel requests


def _bind(port: int) -> ThreadingHTTPServer:
    try:
        return _Server(("127.0.0.1", port), BaseHTTPRequestHandler)
    except OSError as error:
        raise PortInUse(f"Port {port} is already in use. Stop what runs there, or choose another: PORT=8100 make run") from error


class PortalRequestHandler(BaseHTTPRequestHandler):
    """Static frontend, /api through Chalice's local gateway, S3 and the local mailbox — on one origin."""

    protocol_version = "HTTP/1.1"
    gateway: Any = None
    moto_url = ""
    pay_csp = ""

    def log_message(self, format: str, *args: Any) -> None:
        # Paths are not logged: they could carry identifiers; the API logs its own structured lines.
        pass

    def _dispatch(self) -> None:
        path = self.path.split("?", 1)[0]
        if path.startswith("/api/") or path == "/api":
            self._api()
        elif path.startswith(f"{STORAGE_PATH}/"):
            self._storage()
        elif path in {"/dev/mailbox", "/dev/mailbox.json"}:
            self._mailbox(json_view=path.endswith(".json"))
        elif self.command in {"GET", "HEAD"}:
            self._static(path)
        else:
            self._send(405, {"Content-Type": "text/plain"}, b"Method not allowed")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _dispatch  # noqa: N815

    def _body(self) -> bytes | None:
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length else None

    def _gateway_problem(self, code: int) -> None:
        """What API Gateway answers before the app runs, as the deployed stack shapes it (scripts/cloudformation.py):
        chalice's local gateway says 403 for a route it does not know (API Gateway's "missing authentication token"),
        which the stack answers 404 not-found."""
        status = 404 if code in (403, 404) else code
        problem: dict[str, object] = {"type": "/problems/not-found", "title": "Not found", "status": 404, "detail": "No such API route."}
        if status != 404:
            problem = {"type": "/problems/internal", "title": "Something went wrong on our side", "status": status}
        self._send(status, {"Content-Type": "application/problem+json"}, json.dumps(problem).encode())

    def _api(self) -> None:
        body = self._body()
        try:
            response = self.gateway.handle_request(method=self.command, path=self.path, headers=dict(self.headers), body=body)
        except Exception as error:  # LocalGatewayException: unknown route and the like
            self._gateway_problem(int(getattr(error, "CODE", 500)))
            return
        headers = dict(response.get("headers") or {})
        for name, values in (response.get("multiValueHeaders") or {}).items():
            headers[name] = values
        raw = response.get("body")
        payload = raw.encode() if isinstance(raw, str) else (raw or b"")
        self._send(int(response["statusCode"]), headers, payload)

    def _storage(self) -> None:
        """Presigned S3 requests (downloads, POST uploads) forwarded to the emulator unchanged."""
        target = self.moto_url + self.path[len(STORAGE_PATH) :]
        forwarded = {k: v for k, v in self.headers.items() if k.lower() in {"content-type", "content-length", "range"}}
        request = urllib.request.Request(target, data=self._body(), method=self.command, headers=forwarded)
        try:
            with urllib.request.urlopen(request, timeout=30) as upstream:
                status, headers, payload = upstream.status, upstream.headers, upstream.read()
        except urllib.error.HTTPError as error:
            status, headers, payload = error.code, error.headers, error.read()
        keep = {"content-type", "content-disposition", "etag", "location"}
        out = {k: v for k, v in headers.items() if k.lower() in keep}
        out.update({"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})
        self._send(status, out, payload)

    def _static(self, path: str) -> None:
        target = (DIST / path.lstrip("/")).resolve()
        if not str(target).startswith(str(DIST.resolve())) or not target.is_file():
            target = DIST / "favicon.svg" if path == "/favicon.ico" else DIST / "index.html"
        if not target.is_file():
            self._send(503, {"Content-Type": "text/plain"}, b"The frontend is not built: run `make run`.")
            return
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        headers = {"Content-Type": content_type, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
        if target.name == "index.html":
            csp = self.pay_csp if self.pay_csp and PAYMENT_PAGE.match(path) else PAGE_CSP
            headers.update({"Content-Security-Policy": csp, "Cache-Control": "no-cache", "X-Frame-Options": "DENY"})
        else:
            headers["Cache-Control"] = "public, max-age=31536000, immutable"
        self._send(200, headers, target.read_bytes())

    def _mailbox(self, json_view: bool) -> None:
        query = parse_qs(urlsplit(self.path).query)
        page = max(1, int((query.get("page") or ["1"])[0] or 1)) if (query.get("page") or ["1"])[0].isdigit() else 1
        messages = [mail.__dict__ for mail in sent_mail(offset=(page - 1) * MAILBOX_PAGE, limit=MAILBOX_PAGE)]
        if json_view:
            body = {"page": page, "total": mail_count(), "messages": messages}
            self._send(200, {"Content-Type": "application/json", "Cache-Control": "no-store"}, json.dumps(body).encode())
            return
        headers = {"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": MAILBOX_CSP, "Cache-Control": "no-store"}
        self._send(200, headers, render_mailbox(messages, page, mail_count()).encode())

    def _send(self, status: int, headers: dict[str, Any], body: bytes) -> None:
        # A browser that went away (a closed tab, a cancelled fetch) has nothing to be told, and nothing to log.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.send_response(status)
            for name, value in headers.items():
                if name.lower() == "content-length":
                    continue
                for item in value if isinstance(value, list) else [value]:
                    self.send_header(name, str(item))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)


def make_handler(gateway: Any, moto_url: str, pay_csp: str = "") -> type[BaseHTTPRequestHandler]:
    return type("Handler", (PortalRequestHandler,), {"gateway": gateway, "moto_url": moto_url, "pay_csp": pay_csp})


def render_mailbox(messages: list[dict[str, Any]], page: int, total: int) -> str:
    items = []
    for message in messages:
        links = "".join(f'<li><a href="{html.escape(link)}">{html.escape(link)}</a></li>' for link in message["links"])
        items.append(
            f"""<article aria-label="{html.escape(message["subject"] or "")}">
<h2>{html.escape(message["subject"] or "(no subject)")}</h2>
<p class="meta">To {html.escape(", ".join(message["to"]))} · from {html.escape(message["sender"] or "")}</p>
<details><summary>Show the message</summary><div class="body">{message["html"]}</div></details>
<h3>Links in this message</h3><ul>{links or "<li>none</li>"}</ul>
</article>"""
        )
    body = "\n".join(items) or "<p>No mail yet. Invitations and password resets will appear here.</p>"
    pages = max(1, -(-total // MAILBOX_PAGE))
    nav = []
    if page > 1:
        nav.append(f'<a href="/dev/mailbox?page={page - 1}">Newer</a>')
    if page < pages:
        nav.append(f'<a href="/dev/mailbox?page={page + 1}">Older</a>')
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Local mailbox</title><style>
body{{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}}
article{{border:1px solid #c9ced6;border-radius:8px;padding:1rem;margin:1rem 0}} .meta{{color:#4b5563}}
a{{color:#1d4ed8;word-break:break-all}} nav a{{margin-right:1rem}}</style></head><body>
<main><h1>Local mailbox</h1><p>Mail the portal sent through the emulated SES, newest first ({total} in all, page {page} of {pages}).
This page exists only on a local stack.</p>
{body}<nav aria-label="Mailbox pages">{" ".join(nav)}</nav></main></body></html>"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--moto-port", type=int, default=int(os.environ.get("MOTO_PORT", "0")) or None)
    parser.add_argument("--no-seed", action="store_true")
    args = parser.parse_args(argv)
    stack = LocalStack(port=args.port, moto_port=args.moto_port, seed=not args.no_seed)
    try:
        stack.start()
    except PortInUse as error:
        print(f"\n  {error}\n", file=sys.stderr, flush=True)
        return 2
    _write_state(args.port, stack.moto_url, stack.stripe_url)
    print(banner(args.port), flush=True)
    try:
        stack.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
    return 0


def banner(port: int) -> str:
    from scripts.seed import ADMINISTRATOR, CLIENTS, DEMO_AUTHENTICATOR_KEY, DEMO_PASSWORD, DEMO_SLUG, STAFF

    base = f"http://localhost:{port}"
    lines = [
        "",
        f"  Client portal running at {base}",
        f"  Demo practice sign-in:  {base}/o/{DEMO_SLUG}",
        f"  Local mailbox:          {base}/dev/mailbox",
        f"  API health:             {base}/api/health",
        "  Card payments:          the embedded fake Stripe; test card 4242 4242 4242 4242",
        "",
        f"  Administrator  {ADMINISTRATOR.email:<22} password {DEMO_PASSWORD}",
        f"                 then a code from an authenticator app set up with the key {_grouped(DEMO_AUTHENTICATOR_KEY)}",
    ]
    lines += [f"  Therapist      {p.email:<22} password {DEMO_PASSWORD}" for p in STAFF if p.sets_password]
    lines += [f"  Client         {c.email:<22} password {DEMO_PASSWORD}" for c in CLIENTS if c.portal == "active"]
    lines += ["", "  Ctrl-C stops everything.", ""]
    return "\n".join(lines)


def _grouped(key: str) -> str:
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


STATE_DIR = ROOT / ".local"


def _write_state(port: int, moto_url: str, stripe_url: str = "") -> None:
    """Where this stack's emulator and fake Stripe listen, so `make reminders PORT=…` (and the reconciliation
    command) can find them."""
    STATE_DIR.mkdir(exist_ok=True)
    state = {"port": port, "moto_url": moto_url, "stripe_url": stripe_url}
    (STATE_DIR / f"stack-{port}.json").write_text(json.dumps(state), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
