"""Shared set-up for the scheduling API tests: a practice whose therapist Theo (holding a seat) takes bookings
online, and an active portal client assigned to him."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.conftest import CLIENT_PASSWORD, PASSWORD, Browser, Practice, add_client, open_portal_account, sign_in

NEW_YORK = ZoneInfo("America/New_York")


def settings_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "version": 0,
        "booking_enabled": True,
        "time_zone": "America/New_York",
        "services": [{"name": "Individual session", "duration_minutes": 50, "modality": "telehealth", "price_cents": 15000}],
        "weekly": [{"weekday": day, "start": "09:00", "end": "17:00"} for day in range(5)],
        "overrides": [],
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 10,
        "interval_minutes": 60,
        "min_notice_hours": 24,
        "horizon_days": 30,
        "daily_max": None,
        "approval_required": True,
        "cancel_window_hours": 24,
        "late_cancel_policy": "Cancellations within 24 hours are charged in full.",
        "new_clients_allowed": True,
        "reminder_hours": 24,
    }
    body.update(changes)
    return body


@dataclass
class Booking:
    practice: Practice
    theo: Browser
    theo_id: str
    client: Browser
    client_id: str
    service_id: str

    def add_client(self, name: str, email: str, time_zone: str | None = None) -> tuple[Browser, str]:
        extra = {"time_zone": time_zone} if time_zone else {}
        client_id = add_client(self.practice.admin, name, email=email, therapist_ids=[self.theo_id], **extra)["id"]
        return open_portal_account(self.practice, self.practice.admin, client_id, email), client_id

    def change_settings(self, **changes: Any) -> Any:
        """Theo saves his current settings with a few fields changed (his services keep their ids)."""
        current = self.theo.get("/api/scheduling/settings").json
        response = self.theo.put("/api/scheduling/settings", {**current, **changes})
        assert response.status == 200, response.json
        return response.json

    def later(self, by: timedelta) -> None:
        """Move the clock on; Theo and Jordan sign in again (their sessions would have idled out)."""
        from chalicelib import clock

        clock.advance(by)
        self.theo, _ = sign_in(self.practice.client, self.practice.slug, "theo@harbor.test", PASSWORD)
        self.client, _ = sign_in(self.practice.client, self.practice.slug, "jordan@example.test", CLIENT_PASSWORD)

    def slots(self, browser: Browser | None = None, **query: Any) -> Any:
        params = {"therapist_id": self.theo_id, "service_id": self.service_id, **query}
        text = "&".join(f"{k}={v}" for k, v in params.items())
        response = (browser or self.client).get(f"/api/portal/slots?{text}")
        assert response.status == 200, response.json
        return response.json

    def book(self, start: str, browser: Browser | None = None) -> Any:
        return (browser or self.client).post(
            "/api/portal/appointments", {"therapist_id": self.theo_id, "service_id": self.service_id, "start": start}
        )


def booking_world(practice: Practice, **settings: Any) -> Booking:
    theo, theo_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    assert practice.admin.put(f"/api/subscription/seats/{theo_id}").status == 200
    saved = theo.put("/api/scheduling/settings", settings_body(**settings))
    assert saved.status == 200, saved.json
    client_id = add_client(
        practice.admin, "Jordan Lee", email="jordan@example.test", therapist_ids=[theo_id], time_zone="America/New_York"
    )["id"]
    client = open_portal_account(practice, practice.admin, client_id, "jordan@example.test")
    return Booking(practice, theo, theo_id, client, client_id, saved.json["services"][0]["id"])


def ny(text: str) -> str:
    """A New York wall-clock time as the UTC instant the API speaks."""
    return datetime.fromisoformat(text).replace(tzinfo=NEW_YORK).astimezone(UTC).isoformat().replace("+00:00", "Z")


def claims_of(org_id: str) -> list[Any]:
    """The time claims stored for an organization: block claims, and hours held whole or shared."""
    from chalicelib.tables import keys
    from chalicelib.tables.scheduling import BlockClaim, HourClaim

    pk = keys.org_pk(org_id)
    blocks = list(BlockClaim.query(pk, BlockClaim.sk.startswith("SLOT#"), consistent_read=True))
    hours = [h for h in HourClaim.query(pk, HourClaim.sk.startswith("HOUR#"), consistent_read=True) if h.held_by or h.shared]
    return [*blocks, *hours]
