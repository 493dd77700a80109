"""DynamoDB calls per API route, for a practice with 10 staff and one with 10,000.

How calls are counted: PynamoDB builds its own botocore session per thread and per Connection through
``pynamodb.connection.base.get_session``. That name is replaced, before any table is used, by a wrapper that
registers a ``before-call.dynamodb`` handler on every new session. botocore emits that event once per API call
(not per retry attempt), for model methods and for ``TransactWrite`` alike; a self-check verifies both.

How routes are called: every route of ``chalicelib.routes.ROUTE_MAP`` through ``chalice.test.Client`` against a
``ThreadedMotoServer``, as the principal it is meant for. A warm-up practice first calls every route once (its
handler module is imported on the first call), so each measured call is at least the second in the process.
Set-password links are taken from moto's SES, as the tests do.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from bench.browser import Browser, Mailbox, Response
from bench.report import Verdict, heading, table

MAX_CALLS = 4
# Theo's booking settings in the scenario: open all day, every day, no notice, 30-minute sessions, requests approved.
BOOKING = {
    "booking_enabled": True,
    "services": [{"id": "", "name": "Session", "duration_minutes": 30, "modality": "telehealth", "price_cents": None}],
    "weekly": [{"weekday": day, "start": "00:00", "end": "00:00", "next_day": True} for day in range(7)],
    "min_notice_hours": 0,
    "interval_minutes": 30,
    "cancel_window_hours": 0,
    "approval_required": True,
}
PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "bench changed this passphrase"
SHORT_NAMES = {
    "GetItem": "Get",
    "PutItem": "Put",
    "UpdateItem": "Update",
    "DeleteItem": "Delete",
    "Query": "Query",
    "Scan": "SCAN",
    "BatchGetItem": "BatchGet",
    "BatchWriteItem": "BatchWrite",
    "TransactWriteItems": "TxWrite",
    "TransactGetItems": "TxGet",
}

RouteKey = tuple[str, str]


class CallCounter:
    """Collects the DynamoDB operation names that PynamoDB's botocore clients call."""

    def __init__(self) -> None:
        self._calls: list[str] = []
        self._lock = threading.Lock()
        self.sessions = 0

    def on_call(self, **kwargs: Any) -> None:
        model = kwargs.get("model")
        name = str(getattr(model, "name", None) or kwargs.get("event_name", "?").rsplit(".", 1)[-1])
        with self._lock:
            self._calls.append(name)

    def take(self) -> list[str]:
        with self._lock:
            calls, self._calls = self._calls, []
        return calls

    def install(self) -> None:
        import pynamodb.connection.base as pynamodb_base

        # Read and replaced through the module's namespace: the name is imported there, not exported.
        original: Callable[[], Any] = pynamodb_base.__dict__["get_session"]

        def get_session() -> Any:
            session = original()
            session.register("before-call.dynamodb", self.on_call, unique_id="bench-dynamodb-call-counter")
            with self._lock:
                self.sessions += 1
            return session

        pynamodb_base.__dict__["get_session"] = get_session


@dataclass(frozen=True)
class Measurement:
    principal: str
    status: int
    expected: int
    calls: list[str]

    @property
    def count(self) -> int:
        return len(self.calls)

    @property
    def scans(self) -> int:
        return self.calls.count("Scan")

    def summary(self) -> str:
        """The calls in order; consecutive repeats folded ("Queryx3")."""
        runs: list[list[Any]] = []
        for name in (SHORT_NAMES.get(call, call) for call in self.calls):
            if runs and runs[-1][0] == name:
                runs[-1][1] += 1
            else:
                runs.append([name, 1])
        return " ".join(name if n == 1 else f"{name}x{n}" for name, n in runs) or "-"


@dataclass
class Practice:
    label: str
    slug: str
    org_id: str
    admin_id: str
    admin: Browser
    invited_id: str  # invited through the API and never redeemed: the resend-invitation target
    staff_total: int
    therapist: Browser  # Theo, allowed to invite clients, signed in
    therapist_id: str


class ScenarioError(RuntimeError):
    pass


@dataclass
class Seeding:
    items: int
    seconds: float


class Bench:
    def __init__(self, client: Any, mailbox: Mailbox, counter: CallCounter) -> None:
        self.client = client
        self.mailbox = mailbox
        self.counter = counter

    def browser(self) -> Browser:
        return Browser(self.client)

    # ------------------------------------------------------------------------------------------- set-up

    def _ok(self, response: Response, expected: int, what: str) -> Any:
        if response.status != expected:
            raise ScenarioError(f"{what}: HTTP {response.status}, expected {expected}: {response.body[:300]!r}")
        return response.json

    def create_practice(self, slug: str, staff_total: int) -> tuple[Practice, Seeding | None]:
        """Created through the API; an administrator, one active and one invited therapist; the rest bulk-loaded."""
        admin = self.browser()
        admin_email = f"admin@{slug}.test"
        body = {"name": f"{slug.title()} Counseling", "slug": slug, "time_zone": "America/Chicago",
                "admin_name": "Ada Admin", "admin_email": admin_email}  # fmt: skip
        created = self._ok(admin.request("POST", "/api/organizations", body), 201, "create practice")
        # New practices require a second factor of staff; the bench's staff sign in with a password (as the tests'
        # practices do, tests/conftest.py), and the second-factor routes are measured on their own (factor_routes).
        staff_password_only(created["organization"]["id"], slug)
        redeem = {"token": self.mailbox.token_for(admin_email), "password": PASSWORD}
        self._ok(admin.request("POST", "/api/password-tokens/redeem", redeem), 200, "administrator sets password")
        active_email = f"theo@{slug}.test"
        invite = {"name": "Theo Therapist", "email": active_email, "role": "therapist", "can_invite_clients": True}
        theo = self._ok(admin.request("POST", "/api/staff", invite), 201, "invite therapist")
        redeem = {"token": self.mailbox.token_for(active_email), "password": PASSWORD}
        therapist = self.browser()
        self._ok(therapist.request("POST", "/api/password-tokens/redeem", redeem), 200, "therapist sets password")
        invite = {"name": "Ivy Invited", "email": f"ivy@{slug}.test", "role": "therapist", "can_invite_clients": False}
        invited = self._ok(admin.request("POST", "/api/staff", invite), 201, "invite second therapist")
        practice = Practice(
            label=f"{staff_total:,} staff",
            slug=slug,
            org_id=created["organization"]["id"],
            admin_id=created["administrator"]["id"],
            admin=admin,
            invited_id=invited["id"],
            staff_total=staff_total,
            therapist=therapist,
            therapist_id=theo["id"],
        )
        bulk = staff_total - 3
        seeding = bulk_load(practice, bulk) if bulk > 0 else None
        if bulk > 0:
            assert seeding is not None
            clients = bulk_load_clients(practice, staff_total)
            booked = bulk_load_appointments(practice, APPOINTMENTS)
            waiting = bulk_load_worklist(practice, staff_total)
            seeding = Seeding(
                items=seeding.items + clients.items + booked.items + waiting.items,
                seconds=seeding.seconds + clients.seconds + booked.seconds + waiting.seconds,
            )
        self.counter.take()
        return practice, seeding

    # ---------------------------------------------------------------------------------------- measuring

    def _measure(
        self,
        results: dict[RouteKey, Measurement],
        browser: Browser,
        principal: str,
        method: str,
        template: str,
        path: str | None = None,
        body: Any = None,
        expect: int = 200,
    ) -> Response:
        if browser.cookie and not template.startswith("/api/session"):
            # The session's idle refresh (a write at most once a minute) falls due only here, never in the measured
            # call: the large practice's setup takes minutes, and a route must not be charged the refresh by chance.
            browser.request("GET", "/api/session")
        self.counter.take()
        response = browser.request(method, path or template, body)
        results[(method, template)] = Measurement(principal, response.status, expect, self.counter.take())
        return response

    def scenario(self, p: Practice, results: dict[RouteKey, Measurement]) -> None:
        """Every route once, in an order where each call is legitimate and succeeds; fills ``results``."""
        m = partial(self._measure, results)
        anon = self.browser
        admin = p.admin
        m(anon(), "anonymous", "GET", "/api/health")
        m(anon(), "anonymous", "GET", "/api/openapi.json")
        extra = f"{p.slug}-extra"
        new_org = {"name": "Extra Counseling", "slug": extra, "time_zone": "America/Chicago",
                   "admin_name": "Eve Extra", "admin_email": f"eve@{extra}.test"}  # fmt: skip
        m(anon(), "anonymous", "POST", "/api/organizations", body=new_org, expect=201)
        m(anon(), "anonymous", "GET", "/api/orgs/{slug}", f"/api/orgs/{p.slug}")
        settings = self._ok(m(admin, "administrator", "GET", "/api/organization/settings"), 200, "settings")
        change = {"version": settings["version"], "name": f"{settings['name']} (renamed)", "contact_line": "Call us."}
        m(admin, "administrator", "PATCH", "/api/organization/settings", body=change)

        email = f"newcomer@{p.slug}.test"
        invite = {"name": "Nia Newcomer", "email": email, "role": "therapist", "can_invite_clients": False}
        newcomer = self._ok(m(admin, "administrator", "POST", "/api/staff", body=invite, expect=201), 201, "invite")["id"]
        token = self.mailbox.token_for(email)
        m(anon(), "anonymous", "POST", "/api/password-tokens/inspect", body={"token": token})
        m(anon(), "anonymous", "POST", "/api/password-tokens/redeem", body={"token": token, "password": PASSWORD})
        tab = anon()
        sign_in = {"email": email, "password": PASSWORD}
        m(tab, "anonymous", "POST", "/api/orgs/{slug}/sign-in", f"/api/orgs/{p.slug}/sign-in", body=sign_in)
        m(tab, "therapist", "GET", "/api/session")
        m(tab, "therapist", "POST", "/api/session/keepalive")
        m(tab, "therapist", "GET", "/api/entitlements")
        change_password = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
        m(tab, "therapist", "POST", "/api/account/password", body=change_password, expect=204)
        reset = {"email": email}
        m(anon(), "anonymous", "POST", "/api/orgs/{slug}/password-reset", f"/api/orgs/{p.slug}/password-reset", body=reset,
          expect=202)  # fmt: skip
        m(tab, "therapist", "DELETE", "/api/session", expect=204)

        one = f"/api/staff/{newcomer}"
        m(admin, "administrator", "GET", "/api/staff")
        member = self._ok(m(admin, "administrator", "GET", "/api/staff/{staff_id}", one), 200, "get staff")
        # A permission change: the worst case, it also ends the member's sessions.
        edit = {"version": member["version"], "can_invite_clients": True}
        m(admin, "administrator", "PATCH", "/api/staff/{staff_id}", one, body=edit)
        seat = f"/api/subscription/seats/{newcomer}"
        m(admin, "administrator", "PUT", "/api/subscription/seats/{staff_id}", seat)
        m(admin, "administrator", "GET", "/api/subscription")
        m(admin, "administrator", "DELETE", "/api/subscription/seats/{staff_id}", seat)
        m(admin, "administrator", "POST", "/api/staff/{staff_id}/deactivate", f"{one}/deactivate")
        m(admin, "administrator", "POST", "/api/staff/{staff_id}/reactivate", f"{one}/reactivate")
        m(admin, "administrator", "POST", "/api/staff/{staff_id}/invitation", f"/api/staff/{p.invited_id}/invitation")
        m(admin, "administrator", "GET", "/api/audit")
        m(admin, "administrator", "GET", "/api/audit/export")
        self.client_routes(p, results)
        self.factor_routes(p, results)

    def client_routes(self, p: Practice, results: dict[RouteKey, Measurement]) -> None:
        """Client records, invitations, templates, self sign-up and the client's home."""
        m = partial(self._measure, results)
        admin, theo = p.admin, p.therapist
        email = f"casey@{p.slug}.test"
        new_client = {"name": "Casey Client", "email": email, "therapist_ids": [p.therapist_id]}
        created = self._ok(m(admin, "administrator", "POST", "/api/clients", body=new_client, expect=201), 201, "client")
        one = f"/api/clients/{created['id']}"
        # A therapist's search is the widest read: search entries, one BatchGetItem, the audit event.
        m(theo, "therapist", "POST", "/api/clients/search", body={"q": "casey"})
        m(theo, "therapist", "POST", "/api/clients/email-check", body={"email": email})
        m(theo, "therapist", "GET", "/api/clients")
        record = self._ok(m(theo, "therapist", "GET", "/api/clients/{client_id}", one), 200, "client")
        change = {"version": record["version"], "preferred_name": "Case", "email": email}
        m(theo, "therapist", "PATCH", "/api/clients/{client_id}", one, body=change)
        template = {"name": "Welcome", "message": "We look forward to meeting you."}
        saved = self._ok(m(theo, "therapist", "POST", "/api/invitation-templates", body=template, expect=201), 201, "template")
        m(theo, "therapist", "GET", "/api/invitation-templates")
        tpl = f"/api/invitation-templates/{saved['id']}"
        m(theo, "therapist", "PATCH", "/api/invitation-templates/{template_id}", tpl, body={"version": saved["version"], "name": "Hi"})
        m(theo, "therapist", "DELETE", "/api/invitation-templates/{template_id}", tpl, expect=204)
        invitation = {"form_ids": [], "message": "See you soon."}
        m(theo, "therapist", "POST", "/api/clients/{client_id}/invitation", f"{one}/invitation", body=invitation)
        person = self.browser()
        redeem = {"token": self.mailbox.token_for(email), "password": PASSWORD}
        self._ok(person.request("POST", "/api/password-tokens/redeem", redeem), 200, "client sets password")
        m(person, "client", "GET", "/api/portal/home")
        m(theo, "therapist", "POST", "/api/clients/{client_id}/portal-access/disable", f"{one}/portal-access/disable")
        m(theo, "therapist", "POST", "/api/clients/{client_id}/portal-access/enable", f"{one}/portal-access/enable")
        signed_in = {"email": email, "password": PASSWORD}
        person = self.browser()
        self._ok(person.request("POST", f"/api/orgs/{p.slug}/sign-in", signed_in), 200, "client signs in again")
        settings = self._ok(admin.request("GET", "/api/organization/settings"), 200, "settings")
        self._ok(admin.request("PATCH", "/api/organization/settings", {"version": settings["version"], "self_signup": True}), 200, "on")
        sign_up = {"name": "Quinn Newclient", "email": f"quinn@{p.slug}.test"}
        m(self.browser(), "anonymous", "POST", "/api/orgs/{slug}/sign-up", f"/api/orgs/{p.slug}/sign-up", body=sign_up, expect=202)
        self.intake_routes(p, results, one, person)
        self.messaging_routes(p, results, one, person)
        self.branding_routes(p, results, person)
        self.dashboard_routes(p, results)

    def branding_routes(self, p: Practice, results: dict[RouteKey, Measurement], person: Browser) -> None:
        """The logo (upload, use, its public address, removal) and a client choosing their own time zone."""
        import struct
        import zlib

        from bench.messaging import post_file

        m = partial(self._measure, results)
        admin = p.admin

        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

        header = struct.pack(">IIBBBBB", 120, 40, 8, 2, 0, 0, 0)
        logo = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress((b"\x00" + b"\x1d\x4e\xd8" * 120) * 40))
        logo += chunk(b"IEND", b"")
        upload = {"filename": "logo.png", "content_type": "image/png", "size": len(logo)}
        ticket = self._ok(m(admin, "administrator", "POST", "/api/organization/logo/uploads", body=upload, expect=201), 201, "logo")
        post_file(ticket, logo, "image/png")
        m(admin, "administrator", "PUT", "/api/organization/logo", body={"upload_id": ticket["upload_id"]})
        m(self.browser(), "anonymous", "GET", "/api/orgs/{slug}/logo", f"/api/orgs/{p.slug}/logo", expect=302)
        m(admin, "administrator", "DELETE", "/api/organization/logo")
        m(person, "client", "PATCH", "/api/portal/account", body={"time_zone": "Europe/Lisbon"})

    def dashboard_routes(self, p: Practice, results: dict[RouteKey, Measurement]) -> None:
        """The staff dashboards (after the intake, scheduling and messaging routes, so each list has items; the large
        practice's lists hold its 10,000 clients too) and staff members' names. The administrator holds a seat
        (messaging gave them one): their day is the practice's, two Queries."""
        m = partial(self._measure, results)
        admin, theo = p.admin, p.therapist
        m(admin, "administrator", "GET", "/api/dashboard/worklist")
        m(admin, "administrator", "GET", "/api/dashboard/signed")
        m(admin, "administrator", "GET", "/api/dashboard/appointments")
        names = f"/api/staff/names?ids={p.therapist_id},{p.admin_id},{p.invited_id}"
        m(theo, "therapist", "GET", "/api/staff/names", names)

    def intake_routes(self, p: Practice, results: dict[RouteKey, Measurement], one: str, person: Browser) -> None:
        """Forms, paperwork sent to the client, filling in, consent, signing, documents."""
        m = partial(self._measure, results)
        admin, theo = p.admin, p.therapist
        privacy = "std-privacy-notice"
        m(admin, "administrator", "GET", "/api/forms")
        copy = self._ok(m(admin, "administrator", "POST", "/api/forms", body={"copy_of": privacy}, expect=201), 201, "copy")
        form = f"/api/forms/{copy['id']}"
        current = self._ok(m(admin, "administrator", "GET", "/api/forms/{form_id}", form), 200, "form")
        edit = {"head_version": copy["head_version"], "definition": current["definition"]}
        m(admin, "administrator", "PUT", "/api/forms/{form_id}", form, body=edit)
        m(admin, "administrator", "POST", "/api/forms/{form_id}/retire", f"{form}/retire")
        m(admin, "administrator", "POST", "/api/forms/{form_id}/restore", f"{form}/restore")
        order = [f["id"] for f in self._ok(admin.request("GET", "/api/forms"), 200, "forms")["items"]]
        m(admin, "administrator", "PUT", "/api/form-order", body={"form_ids": list(reversed(order))})
        sent = m(
            theo,
            "therapist",
            "POST",
            "/api/clients/{client_id}/form-requests",
            f"{one}/form-requests",
            body={"form_ids": [privacy]},
            expect=201,
        )
        request_id = self._ok(sent, 201, "send forms")["items"][0]["id"]
        m(theo, "therapist", "GET", "/api/clients/{client_id}/form-requests", f"{one}/form-requests")
        reminder = f"{one}/form-requests/{request_id}/reminder"
        m(theo, "therapist", "POST", "/api/clients/{client_id}/form-requests/{request_id}/reminder", reminder)
        mine = "/api/portal/form-requests"
        m(person, "client", "GET", mine)
        opened = self._ok(m(person, "client", "GET", "/api/portal/form-requests/{request_id}", f"{mine}/{request_id}"), 200, "open")
        answers = {"answers": {"ack_received": True}}
        m(person, "client", "PUT", "/api/portal/form-requests/{request_id}/answers", f"{mine}/{request_id}/answers", body=answers)
        consent = {"disclosure_version": opened["disclosure"]["version"], "agree": True}
        m(person, "client", "POST", "/api/portal/form-requests/{request_id}/consent", f"{mine}/{request_id}/consent", body=consent)
        signature = {"full_name": "Casey Client", "attested": True}
        m(person, "client", "POST", "/api/portal/form-requests/{request_id}/signature", f"{mine}/{request_id}/signature", body=signature)
        documents = f"{one}/documents"
        m(theo, "therapist", "GET", "/api/clients/{client_id}/documents", documents)
        m(theo, "therapist", "GET", "/api/clients/{client_id}/documents/{request_id}/download", f"{documents}/{request_id}/download")
        m(person, "client", "GET", "/api/portal/documents/{request_id}/download", f"/api/portal/documents/{request_id}/download")
        self.scheduling_routes(p, results, one, person)
        self.payment_routes(p, results, one, person)

    def scheduling_routes(self, p: Practice, results: dict[RouteKey, Measurement], one: str, person: Browser) -> None:
        """Booking settings, slots, booking and its changes, the staff side, the waitlist, the calendar feed."""
        m = partial(self._measure, results)
        admin, theo = p.admin, p.therapist
        self._ok(admin.request("PUT", f"/api/subscription/seats/{p.therapist_id}"), 200, "seat for Theo")
        settings = self._ok(m(theo, "therapist", "GET", "/api/scheduling/settings"), 200, "booking settings")
        body = {**settings, **BOOKING, "version": settings["version"]}
        saved = self._ok(m(theo, "therapist", "PUT", "/api/scheduling/settings", body=body), 200, "save booking settings")
        service = saved["services"][0]["id"]
        m(person, "client", "GET", "/api/portal/scheduling")
        query = f"therapist_id={p.therapist_id}&service_id={service}&days=14"
        free = self._ok(m(person, "client", "GET", "/api/portal/slots", f"/api/portal/slots?{query}"), 200, "slots")["starts"]
        mine = "/api/portal/appointments"

        def book(browser: Browser, start: str, measured: bool = False) -> str:
            booking = {"therapist_id": p.therapist_id, "service_id": service, "start": start}
            response = m(browser, "client", "POST", mine, body=booking, expect=201) if measured else browser.request("POST", mine, booking)
            return str(self._ok(response, 201, "book")["id"])

        first = book(person, free[0], measured=True)
        m(person, "client", "GET", mine)
        m(person, "client", "GET", "/api/portal/appointments/{appointment_id}/calendar", f"{mine}/{first}/calendar")
        m(theo, "therapist", "GET", "/api/scheduling/requests")
        m(theo, "therapist", "GET", "/api/scheduling/calendar", "/api/scheduling/calendar?days=7")
        m(theo, "therapist", "GET", "/api/clients/{client_id}/appointments", f"{one}/appointments")
        staff = "/api/clients/{client_id}/appointments/{appointment_id}"
        m(theo, "therapist", "POST", f"{staff}/confirm", f"{one}/appointments/{first}/confirm")
        m(
            person,
            "client",
            "POST",
            "/api/portal/appointments/{appointment_id}/reschedule",
            f"{mine}/{first}/reschedule",
            body={"start": free[2]},
        )
        m(person, "client", "POST", "/api/portal/appointments/{appointment_id}/cancel", f"{mine}/{first}/cancel", body={})
        second = book(person, free[4])
        m(theo, "therapist", "POST", f"{staff}/decline", f"{one}/appointments/{second}/decline", body={"reason": "Away that day."})
        later = {"start": free[-1], "duration_minutes": 30}
        making = m(theo, "therapist", "POST", "/api/clients/{client_id}/appointments", f"{one}/appointments", body=later, expect=201)
        made = self._ok(making, 201, "make")["id"]
        m(theo, "therapist", "POST", f"{staff}/move", f"{one}/appointments/{made}/move", body={"start": free[-2]})
        m(theo, "therapist", "POST", f"{staff}/outcome", f"{one}/appointments/{made}/outcome", body={"outcome": "late_cancelled"})
        third = book(person, free[6])
        m(theo, "therapist", "POST", f"{staff}/cancel", f"{one}/appointments/{third}/cancel", body={})
        self.waitlist_and_feed(p, results, person, service, free)

    def waitlist_and_feed(self, p: Practice, results: dict[RouteKey, Measurement], person: Browser, service: str, free: list[str]) -> None:
        m = partial(self._measure, results)
        wait = {"therapist_id": p.therapist_id, "service_id": service, "time_of_day": "any"}
        entry = self._ok(m(person, "client", "POST", "/api/portal/waitlist", body=wait, expect=201), 201, "join waitlist")["id"]
        m(person, "client", "GET", "/api/portal/waitlist")
        m(person, "client", "DELETE", "/api/portal/waitlist/{entry_id}", f"/api/portal/waitlist/{entry}", expect=204)
        self._ok(person.request("POST", "/api/portal/waitlist", wait), 201, "join again")
        other = self.browser()
        email = f"olive@{p.slug}.test"
        olive = self._ok(p.admin.request("POST", "/api/clients", {"name": "Olive Other", "email": email,
                                                                 "therapist_ids": [p.therapist_id]}), 201, "client")  # fmt: skip
        self._ok(p.admin.request("POST", f"/api/clients/{olive['id']}/invitation", {"form_ids": []}), 200, "invite")
        self._ok(
            other.request("POST", "/api/password-tokens/redeem", {"token": self.mailbox.token_for(email), "password": PASSWORD}),
            200,
            "olive",
        )
        booked = self._ok(other.request("POST", "/api/portal/appointments", {"therapist_id": p.therapist_id, "service_id": service,
                                                                             "start": free[8]}), 201, "olive books")  # fmt: skip
        self._ok(other.request("POST", f"/api/portal/appointments/{booked['id']}/cancel", {}), 200, "olive cancels")
        offer = self._ok(person.request("GET", "/api/portal/waitlist"), 200, "offers")["offers"][0]["id"]
        claim = f"/api/portal/waitlist-offers/{offer}/claim"
        m(person, "client", "POST", "/api/portal/waitlist-offers/{offer_id}/claim", claim, expect=201)
        issued = self._ok(m(p.therapist, "therapist", "POST", "/api/scheduling/feed", body={}, expect=201), 201, "feed")
        m(p.therapist, "therapist", "GET", "/api/scheduling/feed")
        token = issued["url"].split("token=", 1)[1]
        m(self.browser(), "anonymous", "GET", "/api/calendar-feed", f"/api/calendar-feed?token={token}")
        m(p.therapist, "therapist", "DELETE", "/api/scheduling/feed", expect=204)

    def messaging_routes(self, p: Practice, results: dict[RouteKey, Measurement], one: str, person: Browser) -> None:
        """Secure messaging: the client writes with an attachment, Theo polls (changed, then 304), reads his inbox and
        the conversation, answers with an attachment; the client reads; office hours; a mass message is started."""
        from bench.messaging import post_file

        m = partial(self._measure, results)
        admin, theo = p.admin, p.therapist
        for staff_id in (p.therapist_id, p.admin_id):  # messaging needs a seat (409: one they already hold)
            seated = admin.request("PUT", f"/api/subscription/seats/{staff_id}")
            if seated.status != 409:
                self._ok(seated, 200, "seat")
        pdf = b"%PDF-1.7\n%%EOF\n"
        upload = {"filename": "plan.pdf", "content_type": "application/pdf", "size": len(pdf)}
        ticket = self._ok(m(person, "client", "POST", "/api/portal/messages/attachments", body=upload, expect=201), 201, "upload")
        post_file(ticket, pdf, "application/pdf")
        note = {"text": "Could we move Thursday's session?", "attachment_ids": [ticket["upload_id"]]}
        m(person, "client", "POST", "/api/portal/messages", body=note, expect=201)
        etag = m(theo, "therapist", "GET", "/api/messages/poll").headers.get("etag", "")
        theo.headers["if-none-match"] = etag
        m(theo, "therapist", "GET", "/api/messages/poll", expect=304)  # nothing changed: the session read only
        del theo.headers["if-none-match"]
        m(theo, "therapist", "GET", "/api/messages/inbox")
        conversation = f"{one}/conversation"
        m(theo, "therapist", "GET", "/api/clients/{client_id}/conversation", conversation)
        ticket = self._ok(m(theo, "therapist", "POST", "/api/messages/attachments", body=upload, expect=201), 201, "upload")
        post_file(ticket, pdf, "application/pdf")
        reply = {"text": "Of course. 3 pm?", "attachment_ids": [ticket["upload_id"]]}
        m(theo, "therapist", "POST", "/api/clients/{client_id}/conversation/messages", f"{conversation}/messages", body=reply, expect=201)
        attachment = f"{conversation}/attachments/{ticket['upload_id']}"
        m(theo, "therapist", "GET", "/api/clients/{client_id}/conversation/attachments/{attachment_id}", attachment)
        m(person, "client", "GET", "/api/portal/messages")
        mine = f"/api/portal/messages/attachments/{ticket['upload_id']}"
        m(person, "client", "GET", "/api/portal/messages/attachments/{attachment_id}", mine)
        m(person, "client", "GET", "/api/portal/messages/poll")
        m(theo, "therapist", "GET", "/api/messages/office-hours")
        hours = {"enabled": True, "days": [1, 2, 3, 4, 5], "start": "09:00", "end": "17:00", "message": ""}
        m(theo, "therapist", "PUT", "/api/messages/office-hours", body=hours)
        campaign = {"text": "We are closed on Friday.", "audience": "therapist", "therapist_id": p.therapist_id}
        m(admin, "administrator", "POST", "/api/messages/campaigns", body=campaign, expect=202)
        m(admin, "administrator", "GET", "/api/messages/campaigns")

    def payment_routes(self, p: Practice, results: dict[RouteKey, Measurement], one: str, person: Browser) -> None:
        """Invoices, the Stripe connection (the embedded fake server), paying by card, Stripe's event, refunds."""
        from scripts import fake_stripe

        m = partial(self._measure, results)
        admin, theo = p.admin, p.therapist
        stripe_url = _fake_stripe_gateway()
        keys = {"secret_key": f"sk_test_{p.slug}_bench", "publishable_key": "pk_test_bench", "webhook_secret": f"whsec_{p.slug}_bench"}
        m(admin, "administrator", "PUT", "/api/payments/connection", body=keys)
        m(admin, "administrator", "GET", "/api/payments/connection")
        billable = f"{one}/billable-appointments"
        offered = self._ok(m(theo, "therapist", "GET", "/api/clients/{client_id}/billable-appointments", billable), 200, "billable")
        lines: dict[str, Any] = {"lines": [{"description": "Session", "service_date": "2026-11-20", "amount_cents": 15000}]}
        lines["appointment_ids"] = [item["id"] for item in offered["items"][:1]]  # the late-cancelled one, billed
        invoices = f"{one}/invoices"
        draft = self._ok(m(theo, "therapist", "POST", "/api/clients/{client_id}/invoices", invoices, body=lines, expect=201), 201, "draft")
        invoice = f"{invoices}/{draft['id']}"
        m(theo, "therapist", "POST", "/api/clients/{client_id}/invoices/{invoice_id}/issue", f"{invoice}/issue")
        m(theo, "therapist", "GET", "/api/clients/{client_id}/invoices", invoices)
        m(theo, "therapist", "GET", "/api/clients/{client_id}/invoices/{invoice_id}", invoice)
        m(theo, "therapist", "GET", "/api/payments/open-invoices")
        mine = f"/api/portal/invoices/{draft['id']}"
        m(person, "client", "GET", "/api/portal/invoices")
        m(person, "client", "GET", "/api/portal/invoices/{invoice_id}", mine)
        setup = self._ok(m(person, "client", "POST", "/api/portal/invoices/{invoice_id}/card-setup", f"{mine}/card-setup"), 200, "setup")
        method = fake_stripe.confirm_card_setup(stripe_url, setup["client_secret"], "pk_test_bench")
        pay = {"amount_cents": 15000, "payment_method": method, "save_card": True}
        paid = self._ok(
            m(person, "client", "POST", "/api/portal/invoices/{invoice_id}/payments", f"{mine}/payments", body=pay, expect=201), 201, "pay"
        )
        intent = _intent_of(p.org_id, paid["payment"], stripe_url, keys["secret_key"])
        headers, body = fake_stripe.signed_event(
            keys["webhook_secret"], "payment_intent.succeeded", intent, event_id=f"evt_{paid['payment']['id']}"
        )
        stripe = self.browser()
        stripe.headers = {"stripe-signature": headers["stripe-signature"]}
        m(stripe, "anonymous", "POST", "/api/webhooks/stripe", body=json.loads(body))
        m(theo, "therapist", "GET", "/api/payments/recent")
        m(person, "client", "GET", "/api/portal/invoices/{invoice_id}/pdf", f"{mine}/pdf")
        m(theo, "therapist", "GET", "/api/clients/{client_id}/invoices/{invoice_id}/pdf", f"{invoice}/pdf")
        refund = {"payment_id": paid["payment"]["id"], "amount_cents": 1000}
        m(
            admin,
            "administrator",
            "POST",
            "/api/clients/{client_id}/invoices/{invoice_id}/refunds",
            f"{invoice}/refunds",
            body=refund,
            expect=201,
        )
        m(person, "client", "DELETE", "/api/portal/saved-card", expect=204)
        plain = {"lines": lines["lines"]}  # the appointment is on the first invoice: billed once
        other = self._ok(theo.request("POST", invoices, plain), 201, "second draft")
        m(theo, "therapist", "POST", "/api/clients/{client_id}/invoices/{invoice_id}/void", f"{invoices}/{other['id']}/void")

    def factor_routes(self, p: Practice, results: dict[RouteKey, Measurement]) -> None:
        """Second factors: set-up, proof after the password (code, passkey, recovery code), passkey sign-in, removal,
        and the administrator's resets — for a new therapist, so no earlier tab's session is ended."""
        from chalicelib import clock
        from chalicelib.auth import totp
        from tests.soft_authenticator import SoftAuthenticator

        m = partial(self._measure, results)
        admin = p.admin
        email = f"fay@{p.slug}.test"
        invite = {"name": "Fay Factor", "email": email, "role": "therapist", "can_invite_clients": False}
        fay_id = self._ok(admin.request("POST", "/api/staff", invite), 201, "invite Fay")["id"]
        fay = self.browser()
        redeem = {"token": self.mailbox.token_for(email), "password": PASSWORD}
        self._ok(fay.request("POST", "/api/password-tokens/redeem", redeem), 200, "Fay")

        def code(steps: int = 0) -> str:
            return totp.code_at(secret, totp.step_at(clock.now()) + steps)

        m(fay, "therapist", "GET", "/api/account/second-factor")
        secret = self._ok(m(fay, "therapist", "POST", "/api/account/second-factor/authenticator"), 200, "begin")["secret"]
        m(fay, "therapist", "POST", "/api/account/second-factor/authenticator/confirm", body={"code": code()})
        device = SoftAuthenticator(origin="http://portal.bench")
        options = self._ok(m(fay, "therapist", "POST", "/api/account/passkeys/options"), 200, "registration options")["options"]
        registration = {"name": "Laptop", "credential": device.create(options)}
        passkey = self._ok(m(fay, "therapist", "POST", "/api/account/passkeys", body=registration, expect=201), 201, "register")
        one = f"/api/account/passkeys/{passkey['passkey']['id']}"
        m(fay, "therapist", "PATCH", "/api/account/passkeys/{passkey_id}", one, body={"name": "Work laptop"})
        codes = self._ok(m(fay, "therapist", "POST", "/api/account/recovery-codes", expect=201), 201, "codes")["recovery_codes"]

        def password_tab() -> Browser:
            tab = self.browser()
            self._ok(tab.request("POST", f"/api/orgs/{p.slug}/sign-in", {"email": email, "password": PASSWORD}), 200, "Fay signs in")
            return tab

        m(password_tab(), "therapist (password only)", "POST", "/api/session/second-factor/code", body={"code": code(1)})
        tab = password_tab()
        challenge = self._ok(m(tab, "therapist (password only)", "POST", "/api/session/second-factor/passkey/options"), 200, "opts")
        assertion = {"credential": device.get(challenge["options"])}
        m(tab, "therapist (password only)", "POST", "/api/session/second-factor/passkey", body=assertion)
        m(password_tab(), "therapist (password only)", "POST", "/api/session/second-factor/recovery-code", body={"code": codes[0]})
        anon, slug_path = self.browser(), f"/api/orgs/{p.slug}/passkey-sign-in"
        challenge = self._ok(m(anon, "anonymous", "POST", "/api/orgs/{slug}/passkey-sign-in/options", f"{slug_path}/options"), 200, "o")
        signed_in = {"credential": device.get(challenge["options"])}
        m(anon, "anonymous", "POST", "/api/orgs/{slug}/passkey-sign-in", slug_path, body=signed_in)
        m(anon, "therapist", "DELETE", "/api/account/passkeys/{passkey_id}", one, expect=204)
        m(anon, "therapist", "DELETE", "/api/account/second-factor/authenticator", expect=204)

        # The administrator proves a factor of their own first (a reset is a sensitive action).
        admin_secret = self._ok(admin.request("POST", "/api/account/second-factor/authenticator"), 200, "admin app")["secret"]
        confirm = {"code": totp.code_at(admin_secret, totp.step_at(clock.now()))}
        self._ok(admin.request("POST", "/api/account/second-factor/authenticator/confirm", confirm), 200, "admin app confirmed")
        staff_reset = f"/api/staff/{fay_id}/second-factor/reset"
        m(admin, "administrator", "POST", "/api/staff/{staff_id}/second-factor/reset", staff_reset, expect=204)
        client = self._ok(admin.request("POST", "/api/clients", {"name": "Rory Reset", "email": f"rory@{p.slug}.test"}), 201, "client")
        reset = f"/api/clients/{client['id']}/second-factor/reset"
        m(admin, "administrator", "POST", "/api/clients/{client_id}/second-factor/reset", reset, expect=204)


def _fake_stripe_gateway() -> str:
    """The payments adapter pointed at the embedded fake Stripe server (its webhook registration left out: the
    scenario delivers Stripe's event itself, signed with the practice's secret)."""
    from chalicelib.adapters.payments import PracticeKeys, StripeGateway, use_payments
    from scripts.fake_stripe import FakeStripe

    url = FakeStripe.shared().url

    class Quiet(StripeGateway):
        def announce_webhook(self, org_id: str, url: str, secret: str) -> None:
            return None

    def gateway(keys: PracticeKeys) -> StripeGateway:
        return Quiet(keys, url)

    use_payments(gateway)
    return url


def _intent_of(org_id: str, payment: dict[str, Any], stripe_url: str, secret_key: str) -> dict[str, Any]:
    from chalicelib.tables import keys
    from chalicelib.tables.payments import PaymentItem
    from scripts import fake_stripe

    stored = PaymentItem.get(keys.org_pk(org_id), keys.payment_sk(payment["client_id"], payment["invoice_id"], payment["id"]))
    return fake_stripe.intent(stripe_url, str(stored.intent_id), secret_key)


def staff_password_only(org_id: str, slug: str) -> None:
    from chalicelib.tables.keys import ORGANIZATION_SK, SLUG_SK, org_pk, slug_pk
    from chalicelib.tables.organizations import Organization, SlugClaim

    Organization(org_pk(org_id), ORGANIZATION_SK).update(actions=[Organization.staff_second_factor.set(False)], add_version_condition=False)
    SlugClaim(slug_pk(slug), SLUG_SK).update(actions=[SlugClaim.staff_second_factor.set(False)])


def bulk_load_clients(practice: Practice, count: int) -> Seeding:
    """Clients assigned to Theo, with their search entries: the therapist's list and search run over all of them."""
    from chalicelib import clock
    from chalicelib.services.clients import search_tokens
    from chalicelib.tables import keys as accounts
    from chalicelib.tables.accounts import Assignment, ClientRecord, SearchEntry

    started = time.perf_counter()
    now = clock.now()
    pk = accounts.org_pk(practice.org_id)
    items = 0
    with ClientRecord.batch_write() as batch:
        for i in range(count):
            client_id = f"cli_bulk{i:05d}"
            email = f"client{i:05d}@{practice.slug}.test"
            batch.save(
                ClientRecord(
                    pk, accounts.client_sk(client_id), org_id=practice.org_id, id=client_id, name=f"Client Number {i}",
                    email=email, time_zone="America/Chicago", therapist_ids={practice.therapist_id},
                    status="not_invited", created_at=now, version=1,
                )
            )  # fmt: skip
            items += 1
    with Assignment.batch_write() as assignments:
        for i in range(count):
            client_id = f"cli_bulk{i:05d}"
            assignments.save(Assignment(pk, accounts.assignment_sk(practice.therapist_id, client_id), client_id=client_id))
            items += 1
    with SearchEntry.batch_write() as entries:
        for i in range(count):
            client_id = f"cli_bulk{i:05d}"
            for token in search_tokens(f"Client Number {i}", None, f"client{i:05d}@{practice.slug}.test"):
                entries.save(SearchEntry(pk, accounts.search_sk(token, client_id), client_id=client_id))
                items += 1
    return Seeding(items=items, seconds=time.perf_counter() - started)


APPOINTMENTS = 500


def bulk_load_appointments(practice: Practice, count: int) -> Seeding:
    """Appointments in Theo's calendar from three weeks out (past the scenario's own bookings), every two hours:
    the slot listing reads them all, in one Query."""
    from chalicelib import clock
    from chalicelib.tables import keys
    from chalicelib.tables.scheduling import Appointment

    started = time.perf_counter()
    now = clock.now().replace(minute=0, second=0, microsecond=0)
    pk = keys.org_pk(practice.org_id)
    with Appointment.batch_write() as batch:
        for i in range(count):
            start = now + timedelta(days=21, hours=2 * i)
            appointment_id = f"apt_bulk{i:05d}"
            client_id = f"cli_bulk{i % 100:05d}"
            batch.save(
                Appointment(
                    pk, keys.appointment_sk(client_id, appointment_id), id=appointment_id, org_id=practice.org_id, client_id=client_id,
                    therapist_id=practice.therapist_id, client_name=f"Client Number {i % 100}", therapist_name="Theo Therapist",
                    service_id=None, service_name="Appointment", modality="in_person", start=start, end=start + timedelta(minutes=50),
                    local_day=start.date().isoformat(), time_zone="America/Chicago", status="confirmed", requested_by="staff",
                    created_by=practice.therapist_id, created_at=now, updated_at=now, version=1,
                    cal_pk=keys.calendar_key(practice.org_id, practice.therapist_id),
                    cal_sk=keys.calendar_sk(clock.iso(start), appointment_id),
                    prac_pk=keys.practice_calendar_key(practice.org_id, "booked"),
                    prac_sk=keys.calendar_sk(clock.iso(start), appointment_id),
                )
            )  # fmt: skip
    return Seeding(items=count, seconds=time.perf_counter() - started)


def bulk_load_worklist(practice: Practice, count: int) -> Seeding:
    """Every bulk client waits on the practice's and Theo's worklists (as if invited and not accepted yet), each with
    a form signed a month ago in both feeds: the dashboards' Queries run over all of them."""
    from chalicelib import clock
    from chalicelib.tables import keys
    from chalicelib.tables.worklist import PRACTICE_VIEWER, SignedEntry, WorkEntry

    started = time.perf_counter()
    now = clock.now()
    pk = keys.org_pk(practice.org_id)
    items = 0
    with WorkEntry.batch_write() as batch:
        for i in range(count):
            client_id = f"cli_bulk{i:05d}"
            since = clock.iso(now - timedelta(days=30, seconds=i))
            for viewer in (PRACTICE_VIEWER, practice.therapist_id):
                batch.save(WorkEntry(pk, keys.work_sk(viewer, client_id), client_id=client_id,
                                     viewer_key=keys.viewer_key(practice.org_id, viewer), since=since))  # fmt: skip
                items += 1
    with SignedEntry.batch_write() as signed:
        for i in range(count):
            client_id, at = f"cli_bulk{i:05d}", now - timedelta(days=30, seconds=i)
            for viewer in (PRACTICE_VIEWER, practice.therapist_id):
                signed.save(SignedEntry(pk, keys.signed_sk(viewer, clock.iso(at), f"req_bulk{i:05d}"), client_id=client_id,
                                        request_id=f"req_bulk{i:05d}", title="Notice of Privacy Practices", signed_at=at,
                                        expires=at + timedelta(days=30)))  # fmt: skip
                items += 1
    return Seeding(items=items, seconds=time.perf_counter() - started)


def bulk_load(practice: Practice, count: int) -> Seeding:
    """Staff, their email claims and one audit event each (the invitation they would have had): BatchWriteItem."""
    from chalicelib import clock
    from chalicelib.tables import keys as accounts
    from chalicelib.tables.accounts import EmailClaim, StaffMember
    from chalicelib.tables.audit import AuditEvent
    from chalicelib.tables.keys import actor_key, org_pk
    from chalicelib.tables.organizations import Organization

    started = time.perf_counter()
    now = clock.now()
    org_id, pk = practice.org_id, accounts.org_pk(practice.org_id)
    people = [(f"stf_bulk{i:05d}", f"staff{i:05d}@{practice.slug}.test") for i in range(count)]
    with StaffMember.batch_write() as staff_batch:
        for i, (staff_id, email) in enumerate(people):
            staff_batch.save(
                StaffMember(
                    pk,
                    accounts.staff_sk(staff_id),
                    org_id=org_id,
                    id=staff_id,
                    name=f"Staff Member {i}",
                    email=email,
                    email_key=accounts.email_key(org_id, email),
                    role="therapist",
                    can_invite_clients=False,
                    status="invited",
                    subscribed=False,
                    invitation_delivery="sent",
                    created_at=now,
                    version=1,
                )
            )
    with EmailClaim.batch_write() as claim_batch:
        for staff_id, email in people:
            claim_batch.save(EmailClaim(pk, accounts.email_sk(email), account_id=staff_id, kind="staff"))
    with AuditEvent.batch_write() as audit_batch:
        for i, (staff_id, _) in enumerate(people):
            at = clock.iso(now - timedelta(seconds=count - i))
            event_id = f"evt_bulk{i:05d}"
            audit_batch.save(
                AuditEvent(
                    pk,
                    f"{at}#{event_id}",
                    id=event_id,
                    org_id=org_id,
                    at=at,
                    actor_id=practice.admin_id,
                    actor_key=actor_key(org_id, practice.admin_id),
                    actor_role="administrator",
                    resource=f"staff/{staff_id}",
                    action="staff.invite",
                    outcome="success",
                    ip="127.0.0.1",
                    user_agent="bench",
                    request_id="bench-seed",
                )
            )
    org = Organization.get(org_pk(org_id), "ORG")
    org.update(actions=[Organization.staff_count.add(count)])
    return Seeding(items=3 * count, seconds=time.perf_counter() - started)


def counter_check(counter: CallCounter) -> list[str]:
    """Model methods and chalicelib.tables.base.transaction() must both be seen; returns the calls seen."""
    from pynamodb.exceptions import DoesNotExist

    from chalicelib import clock
    from chalicelib.tables.base import transaction
    from chalicelib.tables.organizations import Organization
    from chalicelib.tables.throttles import Throttle

    counter.take()
    with suppress(DoesNotExist):
        Organization.get("ORG#bench-probe", "ORG")
    with transaction() as tx:
        now = clock.now()
        tx.save(Throttle("BENCH#probe", failures=0, window_started_at=now, expires=now + timedelta(minutes=1)))
    Throttle("BENCH#probe").delete()
    seen = counter.take()
    if seen != ["GetItem", "TransactWriteItems", "DeleteItem"]:
        raise SystemExit(f"bench: the DynamoDB call counter is blind (saw {seen}); its figures would be wrong")
    return seen


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _flags(small: Measurement | None, large: Measurement | None) -> list[str]:
    flags: list[str] = []
    for m in (small, large):
        if m is not None and m.status != m.expected:
            flags.append(f"HTTP {m.status}")
    measured = [m for m in (small, large) if m is not None]
    if len(measured) < 2:
        flags.append("not measured")
    if any(m.count > MAX_CALLS for m in measured):
        flags.append(f">{MAX_CALLS} calls")
    if any(m.scans for m in measured):
        flags.append("SCAN")
    if len(measured) == 2 and measured[0].count != measured[1].count:
        flags.append("differs")
    return list(dict.fromkeys(flags))


def _verdicts(
    route_map: tuple[tuple[str, str, str], ...],
    small: dict[RouteKey, Measurement],
    large: dict[RouteKey, Measurement],
    large_size: int,
) -> list[Verdict]:
    keys = [(method, path) for method, path, _ in route_map]
    missing = [f"{m} {p}" for m, p in keys if (m, p) not in small or (m, p) not in large]
    failed = [f"{m} {p}" for m, p in keys for r in (small, large) if (m, p) in r and r[(m, p)].status != r[(m, p)].expected]
    pairs = [(k, small[k], large[k]) for k in keys if k in small and k in large]
    over = [f"{k[0]} {k[1]} ({s.count} and {lg.count} calls)" for k, s, lg in pairs if max(s.count, lg.count) > MAX_CALLS]
    scans = [f"{k[0]} {k[1]}" for k, s, lg in pairs if s.scans or lg.scans]
    differ = [f"{k[0]} {k[1]} ({s.count} vs {lg.count})" for k, s, lg in pairs if s.count != lg.count]
    incomplete = sorted(set(missing + failed))
    note = f"; {len(incomplete)} of {len(keys)} routes not measured or failed (see flags)" if incomplete else ""

    def verdict(budget: str, offenders: list[str]) -> Verdict:
        if offenders:
            return Verdict(budget, False, ", ".join(offenders) + note)
        if incomplete:
            return Verdict(budget, None, "no offender among the measured routes" + note)
        return Verdict(budget, True, f"all {len(keys)} routes")

    return [
        verdict(f"DynamoDB: <= {MAX_CALLS} calls per route", over),
        verdict("DynamoDB: no Scan", scans),
        verdict(f"DynamoDB: same calls for 10 and {large_size:,} staff", differ),
    ]


def measure(root: Path, large_size: int) -> tuple[str, list[Verdict]]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "POWERTOOLS_DEV": "false",
        "POWERTOOLS_LOG_LEVEL": "WARNING",  # one INFO line per request would bury the tables
    }.items():
        os.environ.setdefault(name, value)
    counter = CallCounter()
    counter.install()  # before any table is used, so that every PynamoDB session is hooked

    from scripts.emulator import Emulator

    emulator = Emulator().start()  # the same emulator as `make run` and the tests
    try:
        return _run(root, emulator.url, counter, large_size)
    finally:
        emulator.stop()


def _run(root: Path, moto_url: str, counter: CallCounter, large_size: int) -> tuple[str, list[Verdict]]:
    from chalice.test import Client

    from app import app
    from chalicelib.config import Settings, use_settings
    from chalicelib.routes import ROUTE_MAP
    from chalicelib.tables.registry import bind_tables
    from scripts.provision import provision

    settings = Settings(stage="test", aws_endpoint_url=moto_url, table_prefix="portal-bench",
                        bucket_name="portal-bench-documents", public_base_url="http://portal.bench")  # fmt: skip
    use_settings(settings)
    bind_tables(settings)
    started = time.perf_counter()
    provision(settings)
    provisioned = time.perf_counter() - started
    seen = counter_check(counter)
    lines = [
        heading("2. DynamoDB calls per route"),
        f"moto ThreadedMotoServer at {moto_url}; tables provisioned in {provisioned:.1f} s",
        f"counter self-check: Model.get, transaction(), Model.delete -> {', '.join(seen)}: ok",
    ]
    small_label, large_label = "10 staff/clients", f"{large_size:,} staff/clients"
    small_results: dict[RouteKey, Measurement] = {}
    large_results: dict[RouteKey, Measurement] = {}
    with Client(app) as client:
        bench = Bench(client, Mailbox(moto_url), counter)
        try:
            warm, _ = bench.create_practice("warmup", 3)
            bench.scenario(warm, {})  # first call of every route: imports handler modules, fills caches; discarded
            small, _ = bench.create_practice("small", 10)
            large, seeding = bench.create_practice("large", large_size)
            if seeding is not None:
                lines.append(
                    f"'{large.label}': 3 staff through the API, {large_size - 3:,} bulk-loaded, {large_size:,} clients "
                    f"assigned to one therapist and {APPOINTMENTS} appointments in his calendar: {seeding.items:,} items "
                    f"(staff, email claims, audit events, clients, assignments, search entries, appointments) by "
                    f"BatchWriteItem in {seeding.seconds:.1f} s"
                )
            bench.scenario(small, small_results)
            bench.scenario(large, large_results)
        except (ScenarioError, LookupError, KeyError, TypeError) as error:
            lines.append(f"SCENARIO STOPPED, the rows after it are not measured: {error!r}")
    lines += [
        "Each call is at least the second of its route in this process (a warm-up practice called every route first).",
        "",
        _route_table(ROUTE_MAP, small_results, large_results, small_label, large_label),
    ]
    return "\n".join(lines), _verdicts(ROUTE_MAP, small_results, large_results, large_size)


def _route_table(
    route_map: tuple[tuple[str, str, str], ...],
    small: dict[RouteKey, Measurement],
    large: dict[RouteKey, Measurement],
    small_label: str,
    large_label: str,
) -> str:
    rows: list[list[str]] = []
    for method, path, _ in route_map:
        s, lg = small.get((method, path)), large.get((method, path))
        either = lg or s
        principal = either.principal if either else "-"
        scans = max((m.scans for m in (s, lg) if m is not None), default=0)
        rows.append(
            [
                method,
                path,
                principal,
                str(s.count) if s else "-",
                str(lg.count) if lg else "-",
                str(scans),
                lg.summary() if lg else "-",
                ", ".join(_flags(s, lg)),
            ]
        )
    headers = ["method", "path", "as", small_label, large_label, "scans", f"operations ({large_label})", "flags"]
    return table(headers, rows, right=(3, 4, 5))
