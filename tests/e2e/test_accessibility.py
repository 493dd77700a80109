"""Every screen, staff and client, at desktop and phone sizes: a real axe-core run (WCAG 2.2 A/AA) finds nothing, no
page title names a client, and nothing scrolls sideways at 375 px (axe is injected with the page's CSP bypassed — the
app's own scripts stay as strict). The dashboards are photographed for people to look at (test-artifacts/screenshots/,
docs/testing.md).

Each person signs in once (the administrator with the demo authenticator's code); the phone walk reuses the
desktop sign-in. axe-core comes from the frontend's devDependencies (``npm ci``), injected into each page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from scripts.seed import ADMINISTRATOR
from tests.e2e.test_foundation import sign_in

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
PEOPLE = {"administrator": ADMINISTRATOR.email, "therapist": "therapist@demo.test", "client": "jordan@demo.test"}

# A screen: its address under /o/demo/app (ids filled in from the person's own API answers) and, optionally, what
# to do on it before the check (open a step of a flow).
Ids = dict[str, str]


@dataclass(frozen=True)
class Screen:
    name: str
    path: Callable[[Ids], str]
    then: Callable[[Any], None] | None = None


def app(section: str) -> Callable[[Ids], str]:
    return lambda ids: f"/o/demo/app/{section.format(**ids)}".rstrip("/")


def _set_up_authenticator(page: Any) -> None:
    page.get_by_role("button", name="Set up an authenticator app").click()
    expect(page.get_by_label("Code from your authenticator app")).to_be_visible()


STAFF_SCREENS = [
    Screen("home (dashboard)", app("")),
    Screen("clients", app("clients")),
    Screen("a client", app("clients/{jordan}")),
    Screen("payments", app("payments")),
    Screen("account and second factor", app("account")),
]
SCREENS: dict[str, list[Screen]] = {
    "administrator": [
        *STAFF_SCREENS,
        Screen("intake forms", app("forms")),
        Screen("form builder", app("forms/{form}")),
        Screen("portal settings", app("settings")),
        Screen("staff", app("staff")),
        Screen("subscription", app("subscription")),
        Screen("audit log", app("audit")),
        Screen("mass message", app("mass-message")),
        Screen("messages", app("messages")),
    ],
    "therapist": [
        *STAFF_SCREENS,
        Screen("schedule", app("schedule")),
        Screen("booking settings", app("booking-settings")),
        Screen("messages", app("messages")),
        Screen("a conversation", app("messages/{jordan}")),
        Screen("after-hours auto-reply", app("auto-reply")),
        Screen("setting up an authenticator app", app("account"), _set_up_authenticator),
    ],
    "client": [
        Screen("home", app("")),
        Screen("a form to fill in", app("forms/{request}")),
        Screen("book a session", app("book")),
        Screen("appointments", app("appointments")),
        Screen("messages", app("messages")),
        Screen("invoices", app("invoices")),
        Screen("an invoice", app("invoices/{invoice}")),
        Screen("account", app("account")),
    ],
}
PUBLIC = [
    Screen("landing page", lambda ids: "/"),
    Screen("sign-in page", lambda ids: "/o/demo"),
    Screen("forgotten password", lambda ids: "/o/demo/forgot"),
    Screen("sign-up page", lambda ids: "/o/demo/sign-up"),
    Screen("set-password link that can't be used", lambda ids: "/o/demo/set-password#token=not-a-token"),
    Screen("page not found", lambda ids: "/nowhere"),
]


# No page title may name a client (PHI in browser history, tab strips and shared screens).
DEMO_CLIENT_NAMES = ("Jordan", "Sam Rivera", "Alex Kim", "Casey")


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)

    def check(self, page: Any, where: str, *, phone: bool) -> None:
        """axe's WCAG 2.2 A/AA rules on the page as it stands; on a phone, no sideways scroll either."""
        settle(page)
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE))
        result = page.evaluate("(tags) => axe.run(document, { runOnly: { type: 'tag', values: tags } })", WCAG)
        for violation in result["violations"]:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
            self.problems.append(f"{where}: {violation['id']} ({violation['impact']}) {violation['help']} — {targets}")
        title = page.title()
        if any(name in title for name in DEMO_CLIENT_NAMES):
            self.problems.append(f"{where}: a client's name in the page title ({title!r}): titles reach history and tabs")
        if phone:
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > SIZES["phone"]["width"]:
                self.problems.append(f"{where}: scrolls sideways ({width} px wide at 375 px)")


def settle(page: Any) -> None:
    """The screen has loaded what it shows: the network is quiet and nothing says "Loading…"."""
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("Loading…")).to_have_count(0, timeout=10_000)


# ------------------------------------------------------------------------------------------------- people


@pytest.fixture(scope="module")
def signed_in(chromium: Any, base_url: str) -> Iterator[dict[str, Any]]:
    """Each person's signed-in browser state (cookies), signed in once for both sizes."""
    states: dict[str, Any] = {}
    for role, email in PEOPLE.items():
        context = chromium.new_context(base_url=base_url, viewport=SIZES["desktop"])
        context.set_default_timeout(15_000)
        page = context.new_page()
        sign_in(page, email)
        states[role] = context.storage_state()
        context.close()
    yield states


def ids_of(page: Any, role: str) -> Ids:
    """The records the screens open, from the person's own API answers."""
    if role == "client":
        requests = page.request.get("/api/portal/form-requests").json()["items"]
        invoices = page.request.get("/api/portal/invoices").json()["items"]
        return {"request": next(r["id"] for r in requests if r["status"] != "completed"), "invoice": invoices[0]["id"]}
    clients = page.request.get("/api/clients").json()["items"]
    found = {"jordan": next(c["id"] for c in clients if c["name"] == "Jordan Lee")}
    if role == "administrator":
        found["form"] = next(f["id"] for f in page.request.get("/api/forms").json()["items"] if f["standard"])
    return found


def seat(page: Any, staff_id: str, *, on: bool) -> None:
    """Give (or take back) a portal seat, as the Subscription page does, so seat screens open for the administrator."""
    csrf = page.request.get("/api/session").json()["csrf_token"]
    answer = page.request.fetch(f"/api/subscription/seats/{staff_id}", method="PUT" if on else "DELETE", headers={"x-csrf-token": csrf})
    assert answer.status == 200, answer.text()


# -------------------------------------------------------------------------------------------------- walks


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("role", list(SCREENS))
def test_every_screen_passes_axe_and_fits_a_phone(chromium: Any, base_url: str, signed_in: dict[str, Any], role: str, size: str) -> None:
    # Given the person signed in, at this size
    context = chromium.new_context(
        base_url=base_url, viewport=SIZES[size], storage_state=signed_in[role], is_mobile=size == "phone", bypass_csp=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/o/demo/app")
    settle(page)
    ids = ids_of(page, role)
    me = page.request.get("/api/session").json()["principal"]["id"]
    if role == "administrator":
        seat(page, me, on=True)  # the mass-message and messaging screens need one; taken back below
    findings = Findings()
    try:
        # When they open each of their screens
        for screen in SCREENS[role]:
            page.goto(screen.path(ids))
            if screen.then:
                settle(page)
                screen.then(page)
            findings.check(page, f"{role}, {size}, {screen.name}", phone=size == "phone")
            if screen.name.startswith("home"):
                photograph(page, role, size)
    finally:
        if role == "administrator":
            seat(page, me, on=False)
        context.close()

    # Then axe finds no WCAG 2.2 A/AA violation anywhere, and nothing scrolls sideways on the phone
    assert findings.problems == [], "\n".join(findings.problems)


@pytest.mark.parametrize("size", list(SIZES))
def test_every_public_screen_and_the_second_factor_step_pass_axe(chromium: Any, base_url: str, size: str) -> None:
    context = chromium.new_context(base_url=base_url, viewport=SIZES[size], is_mobile=size == "phone", bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    findings = Findings()
    try:
        for screen in PUBLIC:
            page.goto(screen.path({}))
            findings.check(page, f"public, {size}, {screen.name}", phone=size == "phone")
        # The administrator's sign-in stops at "Confirm it's you" (their authenticator's code) — checked as it stands
        page.goto("/o/demo")
        page.get_by_label("Email").fill(ADMINISTRATOR.email)
        page.get_by_label("Password").fill("demo-portal-2026")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Confirm it's you")).to_be_visible()
        findings.check(page, f"public, {size}, second factor step", phone=size == "phone")
    finally:
        context.close()
    assert findings.problems == [], "\n".join(findings.problems)


def photograph(page: Any, role: str, size: str) -> None:
    """The dashboard as people see it, kept as an artefact (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = SIZES[size]["width"]
    page.screenshot(path=str(SCREENSHOTS / f"{role}-dashboard-{width}.png"), full_page=True)
