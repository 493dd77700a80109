"""The world the matrix walks: two practices and every kind of caller, built through the API and the services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import (
    CLIENT_PASSWORD,
    PASSWORD,
    Browser,
    Practice,
    add_client,
    invite,
    stored_client,
    stored_organization,
)


@dataclass
class Call:
    """One prepared request: the path's ids, a body, a query string."""

    params: dict[str, str] = field(default_factory=dict)
    body: Any = None
    query: str = ""
    headers: dict[str, str] = field(default_factory=dict)


SIGN_IN_EMAIL = "signin@harbor.test"

# prepare(world, caller) -> Call: fresh records for this call, so every admitted caller can succeed.
Example = Callable[["World", str], Call]


@dataclass
class World:
    practice: Practice
    other: Practice
    therapist_id: str  # the assigned therapist (may invite, holds a seat)
    unassigned_id: str  # another therapist of the practice (may invite, holds a seat), assigned to no one here
    client_id: str  # the signed-in client ("client"), assigned to the assigned therapist
    other_client_id: str  # another signed-in client of the practice, also assigned to the assigned therapist
    counter: list[int] = field(default_factory=lambda: [0])
    # A tab an example prepared for its caller (a passkey challenge is bound to the session that asked for it): the
    # walk's next browser for that caller is this one.
    prepared: dict[str, Browser] = field(default_factory=dict)
    # Second factors the examples set up, per account: the authenticator's secret, the software passkey device.
    secrets: dict[str, str] = field(default_factory=dict)
    devices: dict[str, Any] = field(default_factory=dict)

    # ---------------------------------------------------------------------------------------------- callers

    def account_of(self, caller: str) -> tuple[str, str] | None:
        """(organization, account) behind a caller, or None for anonymous."""
        return {
            "anonymous": None,
            "client": (self.practice.org_id, self.client_id),
            "other client": (self.practice.org_id, self.other_client_id),
            "assigned therapist": (self.practice.org_id, self.therapist_id),
            "unassigned therapist": (self.practice.org_id, self.unassigned_id),
            "administrator": (self.practice.org_id, self.practice.admin_id),
            "other practice's administrator": (self.other.org_id, self.other.admin_id),
        }[caller]

    def browser(self, caller: str) -> Browser:
        """A fresh tab with a fresh session for the caller (a route may end the session it is called with) — or the
        tab an example prepared for them. Sessions are complete and proved a second factor just now, so sensitive
        routes (step-up) admit them as they admit a person who just signed in with one."""
        if caller in self.prepared:
            return self.prepared.pop(caller)
        account = self.account_of(caller)
        if account is None:
            return self.practice.new_browser()
        return self.session_for(*account)

    def session_for(self, org_id: str, account_id: str) -> Browser:
        from chalicelib import clock
        from chalicelib.auth.principals import Role
        from chalicelib.auth.sessions import Identity, new_session
        from chalicelib.tables import keys
        from chalicelib.tables.accounts import Login

        stored = Login.get(keys.org_pk(org_id), keys.account_sk(account_id), consistent_read=True)
        identity = Identity(
            org_id=org_id,
            principal_id=account_id,
            role=Role(stored.role),
            epoch=int(stored.session_epoch or 0),
            method="password+authenticator",
            factor_verified_at=clock.now(),
        )
        created = new_session(identity)
        created.record.save()
        return Browser(self.practice.client, cookie=created.token, csrf=created.record.csrf_token)

    def admin(self) -> Browser:
        """The administrator, in a fresh tab (a route walked earlier may have ended their other sessions)."""
        return self.browser("administrator")

    def unique(self) -> str:
        self.counter[0] += 1
        return f"n{self.counter[0]}"

    # ------------------------------------------------------------------------------------------- records

    def new_client(self, *, email: bool = True, assigned: bool = True) -> str:
        """A client of Harbor, assigned to the assigned therapist."""
        tag = self.unique()
        fields: dict[str, Any] = {"therapist_ids": [self.therapist_id] if assigned else []}
        if email:
            fields["email"] = f"{tag}@client.test"
        return str(add_client(self.admin(), f"Client {tag}", **fields)["id"])

    def version_of_client(self, client_id: str) -> int:
        return int(stored_client(self.practice.org_id, client_id).version or 0)

    def settings_version(self) -> int:
        return int(stored_organization(self.practice.org_id).version or 0)

    def invited_client(self) -> str:
        client_id = self.new_client()
        assert invite(self.admin(), client_id).status == 200
        return client_id


def build_world(practice: Practice, other: Practice) -> World:
    from chalicelib.tables import keys
    from chalicelib.tables.accounts import Login
    from tests.conftest import open_portal_account

    therapist, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test", can_invite_clients=True)
    _, unassigned_id = practice.add_staff("Una Unassigned", "una@harbor.test", can_invite_clients=True)
    practice.add_staff("Sign In", SIGN_IN_EMAIL)  # whose password no walked route changes
    for staff_id in (practice.admin_id, therapist_id, unassigned_id):
        assert practice.admin.put(f"/api/subscription/seats/{staff_id}").status == 200
    assert other.admin.put(f"/api/subscription/seats/{other.admin_id}").status == 200
    version = stored_organization(practice.org_id).version
    assert practice.admin.patch("/api/organization/settings", {"version": version, "self_signup": True}).status == 200
    client_id = add_client(practice.admin, "Casey Client", email="casey@client.test", therapist_ids=[therapist_id])["id"]
    other_client_id = add_client(practice.admin, "Olive Other", email="olive@client.test", therapist_ids=[therapist_id])["id"]
    open_portal_account(practice, practice.admin, client_id, "casey@client.test", CLIENT_PASSWORD)
    open_portal_account(practice, practice.admin, other_client_id, "olive@client.test", CLIENT_PASSWORD)
    for account_id in (client_id, other_client_id):
        assert Login.get(keys.org_pk(practice.org_id), keys.account_sk(account_id)).status == "active"
    assert therapist.cookie and PASSWORD
    return World(practice, other, therapist_id, unassigned_id, client_id, other_client_id)
