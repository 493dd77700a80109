from __future__ import annotations

from tests.conftest import Practice


def test_administrator_switches_messaging_off(practice: Practice) -> None:
    # Given a practice whose administrator is signed in
    settings = practice.admin.get("/api/organization/settings").json
    assert settings["features"]["messaging"] is True

    # When they switch secure messaging off
    response = practice.admin.patch("/api/organization/settings", {"version": settings["version"], "features": {"messaging": False}})

    # Then the change is saved and the public profile reflects it
    assert response.status == 200, response.json
    assert response.json["features"]["messaging"] is False
    public = practice.new_browser().get(f"/api/orgs/{practice.slug}").json
    assert public["features"]["messaging"] is False
