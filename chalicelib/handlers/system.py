"""Health and the OpenAPI document, generated from the route registry and the pydantic models."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from chalice.app import Response
from pydantic import BaseModel

from chalicelib.handlers.api import ROUTES, Access, Router, RouteSpec, View, endpoint

router = Router(__name__)

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


class Health(View):
    status: str


@endpoint(router, "/health", "GET", access=Access.ANYONE, summary="Liveness", response=Health, note="Liveness.")
def health() -> Health:
    return Health(status="ok")


@endpoint(router, "/openapi.json", "GET", access=Access.ANYONE, summary="This API's OpenAPI 3.1 document",
          note="The OpenAPI 3.1 document; each operation carries `x-access` (and `x-feature`).")  # fmt: skip
def openapi() -> Response:
    return Response(body=openapi_json(), status_code=200, headers={"Content-Type": "application/json"})


@lru_cache(maxsize=1)
def openapi_json() -> str:
    return json.dumps(openapi_document(), sort_keys=True)


def openapi_document() -> dict[str, Any]:
    from chalicelib.routes import load_all_handlers

    # Handler modules register their routes when imported, and a cold start imports only the ones it has served.
    load_all_handlers()
    schemas: dict[str, Any] = {"Problem": PROBLEM_SCHEMA}
    paths: dict[str, dict[str, Any]] = {}
    for spec in ROUTES:
        paths.setdefault(spec.path, {})[spec.method.lower()] = _operation(spec, schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Client Portal API", "version": "1.0.0"},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "__Host-portal_session"},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"},
            },
        },
    }


def _ref(model: type[BaseModel], schemas: dict[str, Any]) -> dict[str, str]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        schemas[name] = definition
    schemas[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _operation(spec: RouteSpec, schemas: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": spec.summary,
        "operationId": re.sub(r"[^a-zA-Z0-9]+", "_", f"{spec.method}_{spec.path}").strip("_"),
        "x-access": spec.access.value,
        **({"x-feature": spec.feature.value} if spec.feature else {}),
        "parameters": [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}} for name in re.findall(r"{(\w+)}", spec.path)
        ],
        "responses": _responses(spec, schemas),
    }
    if spec.query:
        for name, field in spec.query.model_fields.items():
            parameter = {"name": name, "in": "query", "required": field.is_required(), "schema": {"type": "string"}}
            operation["parameters"].append(parameter)
    if spec.body:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(spec.body, schemas)}}}
    if spec.access is Access.WEBHOOK:
        operation["security"] = []
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}
    elif spec.access is not Access.ANYONE:
        operation["security"] = [{"session": [], "csrf": []}] if spec.method != "GET" else [{"session": []}]
    return operation


def _responses(spec: RouteSpec, schemas: dict[str, Any]) -> dict[str, Any]:
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    success: dict[str, Any] = {"description": spec.summary}
    if spec.response:
        success["content"] = {spec.content_type: {"schema": _ref(spec.response, schemas)}}
    elif spec.content_type != "application/json":
        success["content"] = {spec.content_type: {"schema": {"type": "string"}}}
    responses: dict[str, Any] = {str(spec.status): success, "default": {"description": "Problem", "content": problem}}
    return responses
