"""Registering the routes with Chalice; handler modules load on a route's first call (cold start).

``route_map.py`` — generated from the ``@endpoint`` declarations by ``make generate`` — is all a cold start loads. A
handler module, with pydantic, the services and the tables it needs, is imported the first time one of its routes is
called. tests/unit/test_routes.py fails if the generated map and the declarations differ.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from chalicelib.route_map import ROUTE_MAP

__all__ = ["HANDLER_MODULES", "ROUTE_MAP", "load_all_handlers", "register_routes"]

if TYPE_CHECKING:
    from chalice.app import Chalice, Response

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
        from chalicelib.tables.registry import ensure_bound

        ensure_bound(get_settings())
        router = import_module(f"chalicelib.handlers.{module}").router
        _resolved[key] = router.endpoints[key]
    return _resolved[key]
