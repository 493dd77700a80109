"""The route map: every API route and the handler module that serves it.

This is all a cold start loads. A handler module — with pydantic, the services and the tables it needs — is
imported the first time one of its routes is called. tests/unit/test_routes.py checks this map against the
``@endpoint`` declarations in the handler modules, so the two cannot drift.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chalice.app import Chalice, Response

ROUTE_MAP: tuple[tuple[str, str, str], ...] = (
    ("GET", "/api/health", "system"),
    ("GET", "/api/openapi.json", "system"),
    ("POST", "/api/organizations", "organizations"),
    ("GET", "/api/orgs/{slug}", "organizations"),
    ("GET", "/api/organization/settings", "organizations"),
    ("PATCH", "/api/organization/settings", "organizations"),
    ("POST", "/api/orgs/{slug}/sign-in", "sessions"),
    ("POST", "/api/orgs/{slug}/password-reset", "sessions"),
    ("POST", "/api/password-tokens/inspect", "sessions"),
    ("POST", "/api/password-tokens/redeem", "sessions"),
    ("GET", "/api/session", "sessions"),
    ("POST", "/api/session/keepalive", "sessions"),
    ("DELETE", "/api/session", "sessions"),
    ("POST", "/api/account/password", "sessions"),
    ("GET", "/api/staff", "staff"),
    ("POST", "/api/staff", "staff"),
    ("GET", "/api/staff/{staff_id}", "staff"),
    ("PATCH", "/api/staff/{staff_id}", "staff"),
    ("POST", "/api/staff/{staff_id}/deactivate", "staff"),
    ("POST", "/api/staff/{staff_id}/reactivate", "staff"),
    ("POST", "/api/staff/{staff_id}/invitation", "staff"),
    ("GET", "/api/subscription", "subscription"),
    ("PUT", "/api/subscription/seats/{staff_id}", "subscription"),
    ("DELETE", "/api/subscription/seats/{staff_id}", "subscription"),
    ("GET", "/api/entitlements", "subscription"),
    ("GET", "/api/audit", "audit"),
    ("GET", "/api/audit/export", "audit"),
    ("GET", "/api/clients", "clients"),
    ("POST", "/api/clients", "clients"),
    ("POST", "/api/clients/search", "clients"),
    ("GET", "/api/clients/{client_id}", "clients"),
    ("PATCH", "/api/clients/{client_id}", "clients"),
    ("POST", "/api/clients/{client_id}/invitation", "clients"),
    ("POST", "/api/clients/{client_id}/portal-access/disable", "clients"),
    ("POST", "/api/clients/{client_id}/portal-access/enable", "clients"),
    ("GET", "/api/invitation-templates", "clients"),
    ("POST", "/api/invitation-templates", "clients"),
    ("PATCH", "/api/invitation-templates/{template_id}", "clients"),
    ("DELETE", "/api/invitation-templates/{template_id}", "clients"),
    ("POST", "/api/orgs/{slug}/sign-up", "portal"),
    ("GET", "/api/portal/home", "portal"),
    ("GET", "/api/forms", "forms"),
    ("POST", "/api/forms", "forms"),
    ("GET", "/api/forms/{form_id}", "forms"),
    ("PUT", "/api/forms/{form_id}", "forms"),
    ("POST", "/api/forms/{form_id}/retire", "forms"),
    ("POST", "/api/forms/{form_id}/restore", "forms"),
    ("PUT", "/api/form-order", "forms"),
    ("POST", "/api/clients/{client_id}/form-requests", "forms"),
    ("GET", "/api/clients/{client_id}/form-requests", "forms"),
    ("POST", "/api/clients/{client_id}/form-requests/{request_id}/reminder", "forms"),
    ("GET", "/api/clients/{client_id}/documents", "forms"),
    ("GET", "/api/clients/{client_id}/documents/{request_id}/download", "forms"),
    ("GET", "/api/portal/form-requests", "forms"),
    ("GET", "/api/portal/form-requests/{request_id}", "forms"),
    ("PUT", "/api/portal/form-requests/{request_id}/answers", "forms"),
    ("POST", "/api/portal/form-requests/{request_id}/consent", "forms"),
    ("POST", "/api/portal/form-requests/{request_id}/signature", "forms"),
    ("GET", "/api/portal/documents/{request_id}/download", "forms"),
)

HANDLER_MODULES = tuple(sorted({module for _, _, module in ROUTE_MAP}))


def load_all_handlers() -> None:
    """Import every handler module (OpenAPI generation and the tests need the full registry)."""
    for module in HANDLER_MODULES:
        import_module(f"chalicelib.handlers.{module}")


def register_routes(app: Chalice) -> None:
    for method, path, module in ROUTE_MAP:
        app.route(path, methods=[method], content_types=["*/*"], name=_view_name(method, path))(_lazy_view(app, method, path, module))


def _view_name(method: str, path: str) -> str:
    cleaned = "".join(ch if ch.isalnum() else "_" for ch in path).strip("_")
    return f"{method.lower()}_{cleaned}"


def _lazy_view(app: Chalice, method: str, path: str, module: str) -> Any:
    def view(**params: str) -> Response:
        handler = _resolve(method, path, module)
        response: Response = handler(app.current_request, app.lambda_context, params)
        return response

    view.__name__ = _view_name(method, path)
    return view


_resolved: dict[tuple[str, str], Any] = {}


def _resolve(method: str, path: str, module: str) -> Any:
    key = (method, path)
    if key not in _resolved:
        from chalicelib.config import get_settings
        from chalicelib.tables.base import ensure_bound

        ensure_bound(get_settings())
        router = import_module(f"chalicelib.handlers.{module}").router
        _resolved[key] = router.endpoints[key]
    return _resolved[key]
