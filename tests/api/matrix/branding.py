"""Matrix examples: branding (the logo: its upload, its use, its removal, its public address) and the client's own
time zone."""

from __future__ import annotations

from tests.api.matrix.world import Call, Example, World
from tests.api.messaging_world import post_file
from tests.images import png

LOGO = png(120, 40)
UPLOAD = {"filename": "logo.png", "content_type": "image/png", "size": len(LOGO)}
ADMINISTRATORS = {"administrator", "other practice's administrator"}


def _uploaded(world: World, caller: str) -> str:
    """A logo uploaded by the caller if they may upload one (an upload is its uploader's own), else by Harbor's
    administrator."""
    browser = world.browser(caller) if caller in ADMINISTRATORS else world.admin()
    ticket = browser.post("/api/organization/logo/uploads", UPLOAD)
    assert ticket.status == 201, ticket.json
    assert post_file(ticket.json, LOGO, "image/png") in {200, 201, 204}
    return str(ticket.json["upload_id"])


def _with_logo(world: World, caller: str) -> Call:
    """Harbor has a logo (its sign-in page shows it to everyone)."""
    assert world.admin().put("/api/organization/logo", {"upload_id": _uploaded(world, "administrator")}).status == 200
    return Call({"slug": world.practice.slug})


EXAMPLES: dict[tuple[str, str], Example] = {
    ("POST", "/api/organization/logo/uploads"): lambda w, c: Call(body=UPLOAD),
    ("PUT", "/api/organization/logo"): lambda w, c: Call(body={"upload_id": _uploaded(w, c)}),
    ("DELETE", "/api/organization/logo"): lambda w, c: Call(),
    ("GET", "/api/orgs/{slug}/logo"): _with_logo,
    ("PATCH", "/api/portal/account"): lambda w, c: Call(body={"time_zone": "Europe/Lisbon"}),
}
