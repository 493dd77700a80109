"""Matrix examples: secure messaging — a client's conversation (staff), the inbox, its poll, office hours, mass
messages, and the client's own conversation; attachments on both sides."""

from __future__ import annotations

from tests.api.matrix.world import Call, Example, World
from tests.api.messaging_world import PDF, post_file

UPLOAD = {"filename": "plan.pdf", "content_type": "application/pdf", "size": len(PDF)}
HOURS = {"enabled": True, "days": [1, 2, 3, 4, 5], "start": "09:00", "end": "17:00", "message": "Back tomorrow."}


def _attachment(world: World) -> str:
    """A PDF the administrator sent in the client's conversation."""
    admin = world.admin()
    ticket = admin.post("/api/messages/attachments", UPLOAD)
    assert ticket.status == 201, ticket.json
    assert post_file(ticket.json, PDF, "application/pdf") in {200, 201, 204}
    upload_id = str(ticket.json["upload_id"])
    sent = admin.post(f"/api/clients/{world.client_id}/conversation/messages", {"text": "The plan", "attachment_ids": [upload_id]})
    assert sent.status == 201, sent.json
    return upload_id


EXAMPLES: dict[tuple[str, str], Example] = {
    ("GET", "/api/clients/{client_id}/conversation"): lambda w, c: Call({"client_id": w.client_id}),
    ("POST", "/api/clients/{client_id}/conversation/messages"): lambda w, c: Call({"client_id": w.client_id}, {"text": "Hello"}),
    ("GET", "/api/clients/{client_id}/conversation/attachments/{attachment_id}"): lambda w, c: Call(
        {"client_id": w.client_id, "attachment_id": _attachment(w)}
    ),
    ("POST", "/api/messages/attachments"): lambda w, c: Call(body=UPLOAD),
    ("GET", "/api/messages/inbox"): lambda w, c: Call(),
    ("GET", "/api/messages/poll"): lambda w, c: Call(),
    ("GET", "/api/messages/office-hours"): lambda w, c: Call(),
    ("PUT", "/api/messages/office-hours"): lambda w, c: Call(body=HOURS),
    ("POST", "/api/messages/campaigns"): lambda w, c: Call(body={"text": "We are closed on Friday.", "audience": "all"}),
    ("GET", "/api/messages/campaigns"): lambda w, c: Call(),
    ("GET", "/api/portal/messages"): lambda w, c: Call(),
    ("POST", "/api/portal/messages"): lambda w, c: Call(body={"text": "Hello"}),
    ("POST", "/api/portal/messages/attachments"): lambda w, c: Call(body=UPLOAD),
    ("GET", "/api/portal/messages/attachments/{attachment_id}"): lambda w, c: Call({"attachment_id": _attachment(w)}),
    ("GET", "/api/portal/messages/poll"): lambda w, c: Call(),
}
