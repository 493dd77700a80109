"""Matrix examples: booking settings, the calendar and feed, a client's appointments (staff side), booking from the
portal, the waitlist and its offers. The assigned therapist takes bookings all day, every day; staff make their
appointments a year ahead, so they never meet the clients' bookings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.api.matrix.world import Call, Example, World

STAFF_CALLERS = {"assigned therapist", "unassigned therapist", "administrator", "other practice's administrator"}


def settings_body(version: int) -> dict[str, Any]:
    return {
        "version": version,
        "booking_enabled": True,
        "time_zone": "America/Chicago",
        "services": [{"id": "svc_matrix", "name": "Session", "duration_minutes": 30, "modality": "telehealth"}],
        "weekly": [{"weekday": day, "start": "00:00", "end": "00:00", "next_day": True} for day in range(7)],
        "overrides": [],
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "interval_minutes": 30,
        "min_notice_hours": 0,
        "horizon_days": 60,
        "daily_max": None,
        "approval_required": True,
        "cancel_window_hours": 0,
        "late_cancel_policy": "",
        "new_clients_allowed": True,
        "reminder_hours": 24,
    }


def _caller_browser(world: World, caller: str) -> Any:
    return world.browser(caller if caller in STAFF_CALLERS else "assigned therapist")


def _settings(world: World, caller: str) -> Call:
    browser = _caller_browser(world, caller)
    return Call(body=settings_body(int(browser.get("/api/scheduling/settings").json["version"])))


def ready(world: World) -> None:
    """The assigned therapist takes bookings (saved once)."""
    theo = world.browser("assigned therapist")
    if theo.get("/api/scheduling/settings").json["version"] == 0:
        saved = theo.put("/api/scheduling/settings", settings_body(0))
        assert saved.status == 200, saved.json


def _free(world: World, who: str = "client") -> str:
    ready(world)
    query = f"therapist_id={world.therapist_id}&service_id=svc_matrix&days=31"
    page = world.browser(who).get(f"/api/portal/slots?{query}")
    assert page.status == 200 and page.json["starts"], page.json
    return str(page.json["starts"][0])


def _pending(world: World, who: str = "client") -> str:
    booked = world.browser(who).post(
        "/api/portal/appointments", {"therapist_id": world.therapist_id, "service_id": "svc_matrix", "start": _free(world, who)}
    )
    assert booked.status == 201, booked.json
    return str(booked.json["id"])


def _later(world: World) -> str:
    """A fresh time a year ahead, on the hour, for staff-made appointments."""
    n = int(world.unique().removeprefix("n"))
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=365)
    return (base + timedelta(hours=n)).isoformat()


def _staff_made(world: World) -> str:
    made = world.browser("assigned therapist").post(
        f"/api/clients/{world.client_id}/appointments", {"start": _later(world), "duration_minutes": 30}
    )
    assert made.status == 201, made.json
    return str(made.json["id"])


def _on(world: World, appointment_id: str) -> dict[str, str]:
    return {"client_id": world.client_id, "appointment_id": appointment_id}


def _join(world: World, caller: str) -> Call:
    ready(world)
    if caller in {"client", "other client"}:
        world.browser(caller).get("/api/portal/waitlist")  # nothing to prepare beyond leaving a place held earlier
        for entry in world.browser(caller).get("/api/portal/waitlist").json["entries"]:
            world.browser(caller).delete(f"/api/portal/waitlist/{entry['id']}")
    return Call(body={"therapist_id": world.therapist_id, "service_id": "svc_matrix", "time_of_day": "any"})


def _entry(world: World, caller: str) -> Call:
    ready(world)
    client = world.browser("client")
    client.post("/api/portal/waitlist", {"therapist_id": world.therapist_id, "service_id": "svc_matrix"})
    entries = client.get("/api/portal/waitlist").json["entries"]
    return Call({"entry_id": entries[0]["id"]})


def _offer(world: World, caller: str) -> Call:
    """The client waits; the other client books and cancels; the freed time is offered to the client."""
    _entry(world, caller)
    freed = _pending(world, "other client")
    assert world.browser("other client").post(f"/api/portal/appointments/{freed}/cancel", {}).status == 200
    offers = [o for o in world.browser("client").get("/api/portal/waitlist").json["offers"] if o["status"] == "open"]
    assert offers, "no offer was made"
    return Call({"offer_id": offers[-1]["id"]})


def _slots(world: World, caller: str) -> Call:
    ready(world)
    return Call(query=f"therapist_id={world.therapist_id}&service_id=svc_matrix")


def _feed_token(world: World, caller: str) -> Call:
    issued = world.browser("assigned therapist").post("/api/scheduling/feed", {"include_client_names": False})
    assert issued.status == 201, issued.json
    return Call(query="token=" + issued.json["url"].split("token=", 1)[1])


def _feed_to_revoke(world: World, caller: str) -> Call:
    _caller_browser(world, caller).post("/api/scheduling/feed", {})
    return Call()


EXAMPLES: dict[tuple[str, str], Example] = {
    ("GET", "/api/scheduling/settings"): lambda w, c: Call(),
    ("PUT", "/api/scheduling/settings"): _settings,
    ("GET", "/api/scheduling/calendar"): lambda w, c: Call(query="days=7"),
    ("GET", "/api/scheduling/requests"): lambda w, c: Call(),
    ("GET", "/api/scheduling/feed"): lambda w, c: Call(),
    ("POST", "/api/scheduling/feed"): lambda w, c: Call(body={"include_client_names": True}),
    ("DELETE", "/api/scheduling/feed"): _feed_to_revoke,
    ("GET", "/api/calendar-feed"): _feed_token,
    ("GET", "/api/clients/{client_id}/appointments"): lambda w, c: Call({"client_id": w.client_id}),
    ("POST", "/api/clients/{client_id}/appointments"): lambda w, c: Call(
        {"client_id": w.client_id}, {"start": _later(w), "duration_minutes": 30}
    ),
    ("POST", "/api/clients/{client_id}/appointments/{appointment_id}/confirm"): lambda w, c: Call(_on(w, _pending(w))),
    ("POST", "/api/clients/{client_id}/appointments/{appointment_id}/decline"): lambda w, c: Call(
        _on(w, _pending(w)), {"reason": "That week is full."}
    ),
    ("POST", "/api/clients/{client_id}/appointments/{appointment_id}/cancel"): lambda w, c: Call(_on(w, _pending(w)), {}),
    ("POST", "/api/clients/{client_id}/appointments/{appointment_id}/move"): lambda w, c: Call(
        _on(w, _staff_made(w)), {"start": _later(w)}
    ),
    ("POST", "/api/clients/{client_id}/appointments/{appointment_id}/outcome"): lambda w, c: Call(
        _on(w, _staff_made(w)), {"outcome": "late_cancelled"}
    ),
    ("GET", "/api/portal/scheduling"): lambda w, c: Call(),
    ("GET", "/api/portal/slots"): _slots,
    ("GET", "/api/portal/appointments"): lambda w, c: Call(),
    ("POST", "/api/portal/appointments"): lambda w, c: Call(
        body={"therapist_id": w.therapist_id, "service_id": "svc_matrix", "start": _free(w, c if c == "other client" else "client")}
    ),
    ("POST", "/api/portal/appointments/{appointment_id}/cancel"): lambda w, c: Call({"appointment_id": _pending(w)}, {}),
    ("POST", "/api/portal/appointments/{appointment_id}/reschedule"): lambda w, c: Call(
        {"appointment_id": _pending(w)}, {"start": _free(w)}
    ),
    ("GET", "/api/portal/appointments/{appointment_id}/calendar"): lambda w, c: Call({"appointment_id": _pending(w)}),
    ("GET", "/api/portal/waitlist"): lambda w, c: Call(),
    ("POST", "/api/portal/waitlist"): _join,
    ("DELETE", "/api/portal/waitlist/{entry_id}"): _entry,
    ("POST", "/api/portal/waitlist-offers/{offer_id}/claim"): _offer,
}
