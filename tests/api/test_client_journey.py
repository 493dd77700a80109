"""The first client journey through the API: record → invitation → account → portal home → sign in again."""

from __future__ import annotations

from tests.conftest import PASSWORD, Practice

CLIENT_PASSWORD = "harbor lights at dusk"


def test_a_client_is_invited_creates_an_account_and_signs_in(practice: Practice) -> None:
    # Given a therapist allowed to invite, and a client assigned to them
    therapist, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test", can_invite_clients=True)
    created = therapist.post("/api/clients", {"name": "Jordan Lee", "preferred_name": "Jo", "email": "Jordan@Example.test"})
    assert created.status == 201, created.json
    client_id = created.json["id"]
    assert created.json["therapist_ids"] == [therapist_id]
    assert created.json["portal"]["status"] == "not_invited"

    # When the therapist sends the portal invitation with a tailored message
    invited = therapist.post(f"/api/clients/{client_id}/invitation", {"form_ids": [], "message": "Looking forward to meeting you."})

    # Then the client is invited and the mail names the practice, with a single-use link
    assert invited.status == 200, invited.json
    assert invited.json["portal"]["status"] == "invited"
    assert invited.json["portal"]["invitation_delivery"] == "sent"
    [mail] = practice.mailbox.to("jordan@example.test")
    assert "Harbor Counseling" in mail["subject"]
    assert "Jordan" not in mail["subject"] and "Jordan" not in mail["body"]

    # When the client follows the link and sets a password
    person = practice.new_browser()
    token = practice.mailbox.token_for("jordan@example.test")
    described = person.post("/api/password-tokens/inspect", {"token": token})
    assert described.json["purpose"] == "client_invite"
    redeemed = person.post("/api/password-tokens/redeem", {"token": token, "password": CLIENT_PASSWORD})

    # Then they are signed in as a client and their home shows the practice
    assert redeemed.status == 200, redeemed.json
    assert redeemed.json["principal"]["role"] == "client"
    home = person.get("/api/portal/home")
    assert home.status == 200, home.json
    assert home.json["practice"]["name"] == "Harbor Counseling"
    assert home.json["client"]["preferred_name"] == "Jo"
    # And staff screens are closed to them
    assert person.get("/api/clients").status == 403
    assert person.get("/api/staff").status == 403

    # And the therapist sees the activation
    record = therapist.get(f"/api/clients/{client_id}").json
    assert record["portal"]["status"] == "active"
    assert record["portal"]["accepted_at"] is not None

    # And the client signs out and back in through the practice's login link
    assert person.delete("/api/session").status == 204
    again = practice.new_browser().post(f"/api/orgs/{practice.slug}/sign-in", {"email": "jordan@example.test", "password": CLIENT_PASSWORD})
    assert again.status == 200, again.json
    assert again.json["principal"]["kind"] == "client"
    assert PASSWORD != CLIENT_PASSWORD


def test_search_finds_clients_by_name_or_email_prefix(practice: Practice) -> None:
    for name, email in (("Jordan Lee", "jlee@example.test"), ("Sam Rivera", "sam@example.test"), ("Jordana Diaz", None)):
        body = {"name": name, **({"email": email} if email else {})}
        assert practice.admin.post("/api/clients", body).status == 201

    def names(q: str) -> list[str]:
        return sorted(c["name"] for c in practice.admin.post("/api/clients/search", {"q": q}).json["items"])

    assert names("jord") == ["Jordan Lee", "Jordana Diaz"]
    assert names("jordan le") == ["Jordan Lee"]
    assert names("sam@example.test") == ["Sam Rivera"]
    assert names("riv") == ["Sam Rivera"]
