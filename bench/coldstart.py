"""Cold start: what a fresh interpreter pays to import ``app``, compared with chalice + pynamodb alone.

Every figure comes from a fresh subprocess, so nothing is already in ``sys.modules``. The app and the baseline are
run alternately (app, baseline, app, ...) after one discarded warm-up pair, so disk cache and CPU frequency
affect both alike. Only the import is timed, not interpreter start-up.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.report import Verdict, heading, ms, table

HEAVY = ("stripe", "fpdf", "PIL", "jinja2", "argon2", "boto3")
RATIO_BUDGET = 1.3
MARKER = "BENCH-RESULT "

_PROBE = f"""
def _report(**values):
    values["modules"] = len(sys.modules)
    values["heavy"] = [name for name in {HEAVY!r} if name in sys.modules]
    import json
    print({MARKER!r} + json.dumps(values))
"""

BARE = "import sys\n" + _PROBE + "_report()\n"

IMPORT_APP = "import sys, time\n" + _PROBE + "started = time.perf_counter()\nimport app\n_report(seconds=time.perf_counter() - started)\n"

IMPORT_BASELINE = (
    "import sys, time\n"
    + _PROBE
    + "started = time.perf_counter()\nimport chalice, pynamodb.models\n_report(seconds=time.perf_counter() - started)\n"
)

# What Lambda does on a cold start: import the handler module, then invoke app(event, context) once.
FIRST_REQUEST_LAMBDA = (
    "import sys, time\n"
    + _PROBE
    + """
started = time.perf_counter()
import app
imported = time.perf_counter()

class LambdaContext:
    aws_request_id = "bench-cold-start"
    function_name = "client-portal-bench"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:client-portal-bench"

    def get_remaining_time_in_millis(self):
        return 30000

event = {
    "requestContext": {
        "httpMethod": "GET",
        "resourcePath": "/api/health",
        "path": "/api/health",
        "requestId": "bench-cold-start",
        "identity": {"sourceIp": "127.0.0.1"},
    },
    "headers": {"user-agent": "bench"},
    "pathParameters": {},
    "stageVariables": {},
    "multiValueQueryStringParameters": None,
    "body": None,
    "isBase64Encoded": False,
}
response = app.app(event, LambdaContext())
done = time.perf_counter()
_report(import_seconds=imported - started, request_seconds=done - imported, status=response["statusCode"])
"""
)

# The same first request through chalice.test.Client. Building the Client imports chalice.local, which imports
# botocore among ~460 other modules, so the request alone looks cheaper than it is on Lambda.
FIRST_REQUEST_CLIENT = (
    "import sys, time\n"
    + _PROBE
    + """
started = time.perf_counter()
import app
imported = time.perf_counter()
from chalice.test import Client
client = Client(app.app)
ready = time.perf_counter()
response = client.http.get("/api/health", headers={"user-agent": "bench"})
done = time.perf_counter()
_report(import_seconds=imported - started, harness_seconds=ready - imported, request_seconds=done - ready,
        status=response.status_code)
"""
)


# A deployed stage inside Lambda: tracing (X-Ray through powertools, patching botocore) and EMF metrics are on.
# The trace id gives the X-Ray SDK the facade segment Lambda would; its UDP emitter sends to nobody.
LAMBDA_ENV = {
    "PORTAL_STAGE": "bench",
    "AWS_LAMBDA_FUNCTION_NAME": "client-portal-bench",
    "AWS_REGION": "us-east-1",
    "_X_AMZN_TRACE_ID": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
}
LOCAL_ENV = {"PORTAL_STAGE": "local"}
_CLEARED = ("PORTAL_STAGE", "AWS_LAMBDA_FUNCTION_NAME", "LAMBDA_TASK_ROOT", "_X_AMZN_TRACE_ID")


def run_probe(code: str, root: Path, env: dict[str, str] | None = None) -> dict[str, object]:
    environment = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    environment.update(env or {})
    if "AWS_LAMBDA_FUNCTION_NAME" in environment:
        environment["LAMBDA_TASK_ROOT"] = str(root)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    for line in result.stdout.splitlines():
        if line.startswith(MARKER):
            values: dict[str, object] = json.loads(line[len(MARKER) :])
            return values
    raise RuntimeError(f"probe failed (exit {result.returncode}): {result.stderr.strip()[-2000:]}")


def _seconds(values: dict[str, object], key: str) -> float:
    value = values[key]
    assert isinstance(value, float | int)
    return float(value)


def _modules(values: dict[str, object]) -> int:
    value = values["modules"]
    assert isinstance(value, int)
    return value


def _heavy(values: dict[str, object]) -> list[str]:
    value = values["heavy"]
    assert isinstance(value, list)
    return [str(name) for name in value]


@dataclass(frozen=True)
class Timing:
    samples: list[float]

    @property
    def minimum(self) -> float:
        return min(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


def measure(root: Path, runs: int, first_request_runs: int) -> tuple[str, list[Verdict]]:
    bare = run_probe(BARE, root)
    run_probe(IMPORT_APP, root)  # warm-up pair: byte-code compiled, files in the page cache
    run_probe(IMPORT_BASELINE, root)
    app_runs: list[dict[str, object]] = []
    base_runs: list[dict[str, object]] = []
    for _ in range(runs):
        app_runs.append(run_probe(IMPORT_APP, root))
        base_runs.append(run_probe(IMPORT_BASELINE, root))
    app = Timing([_seconds(r, "seconds") for r in app_runs])
    base = Timing([_seconds(r, "seconds") for r in base_runs])
    ratio = app.median / base.median
    heavy = sorted({name for r in app_runs for name in _heavy(r)})
    bare_modules = _modules(bare)
    app_modules = _modules(app_runs[-1])
    base_modules = _modules(base_runs[-1])

    lambda_runs = [run_probe(FIRST_REQUEST_LAMBDA, root, LAMBDA_ENV) for _ in range(first_request_runs)]
    local_runs = [run_probe(FIRST_REQUEST_LAMBDA, root, LOCAL_ENV) for _ in range(first_request_runs)]
    client_runs = [run_probe(FIRST_REQUEST_CLIENT, root, LOCAL_ENV) for _ in range(first_request_runs)]
    lambda_total = Timing([_seconds(r, "import_seconds") + _seconds(r, "request_seconds") for r in lambda_runs])
    lambda_request = Timing([_seconds(r, "request_seconds") for r in lambda_runs])
    local_total = Timing([_seconds(r, "import_seconds") + _seconds(r, "request_seconds") for r in local_runs])
    local_request = Timing([_seconds(r, "request_seconds") for r in local_runs])
    client_request = Timing([_seconds(r, "request_seconds") for r in client_runs])
    client_harness = Timing([_seconds(r, "harness_seconds") for r in client_runs])
    statuses = sorted({str(r["status"]) for r in lambda_runs + local_runs + client_runs})
    after_first = sorted({name for r in lambda_runs + local_runs for name in _heavy(r)})

    rows = [
        ["import chalice + pynamodb.models (baseline)", ms(base.minimum), ms(base.median), str(base_modules)],
        ["import app", ms(app.minimum), ms(app.median), str(app_modules)],
        ["import app + first GET /api/health in Lambda, deployed stage **", ms(lambda_total.minimum), ms(lambda_total.median),
         str(_modules(lambda_runs[-1]))],
        ["  of which the first request", ms(lambda_request.minimum), ms(lambda_request.median), ""],
        ["import app + first GET /api/health, local stage (no tracing)", ms(local_total.minimum), ms(local_total.median),
         str(_modules(local_runs[-1]))],
        ["  of which the first request", ms(local_request.minimum), ms(local_request.median), ""],
        ["first GET /api/health through chalice.test.Client *", ms(client_request.minimum), ms(client_request.median), ""],
    ]  # fmt: skip
    lines = [
        heading("1. Cold start"),
        f"{runs} fresh interpreters each for the two imports (alternating, after one discarded warm-up pair);",
        f"{first_request_runs} each for the first-request rows. A bare interpreter holds {bare_modules} modules.",
        "",
        table(["what", "min", "median", "sys.modules"], rows, right=(1, 2, 3)),
        "",
        f"ratio of medians, import app / baseline: {ratio:.2f}x (budget <= {RATIO_BUDGET}x)",
        f"import app loads {app_modules - bare_modules} modules beyond a bare interpreter (baseline: {base_modules - bare_modules})",
        f"heavy modules in sys.modules after import app: {', '.join(heavy) if heavy else 'none'} (checked: {', '.join(HEAVY)})",
        f"heavy modules after the first GET /api/health: {', '.join(after_first) or 'none'}; status codes seen: {', '.join(statuses)}",
        "** app(event, context) with an API Gateway proxy event, in a Lambda-like environment (stage 'bench', function",
        "   name and X-Ray trace id set): the powertools tracer patches botocore and EMF metrics are flushed.",
        f"* building the Client takes {ms(client_harness.median)} (it imports chalice.local and botocore) and the local",
        "  gateway adds its own work to each request: a figure for tests, not for Lambda. Compare the Lambda-style rows.",
    ]
    verdicts = [
        Verdict("cold start: import app <= 1.3x chalice + pynamodb", ratio <= RATIO_BUDGET, f"{ratio:.2f}x"),
        Verdict(
            "cold start: no stripe/fpdf/PIL/jinja2/argon2/boto3 after import app",
            not heavy,
            ", ".join(heavy) if heavy else "none loaded",
        ),
    ]
    return "\n".join(lines), verdicts
