"""The audit trail in plain language: "Theo Therapist downloaded Jordan Lee's signed Informed Consent for
Psychotherapy". Events hold identifiers only; names and titles are looked up for the reader when the trail is shown
(services/audit_log.py) and put into these phrases — never stored.

Placeholders: ``{whose}`` the subject client's name with "'s" ("their" when the client acted on their own records),
``{client}`` the subject client's name ("themselves"), ``{staff}`` the staff member the event is about, ``{form}`` the
form's title, ``{what}`` the refused route.
"""

from __future__ import annotations

from dataclasses import dataclass

PHRASES: dict[str, str] = {
    # sessions and accounts
    "session.sign_in": "signed in",
    "session.passkey_sign_in": "signed in with a passkey",
    "session.sign_out": "signed out",
    "account.password_change": "changed their password",
    "account.password_reset_request": "asked for a password reset link",
    "account.password_reset_redeem": "set a new password from a reset link",
    "account.client_invite_redeem": "accepted the portal invitation",
    "account.staff_invite_redeem": "accepted the staff invitation",
    "account.time_zone": "chose the time zone their times are shown in",
    "second_factor.verify": "confirmed it was them with a second factor",
    "second_factor.recovery_code_use": "used a recovery code",
    "second_factor.authenticator_set_up_begin": "started setting up an authenticator app",
    "second_factor.authenticator_set_up": "set up an authenticator app",
    "second_factor.authenticator_remove": "removed their authenticator app",
    "second_factor.passkey_register": "added a passkey",
    "second_factor.passkey_rename": "renamed a passkey",
    "second_factor.passkey_remove": "removed a passkey",
    "second_factor.recovery_codes_issue": "made new recovery codes",
    "second_factor.reset": "reset the second factor of {subject}",
    # the practice
    "organization.create": "created the practice",
    "settings.update": "changed the portal settings",
    "staff.invite": "invited {staff} to the staff",
    "staff.invitation_resend": "sent {staff}'s staff invitation again",
    "staff.update": "changed {staff}'s role or permissions",
    "staff.deactivate": "deactivated {staff}",
    "staff.reactivate": "reactivated {staff}",
    "subscription.seat_add": "gave {staff} a portal seat",
    "subscription.seat_remove": "took {staff}'s portal seat away",
    "audit.list": "read the audit log",
    "audit.export": "exported the audit log",
    "payments.connect": "connected the practice's Stripe account",
    "branding.logo": "changed the practice's logo",
    "branding.logo_remove": "removed the practice's logo",
    # clients
    "client.create": "added {client} as a client",
    "client.read": "opened {whose} record",
    "client.update": "changed {whose} record",
    "client.list": "listed clients",
    "client.invite": "invited {client} to the portal",
    "client.self_sign_up": "signed up for the portal",
    "client.portal_disable": "disabled {whose} portal access",
    "client.portal_enable": "enabled {whose} portal access",
    "invitation_template.create": "saved an invitation message",
    "invitation_template.update": "changed a saved invitation message",
    "invitation_template.delete": "deleted a saved invitation message",
    "portal.home": "opened {whose} portal home",
    "dashboard.worklist": "looked at the clients needing attention",
    "dashboard.signed": "looked at the newly signed documents",
    # intake forms and paperwork
    "form.create": "created the form {form}",
    "form.update": "edited the form {form}",
    "form.retire": "retired the form {form}",
    "form.restore": "restored the form {form}",
    "form.activate": "made the form {form} available to send",
    "form.reorder": "reordered the intake forms",
    "forms.send": "sent forms to {client}",
    "forms.list": "looked at {whose} paperwork",
    "forms.open": "opened {whose} {form}",
    "forms.save": "saved answers to {whose} {form}",
    "forms.esign_consent": "agreed to sign {whose} {form} electronically",
    "forms.sign": "signed {whose} {form}",
    "forms.resend": "reminded {client} of {form}",
    "forms.remind": "was reminded of {form}",
    "documents.list": "looked at {whose} signed documents",
    "documents.download": "downloaded {whose} signed {form}",
    # scheduling
    "appointment.calendar": "looked at their calendar",
    "appointment.requests": "looked at their booking requests",
    "appointment.day": "looked at today's appointments",
    "appointment.list": "looked at {whose} appointments",
    "appointment.calendar_file": "downloaded a calendar file of {whose} appointment",
    "appointment.book": "booked an appointment for {client}",
    "appointment.create": "made an appointment for {client}",
    "appointment.confirm": "confirmed {whose} appointment",
    "appointment.declined": "declined {whose} booking request",
    "appointment.cancelled": "cancelled {whose} appointment",
    "appointment.late_cancelled": "marked {whose} appointment late-cancelled",
    "appointment.attended": "marked {whose} appointment attended",
    "appointment.no_show": "marked {whose} appointment a no-show",
    "appointment.cancel": "cancelled {whose} appointment",
    "appointment.move": "moved {whose} appointment",
    "appointment.reschedule": "rescheduled {whose} appointment",
    "appointment.remind": "was reminded of an appointment",
    "scheduling.settings_update": "changed their booking settings",
    "scheduling.therapists": "looked at who {client} may book with",
    "calendar_feed.issue": "made a new calendar feed address",
    "calendar_feed.revoke": "turned their calendar feed off",
    "calendar_feed.read": "had their calendar feed read",
    "waitlist.join": "joined a waitlist",
    "waitlist.leave": "left a waitlist",
    "waitlist.list": "looked at {whose} waitlist",
    "waitlist.claim": "took a freed time from the waitlist",
    # messaging
    "messages.inbox": "looked at their inbox",
    "messages.read": "read {whose} messages",
    "messages.send": "sent a message in {whose} conversation",
    "messages.auto_reply": "sent an after-hours auto-reply to {client}",
    "messages.attachment_download": "opened an attachment in {whose} conversation",
    "messages.mass_start": "started a mass message",
    "messages.office_hours": "changed their after-hours auto-reply",
    # payments
    "invoices.create": "drafted an invoice for {client}",
    "invoices.issue": "issued an invoice to {client}",
    "invoices.void": "voided an invoice of {whose}",
    "invoices.list": "looked at {whose} invoices",
    "invoices.list_open": "looked at the open invoices",
    "invoices.read": "opened an invoice of {whose}",
    "invoices.download": "downloaded an invoice of {whose}",
    "clients.email_check": "checked whether an email is already in use",
    "invoices.billable_appointments": "looked at {whose} appointments still to bill",
    "payments.card_setup": "started paying an invoice by card",
    "payments.start": "paid an invoice by card",
    "payments.succeeded": "had a card payment go through",
    "payments.failed": "had a card payment declined",
    "payments.abandoned": "had an unfinished card payment cancelled",
    "payments.forget_card": "removed their saved card",
    "payments.list_recent": "looked at recent payments",
    "payments.refund_start": "started a refund to {client}",
    "payments.refund": "refunded {client}",
    # refusals (the route is named, never a value)
    "request.denied": "was refused: {what}",
    "request.csrf_rejected": "was refused (the page was out of date): {what}",
    "request.feature_disabled": "was refused, the feature is off: {what}",
    "request.seat_required": "was refused, no portal seat: {what}",
    "request.second_factor_required": "was refused until they confirm a second factor: {what}",
    "request.second_factor_set_up_required": "was refused until they set up a second factor: {what}",
    "request.step_up_required": "was asked to confirm it was them again: {what}",
}

OUTCOMES = {"failure": " — failed", "denied": " — refused"}


@dataclass(frozen=True)
class Names:
    """What the reader may see of the ids an event holds: people's names and forms' titles, looked up just now."""

    actor: str
    client: str | None  # the subject client's name
    staff: str | None  # the staff member a ``staff/…`` resource names
    form: str | None  # the title of a ``form/…`` or ``form_request/…`` resource
    subject: str | None  # whoever a ``client/…`` or ``staff/…`` resource names (second-factor resets)


def describe(action: str, actor_id: str, subject_client_id: str | None, resource: str, outcome: str, names: Names) -> str:
    """The event as a sentence, e.g. "Theo Therapist downloaded Jordan Lee's signed Consent form"."""
    own = subject_client_id is not None and subject_client_id == actor_id
    client = names.client or "a client"
    phrase = PHRASES.get(action)
    if phrase is None:
        text = f"{names.actor}: {action} ({resource})"
    else:
        text = f"{names.actor} " + phrase.format(
            whose="their" if own else f"{client}'s",
            client="themselves" if own else client,
            staff=names.staff or "a staff member",
            form=names.form or "form",
            subject=names.subject or "someone",
            what=resource,
        )
    if action.startswith("request."):
        return text
    return text + OUTCOMES.get(outcome, "")
