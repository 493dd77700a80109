"""The whole product on one laptop: AWS emulator, tables, demo data, API and frontend on one origin.

    python -m scripts.local_stack [--port 8000]

Serves http://localhost:PORT with the built frontend, the Chalice app under /api (through Chalice's own local
gateway, in-process) and, for local stages only, a mailbox at /dev/mailbox showing what SES "sent".
Ctrl-C stops everything: the emulator runs in this process.
"""

from __future__ import annotations

import argparse
import html
import json
import mimetypes
import os
import re
import sys
import threading
import urllib.request
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "frontend" / "dist"
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
)
MAILBOX_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'"


class LocalStack:
    """Emulator + provisioning + app; used by `make run` and by the end-to-end tests."""

    def __init__(self, port: int, moto_port: int, seed: bool = True) -> None:
        self.port = port
        self.moto_port = moto_port
        self.seed = seed
        self.server: ThreadingHTTPServer | None = None
        self._moto: Any = None

    @property
    def moto_url(self) -> str:
        return f"http://127.0.0.1:{self.moto_port}"

    def start(self) -> None:
        for key, value in {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_DEFAULT_REGION": "us-east-1"}.items():
            os.environ.setdefault(key, value)
        import logging

        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the emulator's access log is noise here

        self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=self.moto_port, verbose=False)
        self._moto.start()
        settings = self._settings()
        from chalicelib.config import use_settings

        use_settings(settings)
        from scripts.provision import provision

        provision(settings)
        if self.seed:
            from scripts.seed import seed_demo

            seed_demo()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler_class())
        self.server.daemon_threads = True

    def _settings(self) -> Any:
        from chalicelib.config import settings_from_env

        base = settings_from_env(os.environ)
        return replace(
            base,
            stage="local",
            aws_endpoint_url=self.moto_url,
            public_base_url=f"http://localhost:{self.port}",
            dev_mailbox=True,
            organization_signup_open=True,
        )

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        from chalice.config import Config
        from chalice.local import CustomLocalChalice, LocalChalice, LocalGateway

        from app import app

        # Same trick as `chalice local`: a thread-local current_request, so concurrent requests don't mix.
        CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
        app.__class__ = CustomLocalChalice
        gateway = LocalGateway(app, Config.create(chalice_stage="local", lambda_timeout=60, lambda_memory_size=512))
        return make_handler(gateway, self.moto_url)

    def serve_forever(self) -> None:
        assert self.server is not None
        self.server.serve_forever()

    def serve_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        if self._moto is not None:
            self._moto.stop()


class PortalRequestHandler(BaseHTTPRequestHandler):
    """Static frontend, /api through Chalice's local gateway, and the local mailbox — on one origin."""

    protocol_version = "HTTP/1.1"
    gateway: Any = None
    moto_url = ""

    def log_message(self, format: str, *args: Any) -> None:
        # Paths are not logged: they could carry identifiers; the API logs its own structured lines.
        pass

    def _dispatch(self) -> None:
        path = self.path.split("?", 1)[0]
        if path.startswith("/api/") or path == "/api":
            self._api()
        elif path in {"/dev/mailbox", "/dev/mailbox.json"}:
            self._mailbox(json_view=path.endswith(".json"))
        elif self.command in {"GET", "HEAD"}:
            self._static(path)
        else:
            self._send(405, {"Content-Type": "text/plain"}, b"Method not allowed")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _dispatch  # noqa: N815

    def _api(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else None
        try:
            response = self.gateway.handle_request(method=self.command, path=self.path, headers=dict(self.headers), body=body)
        except Exception as error:  # LocalGatewayException: unknown route and the like
            code = getattr(error, "CODE", 500)
            problem = {"type": "/problems/not-found", "title": "Not found", "status": code, "detail": "No such API route."}
            self._send(code, {"Content-Type": "application/problem+json"}, json.dumps(problem).encode())
            return
        headers = dict(response.get("headers") or {})
        for name, values in (response.get("multiValueHeaders") or {}).items():
            headers[name] = values
        raw = response.get("body")
        payload = raw.encode() if isinstance(raw, str) else (raw or b"")
        self._send(int(response["statusCode"]), headers, payload)

    def _static(self, path: str) -> None:
        target = (DIST / path.lstrip("/")).resolve()
        if not str(target).startswith(str(DIST.resolve())) or not target.is_file():
            target = DIST / "index.html"
        if not target.is_file():
            self._send(503, {"Content-Type": "text/plain"}, b"The frontend is not built: run `make run`.")
            return
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        headers = {"Content-Type": content_type, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
        if target.name == "index.html":
            headers.update({"Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-cache", "X-Frame-Options": "DENY"})
        else:
            headers["Cache-Control"] = "public, max-age=31536000, immutable"
        self._send(200, headers, target.read_bytes())

    def _mailbox(self, json_view: bool) -> None:
        messages = read_mailbox(self.moto_url)
        if json_view:
            self._send(200, {"Content-Type": "application/json", "Cache-Control": "no-store"}, json.dumps(messages).encode())
            return
        headers = {"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": MAILBOX_CSP, "Cache-Control": "no-store"}
        self._send(200, headers, render_mailbox(messages).encode())

    def _send(self, status: int, headers: dict[str, Any], body: bytes) -> None:
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


def make_handler(gateway: Any, moto_url: str) -> type[BaseHTTPRequestHandler]:
    return type("Handler", (PortalRequestHandler,), {"gateway": gateway, "moto_url": moto_url})


LINK = re.compile(r'href="([^"]+)"')


def read_mailbox(moto_url: str) -> list[dict[str, Any]]:
    """What SES accepted, newest first, from the emulator's own record (/moto-api/data.json)."""
    with urllib.request.urlopen(f"{moto_url}/moto-api/data.json", timeout=5) as response:
        data = json.load(response)
    messages = data.get("ses", {}).get("Message", [])
    result = []
    for message in reversed(messages):
        body = message.get("body", "")
        result.append(
            {
                "id": message.get("id"),
                "from": message.get("source"),
                "to": message.get("destinations", {}).get("ToAddresses", []),
                "subject": message.get("subject"),
                "html": body,
                "links": [html.unescape(link) for link in LINK.findall(body)],
            }
        )
    return result


def render_mailbox(messages: list[dict[str, Any]]) -> str:
    items = []
    for message in messages:
        links = "".join(f'<li><a href="{html.escape(link)}">{html.escape(link)}</a></li>' for link in message["links"])
        items.append(
            f"""<article aria-label="{html.escape(message["subject"] or "")}">
<h2>{html.escape(message["subject"] or "(no subject)")}</h2>
<p class="meta">To {html.escape(", ".join(message["to"]))} · from {html.escape(message["from"] or "")}</p>
<details><summary>Show the message</summary><div class="body">{message["html"]}</div></details>
<h3>Links in this message</h3><ul>{links or "<li>none</li>"}</ul>
</article>"""
        )
    body = "\n".join(items) or "<p>No mail yet. Invitations and password resets will appear here.</p>"
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Local mailbox</title><style>
body{{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}}
article{{border:1px solid #c9ced6;border-radius:8px;padding:1rem;margin:1rem 0}} .meta{{color:#4b5563}}
a{{color:#1d4ed8;word-break:break-all}}</style></head><body>
<h1>Local mailbox</h1><p>Mail the portal sent through the emulated SES, newest first. This page exists only on a local stack.</p>
{body}</body></html>"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--moto-port", type=int, default=int(os.environ.get("MOTO_PORT", "5005")))
    parser.add_argument("--no-seed", action="store_true")
    args = parser.parse_args(argv)
    stack = LocalStack(port=args.port, moto_port=args.moto_port, seed=not args.no_seed)
    stack.start()
    from scripts.seed import ADMINISTRATOR, CLIENTS, DEMO_PASSWORD, DEMO_SLUG, STAFF

    base = f"http://localhost:{args.port}"
    lines = [
        "",
        f"  Client portal running at {base}",
        f"  Demo practice sign-in:  {base}/o/{DEMO_SLUG}",
        f"  Local mailbox:          {base}/dev/mailbox",
        f"  API health:             {base}/api/health",
        "",
        f"  Administrator  {ADMINISTRATOR.email:<22} password {DEMO_PASSWORD}",
    ]
    lines += [f"  Therapist      {p.email:<22} password {DEMO_PASSWORD}" for p in STAFF if p.sets_password]
    lines += [f"  Client         {c.email:<22} password {DEMO_PASSWORD}" for c in CLIENTS if c.portal == "active"]
    lines += ["", "  Ctrl-C stops everything.", ""]
    print("\n".join(lines), flush=True)
    try:
        stack.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
