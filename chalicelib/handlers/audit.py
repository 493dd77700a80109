"""The audit log (administrators): list newest first, readable (names and sentences resolved for the reader), filter
by person, client and dates, export as CSV."""

from __future__ import annotations

from datetime import date

from chalice.app import Response
from pydantic import Field

from chalicelib.auth.principals import StaffPrincipal
from chalicelib.domain.practice import ReadableAuditEntry
from chalicelib.handlers.api import Access, Router, Strict, View, endpoint
from chalicelib.services import audit_log

router = Router(__name__)


class AuditQuery(Strict):
    actor: str | None = Field(default=None, max_length=64)
    client: str | None = Field(default=None, max_length=64)
    since: date | None = Field(
        default=None, ge=date(2000, 1, 1), le=date(2999, 12, 31), description="First day shown (the practice's time zone)"
    )
    until: date | None = Field(
        default=None, ge=date(2000, 1, 1), le=date(2999, 12, 31), description="Last day shown (the practice's time zone)"
    )
    cursor: str | None = Field(default=None, max_length=2048)

    def where(self) -> audit_log.AuditFilter:
        return audit_log.AuditFilter(actor_id=self.actor, client_id=self.client, since=self.since, until=self.until)


class AuditEventView(View):
    id: str
    at: str
    actor_id: str
    actor_role: str
    subject_client_id: str | None
    resource: str
    action: str
    outcome: str
    ip: str
    user_agent: str
    request_id: str
    actor_name: str | None
    subject_name: str | None
    summary: str

    @classmethod
    def of(cls, item: ReadableAuditEntry) -> AuditEventView:
        names = {"actor_name": item.actor_name, "subject_name": item.subject_name, "summary": item.summary}
        return cls.model_validate({**item.entry.__dict__, **names})


class AuditPageView(View):
    items: list[AuditEventView]
    next_cursor: str | None


@endpoint(router, "/audit", "GET", access=Access.ADMINISTRATOR, summary="Audit events, newest first", query=AuditQuery,
          response=AuditPageView,
          note="Own practice only; names are looked up for the reader, never stored in events; listing is itself audited.")  # fmt: skip
def list_audit(principal: StaffPrincipal, query: AuditQuery) -> AuditPageView:
    page = audit_log.list_events(principal, query.where(), cursor=query.cursor)
    return AuditPageView(items=[AuditEventView.of(e) for e in page.items], next_cursor=page.next_cursor)


@endpoint(router, "/audit/export", "GET", access=Access.ADMINISTRATOR, summary="Audit events as CSV", query=AuditQuery,
          content_type="text/csv", note="Own practice only; exporting is itself audited.")  # fmt: skip
def export_audit(principal: StaffPrincipal, query: AuditQuery) -> Response:
    body, next_cursor = audit_log.export_csv(principal, query.where(), cursor=query.cursor)
    headers: dict[str, str | list[str]] = {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": 'attachment; filename="audit-log.csv"',
    }
    if next_cursor:
        headers["X-Next-Cursor"] = next_cursor
    return Response(body=body, status_code=200, headers=headers)
