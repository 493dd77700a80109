"""Matrix examples: system, organizations, sessions and links, staff, subscription, audit."""

from __future__ import annotations

from tests.api.matrix.world import SIGN_IN_EMAIL, Call, Example, World
from tests.conftest import CLIENT_PASSWORD, PASSWORD

NEW_PASSWORD = "a long enough passphrase"


def _staff(world: World, *, seat: bool = False, deactivated: bool = False) -> str:
    tag = world.unique()
    created = world.admin().post("/api/staff", {"name": f"Staff {tag}", "email": f"{tag}@harbor.test", "role": "therapist"})
    assert created.status == 201, created.json
    staff_id = str(created.json["id"])
    if seat:
        assert world.admin().put(f"/api/subscription/seats/{staff_id}").status == 200
    if deactivated:
        assert world.admin().post(f"/api/staff/{staff_id}/deactivate").status == 200
    return staff_id


def _live_token(world: World) -> str:
    tag = world.unique()
    email = f"{tag}@harbor.test"
    assert world.admin().post("/api/staff", {"name": f"Staff {tag}", "email": email, "role": "therapist"}).status == 201
    return world.practice.mailbox.token_for(email)


def _staff_version(world: World, staff_id: str) -> int:
    from tests.conftest import stored_staff

    return int(stored_staff(world.practice.org_id, staff_id).version)


def _password_of(caller: str) -> str:
    return CLIENT_PASSWORD if caller in {"client", "other client"} else PASSWORD


def _patch_staff(world: World, caller: str) -> Call:
    staff_id = _staff(world)
    return Call({"staff_id": staff_id}, {"version": _staff_version(world, staff_id), "name": "Renamed Person"})


EXAMPLES: dict[tuple[str, str], Example] = {
    ("GET", "/api/health"): lambda w, c: Call(),
    ("GET", "/api/openapi.json"): lambda w, c: Call(),
    ("POST", "/api/organizations"): lambda w, c: Call(
        body={
            "name": "New Practice",
            "slug": f"new-{w.unique()}",
            "time_zone": "UTC",
            "admin_name": "New Admin",
            "admin_email": f"{w.unique()}@new.test",
        }
    ),
    ("GET", "/api/orgs/{slug}"): lambda w, c: Call({"slug": w.practice.slug}),
    ("GET", "/api/organization/settings"): lambda w, c: Call(),
    ("PATCH", "/api/organization/settings"): lambda w, c: Call(
        body={
            "version": w.settings_version() if c != "other practice's administrator" else _other_version(w),
            "contact_line": f"Call {w.unique()}",
        }
    ),
    ("POST", "/api/orgs/{slug}/sign-in"): lambda w, c: Call({"slug": w.practice.slug}, {"email": SIGN_IN_EMAIL, "password": PASSWORD}),
    ("POST", "/api/orgs/{slug}/password-reset"): lambda w, c: Call({"slug": w.practice.slug}, {"email": "theo@harbor.test"}),
    ("POST", "/api/password-tokens/inspect"): lambda w, c: Call(body={"token": _live_token(w)}),
    ("POST", "/api/password-tokens/redeem"): lambda w, c: Call(body={"token": _live_token(w), "password": NEW_PASSWORD}),
    ("GET", "/api/session"): lambda w, c: Call(),
    ("POST", "/api/session/keepalive"): lambda w, c: Call(),
    ("DELETE", "/api/session"): lambda w, c: Call(),
    ("POST", "/api/account/password"): lambda w, c: Call(
        body={"current_password": _password_of(c), "new_password": f"{NEW_PASSWORD} {w.unique()}"}
    ),
    ("GET", "/api/staff"): lambda w, c: Call(),
    ("POST", "/api/staff"): lambda w, c: Call(body={"name": "New Person", "email": f"{w.unique()}@harbor.test", "role": "therapist"}),
    ("GET", "/api/staff/{staff_id}"): lambda w, c: Call({"staff_id": w.unassigned_id}),
    ("PATCH", "/api/staff/{staff_id}"): _patch_staff,
    ("POST", "/api/staff/{staff_id}/deactivate"): lambda w, c: Call({"staff_id": _staff(w)}),
    ("POST", "/api/staff/{staff_id}/reactivate"): lambda w, c: Call({"staff_id": _staff(w, deactivated=True)}),
    ("POST", "/api/staff/{staff_id}/invitation"): lambda w, c: Call({"staff_id": _staff(w)}),
    ("GET", "/api/subscription"): lambda w, c: Call(),
    ("PUT", "/api/subscription/seats/{staff_id}"): lambda w, c: Call({"staff_id": _staff(w)}),
    ("DELETE", "/api/subscription/seats/{staff_id}"): lambda w, c: Call({"staff_id": _staff(w, seat=True)}),
    ("GET", "/api/entitlements"): lambda w, c: Call(),
    ("GET", "/api/audit"): lambda w, c: Call(),
    ("GET", "/api/audit/export"): lambda w, c: Call(),
}


def _other_version(world: World) -> int:
    from tests.conftest import stored_organization

    return int(stored_organization(world.other.org_id).version or 0)
