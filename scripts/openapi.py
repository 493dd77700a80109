"""Print the API's OpenAPI document, as `make openapi` commits it to frontend/openapi.json.

The frontend's TypeScript types are generated from that file when it builds (openapi-typescript), so the
screens compile against the API's real contract. tests/unit/test_openapi_snapshot.py fails when it is stale.
"""

from __future__ import annotations

import json
import sys

from chalicelib.handlers.system import openapi_document


def document_text() -> str:
    """The committed form: sorted keys, two-space indent and a trailing newline, so diffs stay readable."""
    return json.dumps(openapi_document(), sort_keys=True, indent=2) + "\n"


if __name__ == "__main__":
    sys.stdout.write(document_text())
