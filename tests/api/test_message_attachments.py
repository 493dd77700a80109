"""Attachments: PDF and images up to 10 MB, checked by their bytes, attached once, opened through a short-lived link
only by someone who may read the conversation — after a hash check and an audit event."""

from __future__ import annotations

from datetime import datetime

from chalicelib.adapters.storage import get_storage
from chalicelib.tables import keys
from chalicelib.tables.files import Upload
from chalicelib.tables.messaging import MessageItem
from tests.api.messaging_world import (
    EXECUTABLE,
    PDF,
    PNG,
    Team,
    another_client,
    client_writes,
    fetch,
    messaging_team,
    staff_writes,
    uploaded,
)
from tests.conftest import Practice, audit_of_client, table_size

STAFF_UPLOADS = "/api/messages/attachments"
CLIENT_UPLOADS = "/api/portal/messages/attachments"


def upload_record(team: Team, upload_id: str) -> Upload:
    return Upload.get(keys.org_pk(team.practice.org_id), keys.upload_sk(upload_id), consistent_read=True)


def test_a_therapist_attaches_a_pdf_and_the_client_opens_it(practice: Practice) -> None:
    # Given Theo uploaded a PDF
    team = messaging_team(practice)
    upload_id = uploaded(team.theo, STAFF_UPLOADS, PDF, name="Sleep plan.pdf")

    # When he sends it with a message
    sent = staff_writes(team, text="Here is the plan we discussed.", attachment_ids=[upload_id])

    # Then Jordan sees the attachment by name and type, and it is claimed by this message
    assert sent.status == 201, sent.json
    message = team.client.get("/api/portal/messages").json["items"][0]
    assert message["attachments"] == [{"id": upload_id, "filename": "Sleep plan.pdf", "content_type": "application/pdf", "size": len(PDF)}]
    assert upload_record(team, upload_id).attached_to == f"conversation/{team.client_id}/{message['id']}"

    # When Jordan asks for a link, it is short-lived, opens the same bytes, and the download is audited
    link = team.client.get(f"{CLIENT_UPLOADS}/{upload_id}")
    assert link.status == 200, link.json
    expires = datetime.fromisoformat(link.json["expires_at"])
    assert (expires - datetime.fromisoformat(sent.json["items"][0]["sent_at"])).total_seconds() <= 300 + 60
    assert fetch(link.json["url"]) == PDF
    assert ("messages.attachment_download", "success") in audit_of_client(practice.org_id, team.client_id)

    # And Theo can open it from the client's conversation too
    assert team.theo.get(f"{team.conversation()}/attachments/{upload_id}").status == 200


def test_a_client_attaches_an_image(practice: Practice) -> None:
    team = messaging_team(practice)
    upload_id = uploaded(team.client, CLIENT_UPLOADS, PNG, content_type="image/png", name="rash.png")
    sent = client_writes(team, "A photo of the form", attachment_ids=[upload_id])
    assert sent.status == 201, sent.json
    assert fetch(team.theo.get(f"{team.conversation()}/attachments/{upload_id}").json["url"]) == PNG


def test_an_executable_renamed_pdf_is_refused_removed_and_no_message_is_stored(practice: Practice) -> None:
    # Given Jordan uploaded a program named report.pdf, declared as a PDF
    team = messaging_team(practice)
    upload_id = uploaded(team.client, CLIENT_UPLOADS, EXECUTABLE, name="report.pdf")
    key = upload_record(team, upload_id).key

    # When he sends it
    refused = client_writes(team, "See attached", attachment_ids=[upload_id])

    # Then it is refused with a clear problem, the object is gone, the upload is marked refused, nothing was sent
    assert refused.status == 422 and refused.problem_type == "/problems/validation-failed"
    assert "not what it claims" in refused.json["detail"]
    assert [e["field"] for e in refused.json["errors"]] == [f"attachment_ids.{upload_id}"]  # which file, for the composer
    assert get_storage().inspect(key, 10_000_000) is None
    assert upload_record(team, upload_id).status == "rejected"
    assert table_size(MessageItem) == 0


def test_an_attachment_that_never_finished_uploading_is_refused_and_nothing_is_stored(practice: Practice) -> None:
    team = messaging_team(practice)
    started = team.client.post(CLIENT_UPLOADS, {"filename": "scan.pdf", "content_type": "application/pdf", "size": 2000})
    refused = client_writes(team, "See attached", attachment_ids=[started.json["upload_id"]])
    assert refused.status == 422 and "not finished uploading" in refused.json["detail"]
    assert table_size(MessageItem) == 0
    assert upload_record(team, started.json["upload_id"]).status == "pending"


def test_an_upload_is_attached_once(practice: Practice) -> None:
    team = messaging_team(practice)
    upload_id = uploaded(team.theo, STAFF_UPLOADS)
    assert staff_writes(team, attachment_ids=[upload_id]).status == 201
    again = staff_writes(team, text="Again", attachment_ids=[upload_id])
    assert again.status == 409
    assert len([m for m in MessageItem.scan() if m.attachments]) == 1


def test_someone_elses_upload_cannot_be_attached(practice: Practice) -> None:
    team = messaging_team(practice)
    upload_id = uploaded(team.theo, STAFF_UPLOADS)
    refused = client_writes(team, "Mine now", attachment_ids=[upload_id])
    assert refused.status == 404
    assert table_size(MessageItem) == 0


def test_only_people_who_may_read_the_conversation_get_a_link(practice: Practice) -> None:
    # Given an attachment in Jordan's conversation
    team = messaging_team(practice)
    upload_id = uploaded(team.theo, STAFF_UPLOADS)
    staff_writes(team, attachment_ids=[upload_id])
    sam, sam_id = another_client(team, "Sam Rivera", "sam@client.test")
    riley, riley_id = practice.add_staff("Riley Rivera", "riley@harbor.test")
    team.admin.put(f"/api/subscription/seats/{riley_id}")

    # Then another client, an unassigned therapist, and a path naming another client all get 404
    assert sam.get(f"{CLIENT_UPLOADS}/{upload_id}").status == 404
    assert riley.get(f"{team.conversation()}/attachments/{upload_id}").status == 404
    assert team.theo.get(f"/api/clients/{sam_id}/conversation/attachments/{upload_id}").status == 404
    # And an upload that was never attached is no attachment at all
    loose = uploaded(team.theo, STAFF_UPLOADS)
    assert team.theo.get(f"{team.conversation()}/attachments/{loose}").status == 404


def test_a_stored_file_that_changed_is_not_handed_out(practice: Practice) -> None:
    # Given an attachment whose stored bytes were replaced after it was sent
    team = messaging_team(practice)
    upload_id = uploaded(team.theo, STAFF_UPLOADS)
    staff_writes(team, attachment_ids=[upload_id])
    get_storage().put(upload_record(team, upload_id).key, b"%PDF-1.7 something else", "application/pdf")

    # Then no link is issued, and the failed download is audited
    refused = team.client.get(f"{CLIENT_UPLOADS}/{upload_id}")
    assert refused.status == 503
    assert ("messages.attachment_download", "failure") in audit_of_client(practice.org_id, team.client_id)


def test_uploads_outside_the_allowed_types_and_sizes_are_refused_up_front(practice: Practice) -> None:
    team = messaging_team(practice)
    for content_type, size in (("application/x-msdownload", 100), ("text/html", 100), ("application/pdf", 10 * 1024 * 1024 + 1)):
        refused = team.client.post(CLIENT_UPLOADS, {"filename": "x.pdf", "content_type": content_type, "size": size})
        assert refused.status == 422, (content_type, size)
    assert table_size(Upload) == 0


def test_at_most_five_attachments_per_message(practice: Practice) -> None:
    team = messaging_team(practice)
    ids = [uploaded(team.theo, STAFF_UPLOADS) for _ in range(6)]
    refused = staff_writes(team, attachment_ids=ids)
    assert refused.status == 422 and refused.json["errors"][0]["field"] == "attachment_ids"
