"""Uploads: presigned POST to S3 (the emulator), then checked by their bytes before anything may use them."""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
import uuid
from typing import Any

import pytest

from chalicelib.adapters.storage import get_storage, sniff
from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.services import uploads
from chalicelib.tables import keys
from chalicelib.tables.base import transaction
from chalicelib.tables.files import Upload
from tests.conftest import Practice, principal_of_browser

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXECUTABLE = b"MZ\x90\x00\x03" + b"\x00" * 200  # a Windows program renamed report.pdf


def post_file(ticket: uploads.Ticket, body: bytes, content_type: str) -> int:
    """What the browser does with a ticket: a multipart POST of the fields, then the file."""
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in ticket.fields.items()]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="upload"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
        + body
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(ticket.url, data=b"".join(parts), method="POST")
    request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    try:
        with urllib.request.urlopen(request) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def stored(practice: Practice, upload_id: str) -> Upload:
    return Upload.get(keys.org_pk(practice.org_id), keys.upload_sk(upload_id), consistent_read=True)


def start(principal: Any, content_type: str = "application/pdf", size: int = len(PDF), name: str = "report.pdf") -> uploads.Ticket:
    return uploads.start(principal, uploads.ATTACHMENT, content_type=content_type, size=size, filename=name)


def test_a_file_is_uploaded_checked_by_its_bytes_and_attached_once(practice: Practice) -> None:
    # Given the administrator's upload ticket, and the file posted to S3 with it
    me = principal_of_browser(practice.admin)
    ticket = start(me)
    assert post_file(ticket, PDF, "application/pdf") in {200, 201, 204}

    # When the server checks it and attaches it to something
    checked = uploads.check(me, ticket.upload_id, uploads.ATTACHMENT)
    with transaction() as tx:
        uploads.attach(tx, checked, "message/msg_1")

    # Then it is what it claimed, its hash and size are recorded, and it is attached
    assert (checked.content_type, checked.size, checked.sha256) == ("application/pdf", len(PDF), hashlib.sha256(PDF).hexdigest())
    record = stored(practice, ticket.upload_id)
    assert (record.status, record.sha256, record.size, record.attached_to) == ("attached", checked.sha256, len(PDF), "message/msg_1")
    assert record.key.startswith(f"orgs/{practice.org_id}/uploads/{me.id}/") and "report" not in record.key

    # And a second attachment of the same upload is a conflict
    with pytest.raises(Conflict), transaction() as tx:
        uploads.attach(tx, checked, "message/msg_2")
    assert stored(practice, ticket.upload_id).attached_to == "message/msg_1"


def test_a_file_that_is_not_what_it_claims_is_refused_and_removed(practice: Practice) -> None:
    # Given an executable uploaded as a PDF
    me = principal_of_browser(practice.admin)
    ticket = start(me, size=len(EXECUTABLE))
    post_file(ticket, EXECUTABLE, "application/pdf")
    record = stored(practice, ticket.upload_id)
    assert get_storage().inspect(record.key, 10_000_000) is not None

    # When the server checks it
    with pytest.raises(ValidationFailed) as refused:
        uploads.check(me, ticket.upload_id, uploads.ATTACHMENT)

    # Then it is refused, the object is gone and the record says so
    assert "not what it claims" in refused.value.detail
    assert get_storage().inspect(record.key, 10_000_000) is None
    assert stored(practice, ticket.upload_id).status == "rejected"


def test_an_image_declared_as_a_pdf_is_refused_too(practice: Practice) -> None:
    me = principal_of_browser(practice.admin)
    ticket = start(me, size=len(PNG))
    post_file(ticket, PNG, "application/pdf")
    with pytest.raises(ValidationFailed):
        uploads.check(me, ticket.upload_id, uploads.ATTACHMENT)


def test_an_upload_that_never_arrived_is_not_finished(practice: Practice) -> None:
    me = principal_of_browser(practice.admin)
    ticket = start(me)
    with pytest.raises(ValidationFailed) as refused:
        uploads.check(me, ticket.upload_id, uploads.ATTACHMENT)
    assert "not finished uploading" in refused.value.detail
    assert stored(practice, ticket.upload_id).status == "pending"


def test_someone_elses_upload_is_not_found(practice: Practice) -> None:
    # Given the administrator's upload
    me = principal_of_browser(practice.admin)
    ticket = start(me)
    post_file(ticket, PDF, "application/pdf")

    # Then a therapist of the same practice cannot use it
    therapist, _ = practice.add_staff("Theo Therapist", "theo@harbor.test")
    with pytest.raises(NotFound):
        uploads.check(principal_of_browser(therapist), ticket.upload_id, uploads.ATTACHMENT)


@pytest.mark.parametrize(("content_type", "size"), [("application/x-msdownload", 100), ("text/html", 100), ("application/pdf", 0),
                                                     ("application/pdf", 10 * 1024 * 1024 + 1)])  # fmt: skip
def test_types_and_sizes_outside_the_purpose_are_refused_before_any_upload(practice: Practice, content_type: str, size: int) -> None:
    me = principal_of_browser(practice.admin)
    with pytest.raises(ValidationFailed):
        start(me, content_type=content_type, size=size)


def test_the_upload_policy_limits_size_and_type_and_asks_for_encryption(practice: Practice) -> None:
    # When a ticket is made
    ticket = start(principal_of_browser(practice.admin))

    # Then the browser must send exactly the declared type, encrypted, within the size limit (S3 enforces the policy)
    assert ticket.fields["Content-Type"] == "application/pdf"
    assert ticket.fields["x-amz-server-side-encryption"] == "aws:kms"
    assert ticket.max_bytes == 10 * 1024 * 1024 and ticket.expires_in <= 300
    assert "policy" in {name.lower() for name in ticket.fields}


@pytest.mark.parametrize(
    ("head", "expected"),
    [(PDF, "application/pdf"), (PNG, "image/png"), (b"\xff\xd8\xff\xe0JFIF", "image/jpeg"), (b"GIF89a....", "image/gif"),
     (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"), (b"\x00\x00\x00\x18ftypheic", "image/heic"), (EXECUTABLE, None),
     (b"<html>", None), (b"", None)],
)  # fmt: skip
def test_types_are_told_by_their_first_bytes(head: bytes, expected: str | None) -> None:
    assert sniff(head) == expected
