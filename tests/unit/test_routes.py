from __future__ import annotations

import subprocess
import sys

from chalicelib.handlers.api import ROUTES
from chalicelib.routes import ROUTE_MAP, load_all_handlers


def test_route_map_matches_the_endpoint_declarations() -> None:
    # Given every handler module is loaded
    load_all_handlers()
    declared = {(spec.method, spec.path) for spec in ROUTES}

    # Then the cold-start route map names exactly the declared endpoints, each once
    mapped = [(method, path) for method, path, _ in ROUTE_MAP]
    assert len(mapped) == len(set(mapped))
    assert set(mapped) == declared


def test_importing_app_loads_no_heavy_dependency() -> None:
    # A cold start must not pay for these (DESIGN.md performance budgets); each is imported on first use.
    heavy = ("stripe", "fpdf", "PIL", "jinja2", "argon2", "boto3", "pydantic", "webauthn", "pyotp", "segno", "cryptography")
    code = f"import sys, app; print(','.join(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_signed_in_routes_load_no_passkey_or_code_library() -> None:
    # The session, account and staff handlers with botocore loaded (every signed-in request has them) pay for none of
    # the second-factor libraries: py_webauthn's pyOpenSSL would otherwise come in through botocore (chalicelib/__init__)
    code = (
        "import sys, app, botocore.httpsession, chalicelib.handlers.sessions, chalicelib.handlers.staff, "
        "chalicelib.handlers.second_factor; "
        "print(','.join(m for m in ('webauthn', 'pyotp', 'segno', 'cryptography', 'OpenSSL') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
