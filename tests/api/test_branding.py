"""Branding: the accent colour (refused, and audited, when it would make text hard to read), the logo (an upload
checked by its bytes, shown on the practice's public pages from the app's own origin, on its signed PDFs)."""

from __future__ import annotations

import hashlib
import io
import urllib.request
from typing import Any

from pypdf import PdfReader

from chalicelib.tables.files import Upload
from chalicelib.tables.keys import org_pk, upload_sk
from chalicelib.tables.organizations import SlugClaim
from tests.api.messaging_world import post_file
from tests.conftest import Browser, Practice, audit_trail, stored_organization
from tests.images import png

PRIVACY = "std-privacy-notice"


def settings_version(practice: Practice) -> int:
    return int(practice.admin.get("/api/organization/settings").json["version"])


def uploaded_logo(admin: Browser, body: bytes, content_type: str = "image/png") -> str:
    started = admin.post("/api/organization/logo/uploads", {"filename": "logo.png", "content_type": content_type, "size": len(body)})
    assert started.status == 201, started.json
    assert post_file(started.json, body, content_type) in {200, 201, 204}
    return str(started.json["upload_id"])


def upload_record(practice: Practice, upload_id: str) -> Upload:
    return Upload.get(org_pk(practice.org_id), upload_sk(upload_id), consistent_read=True)


def s3_has(key: str) -> bool:
    from chalicelib.adapters.storage import get_storage
    from chalicelib.errors import NotFound

    try:
        get_storage().sha256_of(key)
    except NotFound:
        return False
    return True


# ------------------------------------------------------------------------------------------------ accent colour


def test_an_administrator_sets_an_accent_colour_that_the_practices_pages_and_sessions_carry(practice: Practice) -> None:
    # When the administrator picks a dark teal
    changed = practice.admin.patch("/api/organization/settings", {"version": settings_version(practice), "accent_color": "#0F766E"})

    # Then it is stored (normalised), audited, and the sign-in page and every session carry it
    assert changed.status == 200, changed.json
    assert changed.json["accent_color"] == "#0f766e"
    assert stored_organization(practice.org_id).accent_color == "#0f766e"
    assert practice.new_browser().get(f"/api/orgs/{practice.slug}").json["accent_color"] == "#0f766e"
    assert practice.admin.get("/api/session").json["organization"]["accent_color"] == "#0f766e"
    event = audit_trail(practice.org_id)[0]
    assert (event.action, event.resource, event.outcome) == ("settings.update", f"organization/{practice.org_id}#accent_color", "success")


def test_a_colour_too_light_for_white_text_is_refused_with_its_contrast_and_the_refusal_is_audited(practice: Practice) -> None:
    # Given a practice whose accent is a dark teal
    version = settings_version(practice)
    assert practice.admin.patch("/api/organization/settings", {"version": version, "accent_color": "#0f766e"}).status == 200

    # When the administrator tries a light yellow
    refused = practice.admin.patch("/api/organization/settings", {"version": version + 1, "accent_color": "#facc15"})

    # Then it is a 422 on the field that says why (the ratio reached, the 4.5:1 needed), and nothing changed
    assert refused.status == 422
    assert [error["field"] for error in refused.json["errors"]] == ["accent_color"]
    assert "1.4:1" in refused.json["detail"] and "4.5:1" in refused.json["detail"]
    assert stored_organization(practice.org_id).accent_color == "#0f766e"
    event = audit_trail(practice.org_id)[0]
    assert (event.action, event.outcome) == ("settings.update", "failure")


def test_a_colour_that_passes_on_white_but_not_on_the_page_background_is_refused(practice: Practice) -> None:
    # When the administrator picks a mid grey: 4.54:1 on white, below 4.5:1 on the page's light grey
    refused = practice.admin.patch("/api/organization/settings", {"version": settings_version(practice), "accent_color": "#757575"})

    # Then it is refused too: links in it would fail on the page
    assert refused.status == 422 and refused.json["errors"][0]["field"] == "accent_color"
    assert stored_organization(practice.org_id).accent_color is None


def test_an_accent_colour_that_is_not_a_hex_colour_is_refused(practice: Practice) -> None:
    refused = practice.admin.patch("/api/organization/settings", {"version": settings_version(practice), "accent_color": "teal"})

    assert refused.status == 422 and "six hexadecimal digits" in refused.json["detail"]


def test_an_empty_accent_colour_puts_the_products_own_back(practice: Practice) -> None:
    # Given a practice with an accent colour
    assert (
        practice.admin.patch("/api/organization/settings", {"version": settings_version(practice), "accent_color": "#0f766e"}).status == 200
    )

    # When the administrator clears it
    cleared = practice.admin.patch("/api/organization/settings", {"version": settings_version(practice), "accent_color": ""})

    # Then the practice has none
    assert cleared.status == 200 and cleared.json["accent_color"] is None
    assert stored_organization(practice.org_id).accent_color is None


# ---------------------------------------------------------------------------------------------------- the logo


def test_an_uploaded_png_becomes_the_logo_shown_on_the_public_page_from_the_apps_origin(practice: Practice) -> None:
    # Given a PNG uploaded by the administrator
    logo = png(160, 48)
    upload_id = uploaded_logo(practice.admin, logo)

    # When they make it the logo
    response = practice.admin.put("/api/organization/logo", {"upload_id": upload_id})

    # Then the practice has it, named by its hash, and the upload is used
    assert response.status == 200, response.json
    logo_url = response.json["logo_url"]
    assert logo_url.startswith(f"/api/orgs/{practice.slug}/logo?v=")
    stored = stored_organization(practice.org_id)
    sha256 = hashlib.sha256(logo).hexdigest()
    assert (stored.logo_type, stored.logo_key) == ("image/png", f"orgs/{practice.org_id}/branding/logo-{sha256}.png")
    assert upload_record(practice, upload_id).status == "attached"
    # (the checked bytes copied to a key only the server writes; the upload's own object, which its presigned form
    # could still overwrite, is gone)
    assert s3_has(stored.logo_key) and not s3_has(upload_record(practice, upload_id).key)
    claim = SlugClaim.get(f"SLUG#{practice.slug}", "SLUG", consistent_read=True)
    assert claim.logo_key == stored.logo_key and claim.logo_sha256 == stored.logo_sha256
    event = audit_trail(practice.org_id)[0]
    assert (event.action, event.resource, event.outcome) == ("branding.logo", f"upload/{upload_id}", "success")

    # And anyone opening the sign-in page sees it: the profile names it, its address redirects to the image
    visitor = practice.new_browser()
    assert visitor.get(f"/api/orgs/{practice.slug}").json["logo_url"] == logo_url
    redirect = visitor.get(logo_url)
    assert redirect.status == 302
    with urllib.request.urlopen(redirect.headers["location"]) as image:
        assert image.read() == logo
        assert image.headers["Content-Type"] == "image/png"


def test_a_file_that_is_not_a_png_or_jpeg_is_refused_removed_and_audited(practice: Practice) -> None:
    # Given a "logo.png" that is really an HTML page
    upload_id = uploaded_logo(practice.admin, b"<html><script>alert(1)</script></html>")
    key = upload_record(practice, upload_id).key

    # When the administrator tries to use it
    refused = practice.admin.put("/api/organization/logo", {"upload_id": upload_id})

    # Then it is refused by its bytes, its object removed, the refusal audited, and the practice has no logo
    assert refused.status == 422, refused.json
    assert refused.json["errors"][0]["field"] == "upload_id" and "PNG or JPEG" in refused.json["detail"]
    assert upload_record(practice, upload_id).status == "rejected"
    assert not s3_has(key)
    event = audit_trail(practice.org_id)[0]
    assert (event.action, event.resource, event.outcome) == ("branding.logo", f"upload/{upload_id}", "failure")
    assert stored_organization(practice.org_id).logo_key is None


def test_a_logo_too_many_pixels_to_draw_is_refused_removed_and_audited(practice: Practice) -> None:
    # Given a real PNG of 3000 × 3000 pixels (small once compressed: one colour; 27 MB once decoded)
    upload_id = uploaded_logo(practice.admin, png(3000, 3000))
    key = upload_record(practice, upload_id).key

    # When the administrator tries to use it
    refused = practice.admin.put("/api/organization/logo", {"upload_id": upload_id})

    # Then it is refused with the size it has and may have, removed, audited, and the practice has no logo
    assert refused.status == 422, refused.json
    assert "2000 × 2000" in refused.json["detail"] and "3000 × 3000" in refused.json["detail"]
    assert upload_record(practice, upload_id).status == "rejected" and not s3_has(key)
    event = audit_trail(practice.org_id)[0]
    assert (event.action, event.outcome) == ("branding.logo", "failure")
    assert stored_organization(practice.org_id).logo_key is None


def test_a_logo_of_another_type_or_too_large_is_refused_before_it_is_uploaded(practice: Practice) -> None:
    svg = practice.admin.post("/api/organization/logo/uploads", {"filename": "logo.svg", "content_type": "image/svg+xml", "size": 900})
    huge = practice.admin.post("/api/organization/logo/uploads", {"filename": "logo.png", "content_type": "image/png", "size": 300_000})

    assert svg.status == 422 and svg.json["errors"][0]["field"] == "content_type"
    assert huge.status == 422 and huge.json["errors"][0]["field"] == "size" and "256 KB" in huge.json["detail"]


def test_an_upload_is_made_the_logo_once(practice: Practice) -> None:
    # Given a logo in use
    upload_id = uploaded_logo(practice.admin, png())
    assert practice.admin.put("/api/organization/logo", {"upload_id": upload_id}).status == 200

    # When the same upload is offered again
    again = practice.admin.put("/api/organization/logo", {"upload_id": upload_id})

    # Then it is refused
    assert again.status == 409


def test_replacing_the_logo_removes_the_old_image_and_removing_it_leaves_none(practice: Practice) -> None:
    # Given a logo in use
    first = uploaded_logo(practice.admin, png(100, 40))
    assert practice.admin.put("/api/organization/logo", {"upload_id": first}).status == 200
    first_key = str(stored_organization(practice.org_id).logo_key)

    # When another replaces it, then the administrator removes the logo
    second = uploaded_logo(practice.admin, png(200, 40, (15, 118, 110)))
    replaced = practice.admin.put("/api/organization/logo", {"upload_id": second})
    removed = practice.admin.delete("/api/organization/logo")

    # Then the first image is gone, the address changed with the logo, and no logo is left
    assert replaced.status == 200 and not s3_has(first_key)
    assert removed.status == 200 and removed.json["logo_url"] is None
    assert stored_organization(practice.org_id).logo_key is None
    assert practice.new_browser().get(f"/api/orgs/{practice.slug}/logo").status == 404
    assert audit_trail(practice.org_id)[0].action == "branding.logo_remove"


def test_the_signed_pdf_carries_the_logo_on_its_letterhead(practice: Practice) -> None:
    # Given a practice with a logo, and a client who signs its privacy notice
    assert practice.admin.put("/api/organization/logo", {"upload_id": uploaded_logo(practice.admin, png(160, 48))}).status == 200
    from tests.conftest import add_client, open_portal_account

    client_id = add_client(practice.admin, "Jordan Lee", email="jordan@example.test")["id"]
    person = open_portal_account(practice, practice.admin, client_id, "jordan@example.test")
    sent = practice.admin.post(f"/api/clients/{client_id}/form-requests", {"form_ids": [PRIVACY]}).json["items"][0]["id"]
    version = person.get(f"/api/portal/form-requests/{sent}").json["disclosure"]["version"]
    assert person.post(f"/api/portal/form-requests/{sent}/consent", {"disclosure_version": version, "agree": True}).status == 200
    signature = {"full_name": "Jordan Lee", "attested": True, "answers": {"ack_received": True}}
    assert person.post(f"/api/portal/form-requests/{sent}/signature", signature).status == 200

    # When staff open the signed PDF
    link = practice.admin.get(f"/api/clients/{client_id}/documents/{sent}/download").json["url"]
    pdf = PdfReader(io.BytesIO(urllib.request.urlopen(link).read()))

    # Then its first page shows the logo image above the practice's name
    assert len(pdf.pages[0].images) == 1
    assert "Harbor Counseling" in pdf.pages[0].extract_text()


def test_two_logo_changes_from_the_same_moment_have_one_winner_and_leave_no_orphan(practice: Practice) -> None:
    # Given two requests that read the practice (no logo yet) at the same moment, each with an uploaded image
    from chalicelib.errors import Conflict
    from chalicelib.services import branding
    from tests.conftest import principal_of_browser

    second_image = png(60, 20)
    first, second = uploaded_logo(practice.admin, png()), uploaded_logo(practice.admin, second_image)
    as_read = principal_of_browser(practice.admin)

    # When both set their image
    branding.set_logo(as_read, first)
    try:
        branding.set_logo(as_read, second)
        outcome = "set"
    except Conflict:
        outcome = "conflict"

    # Then the second is refused (it would have replaced a logo it never saw, leaving the first image orphaned), and
    # the practice shows the first
    assert outcome == "conflict"
    assert stored_organization(practice.org_id).logo_key == f"orgs/{practice.org_id}/branding/logo-{hashlib.sha256(png()).hexdigest()}.png"
    assert upload_record(practice, second).status == "pending"
    assert not s3_has(f"orgs/{practice.org_id}/branding/logo-{hashlib.sha256(second_image).hexdigest()}.png")


def test_bytes_replaced_after_the_check_are_refused(monkeypatch: Any, practice: Practice) -> None:
    # Given an uploaded PNG whose object is overwritten (the upload's presigned form is still valid) right after the
    # check of its type
    from chalicelib.adapters.storage import get_storage
    from chalicelib.services import uploads

    upload_id = uploaded_logo(practice.admin, png())
    key = upload_record(practice, upload_id).key
    real_check = uploads.check_record

    def check_then_overwrite(*args: Any, **kwargs: Any) -> Any:
        checked = real_check(*args, **kwargs)
        get_storage().put(key, png(1999, 20, (200, 0, 0)), "image/png")
        return checked

    monkeypatch.setattr(uploads, "check_record", check_then_overwrite)

    # When the administrator makes it the logo
    refused = practice.admin.put("/api/organization/logo", {"upload_id": upload_id})

    # Then the bytes that were not checked are refused and removed, and the practice has no logo
    assert refused.status == 422, refused.json
    assert upload_record(practice, upload_id).status == "rejected" and not s3_has(key)
    assert stored_organization(practice.org_id).logo_key is None
