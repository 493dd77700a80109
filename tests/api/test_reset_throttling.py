from __future__ import annotations

from tests.conftest import Practice


def test_reset_requests_past_the_limit_send_no_mail_but_answer_the_same(practice: Practice) -> None:
    # Given an administrator who has asked for five reset links within the hour
    anonymous = practice.new_browser()
    path = f"/api/orgs/{practice.slug}/password-reset"
    answers = [anonymous.post(path, {"email": practice.admin_email}) for _ in range(5)]
    assert all(a.status == 202 for a in answers)
    mails_before = len(practice.mailbox.to(practice.admin_email))

    # When a sixth request arrives
    sixth = anonymous.post(path, {"email": practice.admin_email})

    # Then the answer is the same, but no further mail goes out
    assert sixth.status == 202
    assert sixth.json == answers[0].json
    assert len(practice.mailbox.to(practice.admin_email)) == mails_before


def test_unknown_emails_are_counted_like_real_ones(practice: Practice) -> None:
    anonymous = practice.new_browser()
    path = f"/api/orgs/{practice.slug}/password-reset"
    answers = [anonymous.post(path, {"email": "nobody@harbor.test"}).json for _ in range(7)]
    assert len({str(a) for a in answers}) == 1
