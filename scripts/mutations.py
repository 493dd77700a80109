"""Delete each security check in turn and make sure some test fails (``make mutations``; docs/testing.md).

Each mutation replaces one exact snippet of the code (it must occur exactly once) with a version that skips the
check, runs the tests that should notice, and restores the file. A mutation the tests do not notice is a check no
test holds in place: the run lists it and exits non-zero. The list covers every authorization, audit, feature
switch, seat, hash, throttle and invariant check of the request paths; add one whenever a check is added.

    python -m scripts.mutations [--only NAME] [--list]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MATRIX = "tests/api/test_authorization_matrix.py"
SECOND_FACTOR_SESSIONS = "tests/api/test_second_factor_sessions.py"
CODES = "tests/api/test_authenticator_codes.py"
PASSKEYS = "tests/api/test_passkeys.py"
RECOVERY_AND_RESETS = "tests/api/test_recovery_and_resets.py"
DASHBOARDS = "tests/api/test_dashboards.py"


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str
    original: str
    mutant: str
    tests: tuple[str, ...]
    # Further edits made together with the first, where two checks guard one thing (belt and braces): deleting
    # either alone changes nothing a test can see, so the pair is deleted at once.
    also: tuple[tuple[str, str, str], ...] = ()

    @property
    def edits(self) -> tuple[tuple[str, str, str], ...]:
        return ((self.path, self.original, self.mutant), *self.also)


M = Mutation
MUTATIONS: tuple[Mutation, ...] = (
    # ------------------------------------------------------------------------------------ who may call a route
    M("client routes admit anyone signed in", "chalicelib/auth/guards.py",
      "        return isinstance(principal, ClientPrincipal)", "        return True", (MATRIX,)),
    M("inviter routes admit any staff", "chalicelib/auth/guards.py",
      "        return principal.may_invite_clients", "        return True",
      ("tests/api/test_client_invitations.py", "tests/api/test_invitation_templates.py")),
    M("administrator routes admit any staff", "chalicelib/auth/guards.py",
      "        return principal.is_administrator", "        return True", (MATRIX,)),
    M("staff routes admit clients", "chalicelib/auth/guards.py",
      "    if not isinstance(principal, StaffPrincipal):\n        return False", "    if False:\n        return False", (MATRIX,)),
    M("no CSRF check", "chalicelib/auth/guards.py",
      "    if method in UNSAFE_METHODS:", "    if False:", ("tests/api/test_sessions.py",)),
    M("refusals not audited", "chalicelib/auth/guards.py",
      '    audit.record(principal, "request.denied", context.current().route, outcome="denied")\n', "", (MATRIX,)),
    M("no feature switch", "chalicelib/auth/guards.py",
      "    if not principal.practice.switched_on(feature):", "    if False:", (MATRIX,)),
    M("no seat check", "chalicelib/auth/guards.py",
      "feature in SEAT_FEATURES and not principal.practice.seated(principal.id):", "feature in SEAT_FEATURES and False:",
      (MATRIX, "tests/api/test_subscription.py")),
    M("a viewer address is believed without the origin secret", "chalicelib/handlers/api.py",
      "    if not hmac.compare_digest(offered.encode(), expected.encode()):\n        return source\n", "",
      ("tests/api/test_deployed_settings.py",)),
    M("an appointment can be billed twice at once", "chalicelib/services/payments/billable.py",
      "            condition=Appointment.invoice_id.does_not_exist() & Appointment.status.is_in(*BILLABLE),", "            condition=None,",
      ("tests/api/test_invoices_from_appointments.py",)),
    M("appointments not yet held can be billed", "chalicelib/services/payments/billable.py",
      "        if item is not None and item.status not in BILLABLE", "        if False",
      ("tests/api/test_invoices_from_appointments.py",)),
    M("an unfinished payment is freed though Stripe did not cancel it", "chalicelib/services/payments/paying.py",
      '    if ended.status != "canceled":\n        raise Conflict(', '    if False:\n        raise Conflict(',
      ("tests/api/test_payment_authentication.py",)),
    M("email checks not audited", "chalicelib/services/clients.py",
      '    audit.record(principal, "clients.email_check", f"client/{client_id}" if client_id else "clients/email-check")\n', "",
      ("tests/api/test_hardening.py",)),
    M("a logo change over one it never saw", "chalicelib/services/branding.py",
      "        condition=PracticeBranding.pk.exists() & as_read,", "        condition=PracticeBranding.pk.exists(),",
      ("tests/api/test_branding.py",)),
    M("a logo of any pixel size", "chalicelib/services/branding.py",
      "    fits = 0 < width <= MAX_LOGO_PIXELS[0] and 0 < height <= MAX_LOGO_PIXELS[1]", "    fits = True",
      ("tests/api/test_branding.py",)),
    M("a logo's bytes replaced after the check", "chalicelib/services/branding.py",
      "    if fits and hashlib.sha256(body).hexdigest() == checked.sha256:", "    if fits:", ("tests/api/test_branding.py",)),
    M("a drawn signature that does not decode", "chalicelib/services/paperwork/signing.py",
      "        elif not _decodes(png):", "        elif False:", ("tests/api/test_forms_flow.py",)),
    M("a promoted administrator is not told of payments", "chalicelib/services/staff.py",
      "        org_actions.append(ids.add({staff_id}) if promoted else ids.delete({staff_id}))", "",
      ("tests/api/test_payments.py",)),
    # ----------------------------------------------------------------------------------------------- sessions
    M("revoked sessions live on", "chalicelib/auth/sessions.py",
      "    if int(session.epoch or 0) != int(account.session_epoch or 0) or account.status != \"active\":",
      "    if account.status != \"active\":", ("tests/api/test_staff.py", "tests/api/test_client_invitations.py", "tests/api/test_hardening.py")),
    M("inactive accounts keep their sessions", "chalicelib/auth/sessions.py",
      "    if int(session.epoch or 0) != int(account.session_epoch or 0) or account.status != \"active\":",
      "    if int(session.epoch or 0) != int(account.session_epoch or 0):", ("tests/api/test_hardening.py",)),
    M("no idle timeout", "chalicelib/auth/sessions.py", "    return now < idle_deadline(session)", "    return True",
      ("tests/api/test_sessions.py",)),
    M("a cookie may name another account", "chalicelib/auth/sessions.py",
      "    if (session.org_id, session.principal_id) != (org_id, account_id):", "    if False:", ("tests/api/test_hardening.py",)),
    M("sign-in ignores a revocation in flight", "chalicelib/services/authentication.py",
      '    still_valid = (Login.status == "active") & (Login.password_hash == member.password_hash) & epoch_is(epoch)',
      "    still_valid = Login.pk.exists()", ("tests/api/test_hardening.py",)),
    M("no sign-in throttle", "chalicelib/services/authentication.py", "        throttling.reserve(counters, TOO_MANY)", "        pass",
      ("tests/api/test_sessions.py",)),
    M("throttle counters without a limit", "chalicelib/services/throttling.py",
      "            condition=Throttle.failures.does_not_exist() | (Throttle.failures < counter.limit),", "            condition=None,",
      ("tests/api/test_sessions.py", "tests/api/test_reset_throttling.py", "tests/api/test_self_sign_up.py")),
    M("a set-password link works twice", "chalicelib/services/authentication.py",
      "condition=PasswordToken.used_at.does_not_exist(), label=\"token\")", "label=\"token\")", ("tests/api/test_sessions.py",),
      also=(("chalicelib/services/authentication.py", "live = (Login.password_token_hash == token.pk.removeprefix(\"TOKEN#\")) & ",
             "live = "),
            ("chalicelib/services/authentication.py", "        and member.password_token_hash == digest(secret)\n", ""))),
    M("no password policy on redeem", "chalicelib/services/authentication.py",
      "    passwords.enforce_policy(new_password, email=member.email)", "    pass", ("tests/api/test_sessions.py",)),
    M("no password policy on change", "chalicelib/services/authentication.py",
      '    passwords.enforce_policy(new_password, field="new_password", email=account.email)', "    pass", ("tests/api/test_sessions.py",)),
    M("deactivation leaves sessions open", "chalicelib/services/staff.py",
      "        StaffMember.password_token_hash.remove(),\n        revoke_all(),\n", "        StaffMember.password_token_hash.remove(),\n",
      ("tests/api/test_staff.py",),
      also=(("chalicelib/auth/sessions.py", " or account.status != \"active\":", ":"),)),
    M("permission changes leave sessions open", "chalicelib/services/staff.py", "        actions.append(revoke_all())", "        pass",
      ("tests/api/test_staff.py", "tests/api/test_hardening.py")),
    M("disabling a client leaves sessions open", "chalicelib/services/client_invitations.py",
      "ClientRecord.password_token_hash.remove(), revoke_all()]", "ClientRecord.password_token_hash.remove()]",
      ("tests/api/test_client_invitations.py",), also=(("chalicelib/auth/sessions.py", " or account.status != \"active\":", ":"),)),
    M("no provisioning key when sign-up is closed", "chalicelib/handlers/organizations.py",
      "    if not (expected and sent and same(sent, expected)):", "    if False:",
      ("tests/api/test_organizations.py",)),
    # ---------------------------------------------------------------------------------------- who sees whom
    M("therapists see every client", "chalicelib/services/visibility.py",
      "    return principal.is_administrator or principal.id in (client.therapist_ids or set())", "    return True", (MATRIX,)),
    M("denied client reads not audited", "chalicelib/services/visibility.py",
      '    audit.record(principal, "client.read", f"client/{client_id}", outcome="denied", subject_client_id=client_id)\n', "",
      ("tests/api/test_clients.py", "tests/api/test_paperwork_checks.py")),
    M("client reads not audited", "chalicelib/services/clients.py",
      '    audit.record(principal, "client.read", f"client/{client_id}", subject_client_id=client_id)\n', "", ("tests/api/test_clients.py",)),
    M("client lists not audited", "chalicelib/services/clients.py", '    audit.record(principal, "client.list", "clients")\n', "",
      ("tests/api/test_clients.py",)),
    # ----------------------------------------------------------------------------------------------- paperwork
    M("no hash check before a download link", "chalicelib/services/paperwork/documents.py",
      "    if storage.sha256_of(request.document_key) != request.document_sha256:", "    if False:", ("tests/api/test_paperwork_checks.py",)),
    M("downloads not audited", "chalicelib/services/paperwork/documents.py",
      '    audit.record(principal, "documents.download", f"form_request/{request_id}", subject_client_id=client_id)\n', "",
      ("tests/api/test_paperwork_checks.py",)),
    M("document lists not audited", "chalicelib/services/paperwork/documents.py",
      '    audit.record(principal, "documents.list", f"client/{client_id}", subject_client_id=client_id)\n', "",
      ("tests/api/test_paperwork_checks.py",)),
    M("opening a form not audited", "chalicelib/services/paperwork/filling.py",
      '    audit.record(principal, "forms.open", f"form_request/{request_id}", subject_client_id=principal.id)\n', "",
      ("tests/api/test_paperwork_checks.py",)),
    M("a client's form list not audited", "chalicelib/services/paperwork/filling.py",
      '    audit.record(principal, "forms.list", f"client/{principal.id}", subject_client_id=principal.id)\n', "",
      ("tests/api/test_paperwork_checks.py",)),
    M("a staff form list not audited", "chalicelib/services/paperwork/sending.py",
      '    audit.record(principal, "forms.list", f"client/{client_id}", subject_client_id=client_id)\n', "",
      ("tests/api/test_paperwork_checks.py",)),
    M("a form may wait twice", "chalicelib/services/paperwork/sending.py",
      'tx.save(claim, condition=OpenRequestClaim.pk.does_not_exist(), label="waiting")', 'tx.save(claim, label="waiting")',
      ("tests/e2e/test_races.py",)),
    M("signing without consent", "chalicelib/services/paperwork/signing.py", "    if request.consent is None:", "    if False:",
      ("tests/api/test_paperwork_journey.py",)),
    M("reminders ignore the intake switch", "chalicelib/services/paperwork/reminders.py",
      "or not practice.switched_on(Feature.INTAKE_FORMS):", "or False:", ("tests/api/test_paperwork_checks.py",)),
    M("reminders without a cap", "chalicelib/services/paperwork/reminders.py",
      "    done = int(request.reminders_sent or 0) + 1 >= MAX_REMINDERS", "    done = False", ("tests/api/test_paperwork_checks.py",)),
    # ------------------------------------------------------------------------------------------------ invariants
    M("one email, many portal accounts", "chalicelib/services/client_invitations.py",
      "        condition=EmailClaim.pk.does_not_exist() | (EmailClaim.account_id == client.id),", "        condition=None,",
      ("tests/api/test_client_invitations.py",)),
    M("the last administrator can be demoted", "chalicelib/services/staff.py",
      "        if not promoted:\n            org_condition = org_condition & (OrganizationCounters.administrator_count > 1)",
      "        if False:\n            pass", ("tests/api/test_staff.py",)),
    M("cursors not authenticated", "chalicelib/tables/cursors.py",
      " or not hmac.compare_digest(parts[2], _tag(parts[1], caller)):", ":", ("tests/unit/test_cursors_and_csv.py", "tests/api/test_hardening.py")),
    M("cursors not bound to the partition", "chalicelib/tables/cursors.py",
      '    if any(key.get(name) != {"S": value} for name, value in expected.items()):', "    if False:",
      ("tests/unit/test_cursors_and_csv.py",)),
    M("broken strings accepted", "chalicelib/handlers/api.py", "    check_strings(data)\n", "", ("tests/api/test_hardening.py",)),
    M("a webhook event processed twice", "chalicelib/handlers/api.py",
      'tx.save(item, condition=ProcessedEvent.pk.does_not_exist(), label="event")', 'tx.save(item, label="event")',
      ("tests/api/test_webhook_kind.py",)),
    # ---------------------------------------------------------------------------------------- uploads and mail
    M("uploads not checked by their bytes", "chalicelib/services/uploads.py",
      " or seen.sniffed_type != record.declared_type:", ":", ("tests/api/test_uploads.py",)),
    M("anyone's upload may be used", "chalicelib/services/uploads.py",
      "    if record is None or record.owner_id != principal.id or record.purpose != purpose.name:", "    if record is None:",
      ("tests/api/test_uploads.py",)),
    M("mail not re-checked at delivery", "chalicelib/services/outbox.py",
      "    if to is None or (recheck and item.recheck and not _call(item.recheck)):", "    if to is None:", ("tests/api/test_outbox.py",)),
    M("two workers may send one mail", "chalicelib/services/outbox.py",
      "            condition=(OutboxItem.status == \"pending\") & OutboxItem.due_at.exists() & lease_free,",
      "            condition=OutboxItem.due_at.exists(),", ("tests/api/test_outbox.py",)),
    # --------------------------------------------------------------------- branding, reader's zone, forms flow
    M("branding: an accent colour too light to read", "chalicelib/services/branding.py",
      "    if worst < MINIMUM_CONTRAST:", "    if False:", ("tests/unit/test_contrast.py", "tests/api/test_branding.py")),
    M("branding: a refused accent colour not audited", "chalicelib/services/organizations.py",
      '            audit.record(principal, "settings.update", f"organization/{principal.org_id}#accent_color", outcome="failure")\n',
      "", ("tests/api/test_branding.py",)),
    M("branding: a refused logo not audited", "chalicelib/services/branding.py",
      '        audit.record(principal, "branding.logo", f"upload/{upload_id}", outcome="failure")\n', "",
      ("tests/api/test_branding.py",)),
    M("branding: any image type as the logo", "chalicelib/services/uploads.py",
      'LOGO = Purpose("practice_logo", frozenset({"image/png", "image/jpeg"}),',
      'LOGO = Purpose("practice_logo", frozenset({"image/png", "image/jpeg", "image/svg+xml"}),', ("tests/api/test_branding.py",)),
    M("zone: a client's change not audited", "chalicelib/services/client_account.py",
      '        tx.save(audit.event(principal, "account.time_zone", f"client/{principal.id}", subject_client_id=principal.id))\n', "",
      ("tests/api/test_reader_time_zone.py",)),
    M("zone: a client's change leaves staff edit forms fresh", "chalicelib/services/client_account.py",
      "actions=[ClientPreferences.time_zone.set(zone), ClientPreferences.version.add(1)],",
      "actions=[ClientPreferences.time_zone.set(zone)],", ("tests/api/test_reader_time_zone.py",)),
    M("forms: a drawn signature not checked", "chalicelib/services/paperwork/signing.py",
      "    if signature.drawn is not None:\n        check_drawn(signature.drawn)", "    if False:\n        check_drawn(signature.drawn)",
      ("tests/api/test_forms_flow.py",)),
    M("forms: a copy is active at once", "chalicelib/services/forms.py",
      'status="draft" if copy_of is not None else "active",', 'status="active",', ("tests/api/test_forms_flow.py",)),
    # ------------------------------------------------------------------------------------------- second factors
    M("mfa: waiting sessions reach every route", "chalicelib/auth/guards.py",
      "    if stage in STAGES_ADMITTED.get(access, frozenset({Stage.COMPLETE})):\n        return",
      "    if True:\n        return", (SECOND_FACTOR_SESSIONS,)),
    M("mfa: a waiting session's refusal not audited", "chalicelib/auth/guards.py",
      '        audit.record(found.principal, "request.second_factor_required", route, outcome="denied")\n', "", (SECOND_FACTOR_SESSIONS,)),
    M("mfa: a password-only session may add a factor", "chalicelib/auth/guards.py",
      "    Access.SETTING_UP_FACTOR: frozenset({Stage.COMPLETE, Stage.SET_UP}),",
      "    Access.SETTING_UP_FACTOR: frozenset(Stage),", (SECOND_FACTOR_SESSIONS,)),
    M("mfa: clients set up a factor where it is not offered", "chalicelib/services/second_factor/common.py",
      "    if not found.second_factor.offered:", "    if False:", (SECOND_FACTOR_SESSIONS,)),
    M("mfa: a code accepted twice", "chalicelib/services/second_factor/authenticators.py",
      "condition=Authenticator.last_step < step,", "condition=Authenticator.pk.exists(),", (CODES, "tests/unit/test_totp.py"),
      also=(("chalicelib/auth/totp.py", "        if step > last_step and hmac", "        if hmac"),)),
    M("mfa: second-factor attempts not limited", "chalicelib/services/second_factor/common.py",
      "        throttling.reserve(counters, TOO_MANY)", "        pass", (CODES,)),
    M("mfa: the last factor removable where required", "chalicelib/services/second_factor/common.py",
      "    if status.required and status.factors.count <= 1:", "    if False:", (CODES,)),
    M("mfa: a factor change keeps the other sessions", "chalicelib/services/second_factor/common.py",
      "    return [revoke_all(), Login.second_factor_reset.remove()]", "    return [Login.second_factor_reset.remove()]", (CODES,),
      also=(("chalicelib/services/second_factor/common.py", "    new_epoch = int(found.account.session_epoch or 0) + 1",
             "    new_epoch = int(found.account.session_epoch or 0)"),)),
    M("mfa: no step-up", "chalicelib/services/second_factor/common.py",
      "    if recently_proven(principal.factor_verified_at):\n        return", "    if True:\n        return",
      (SECOND_FACTOR_SESSIONS, RECOVERY_AND_RESETS)),
    M("mfa: a passkey challenge used twice", "chalicelib/services/second_factor/passkeys.py",
      "    if challenge.used_at is not None or challenge.expires_at <= now:", "    if False:", (PASSKEYS,),
      also=(("chalicelib/services/second_factor/passkeys.py",
             "        condition=PasskeyChallenge.used_at.does_not_exist() & (PasskeyChallenge.expires_at > now),",
             "        condition=PasskeyChallenge.pk.exists(),"),)),
    M("mfa: another session's passkey challenge", "chalicelib/services/second_factor/passkeys.py",
      "        if live.account_id != account.id or live.session_hash != found.session_hash or item is None:",
      "        if item is None:", (PASSKEYS,)),
    M("mfa: passkey sign-in without user verification", "chalicelib/services/second_factor/passkeys.py",
      "            require_verification=True,\n", "            require_verification=False,\n", (PASSKEYS,)),
    M("mfa: any recovery code accepted", "chalicelib/services/second_factor/recovery.py",
      'tx.delete(key, condition=RecoveryCode.pk.exists(), label="code")', 'tx.delete(key, label="code")', (RECOVERY_AND_RESETS,)),
    M("mfa: a reset reaches another practice", "chalicelib/services/second_factor/resets.py",
      "            condition=Login.pk.exists() & Login.role.exists(),", "            condition=None,", (RECOVERY_AND_RESETS,)),
    # ------------------------------------------------------------------------------------------------ dashboards
    M("dash: a dashboard names clients the viewer may no longer see", "chalicelib/services/dashboard.py",
      "if client is not None and may_see(principal, client)}", "if client is not None}", (DASHBOARDS,)),
    M("dash: the worklist is read unaudited", "chalicelib/services/dashboard.py",
      '    audit.record(principal, "dashboard.worklist", "dashboard/worklist")\n', "", (DASHBOARDS,)),
    M("dash: paperwork shows while intake forms are off", "chalicelib/services/dashboard.py",
      "    if intake and waiting:", "    if waiting:", (DASHBOARDS,)),
    M("dash: the last signature leaves the list whatever was signed meanwhile", "chalicelib/services/worklist.py",
      "        condition=_version_is(client.version) & _counter_is(client.forms_open),",
      "        condition=_version_is(client.version),", (DASHBOARDS,)),
    M("dash: a reassigned client stays on the old therapist's list", "chalicelib/services/worklist.py",
      "    unlist_client(tx, client.org_id, client.id, sorted(before - after))\n", "", (DASHBOARDS,)),
    M("dash: an accepted invitation stays on the lists", "chalicelib/services/authentication.py",
      "        settled = worklist.invitation_accepted(tx, member)", "        settled = None", (DASHBOARDS,)),
)  # fmt: skip


def check(mutations: list[Mutation]) -> None:
    """Every snippet occurs exactly once where it is said to be (before anything is changed)."""
    for mutation in mutations:
        for path, original, _ in mutation.edits:
            found = (ROOT / path).read_text(encoding="utf-8").count(original)
            if found != 1:
                raise SystemExit(f"{mutation.name}: the snippet must occur exactly once in {path} (found {found})")


def run(mutation: Mutation) -> tuple[bool, float]:
    """Apply, test, restore. True when the tests noticed (failed)."""
    originals = {path: (ROOT / path).read_text(encoding="utf-8") for path, _, _ in mutation.edits}
    started = time.perf_counter()
    for path, original, mutant in mutation.edits:
        target = ROOT / path
        target.write_text(target.read_text(encoding="utf-8").replace(original, mutant), encoding="utf-8")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *mutation.tests],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        for path, source in originals.items():
            (ROOT / path).write_text(source, encoding="utf-8")
    return result.returncode != 0, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", help="run only mutations whose name contains this (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if not args.only or any(part in m.name for part in args.only)]
    if args.list:
        print("\n".join(f"{m.name}  ({m.path})" for m in chosen))
        return 0
    check(chosen)
    survivors = []
    for mutation in chosen:
        noticed, seconds = run(mutation)
        print(f"{'caught  ' if noticed else 'SURVIVED'}  {seconds:5.1f} s  {mutation.name}", flush=True)
        if not noticed:
            survivors.append(mutation.name)
    print(f"\n{len(chosen) - len(survivors)} of {len(chosen)} deleted checks were caught by a failing test.")
    for name in survivors:
        print(f"  not caught: {name}")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
