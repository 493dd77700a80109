from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scripts.openapi import document_text

COMMITTED = Path(__file__).resolve().parents[2] / "frontend" / "openapi.json"


def _changed(committed: dict[str, Any], live: dict[str, Any]) -> list[str]:
    """Routes and schemas that differ, so the failure says where the contract moved."""
    changes = []
    for section, old, new in (
        ("path", committed.get("paths", {}), live["paths"]),
        ("schema", committed.get("components", {}).get("schemas", {}), live["components"]["schemas"]),
    ):
        changes += [f"{section} {name}" for name in sorted(set(old) | set(new)) if old.get(name) != new.get(name)]
    return changes


def test_the_frontends_openapi_snapshot_is_the_apis_document() -> None:
    # Given the document the API serves at /api/openapi.json
    live = document_text()

    # When it is compared with frontend/openapi.json, which the frontend generates its types from
    committed = COMMITTED.read_text() if COMMITTED.exists() else "{}"

    # Then they are the same, byte for byte
    changed = [] if committed == live else _changed(json.loads(committed), json.loads(live)) or ["formatting"]
    assert not changed, (
        "frontend/openapi.json is stale. Run `make openapi`, then `cd frontend && npm run build` (the TypeScript "
        f"check shows which screens the change breaks), and commit both. Changed: {', '.join(changed[:20])}"
    )
