"""Estimate a practice's monthly AWS bill at 10, 100 and 1,000 active clients (docs/operations.md, "Costs").

    python -m scripts.deploy_costs

The DynamoDB calls of each route are read from the `make bench` table in docs/performance.md; a usage model (how
often an active client, and the staff working with them, call each route in a month) turns them into request units.
Prices are AWS's published us-east-1 list prices as of November 2024 (DynamoDB on-demand after its 1 November 2024
reduction), without the free tier except where it never expires (Lambda, CloudFront, the first 10 alarms); check
them against aws.amazon.com/pricing before quoting.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PERFORMANCE = ROOT / "docs" / "performance.md"

PRICE = {
    "dynamodb_write_unit": 0.625 / 1e6,  # on-demand, per write request unit (item up to 1 KB)
    "dynamodb_read_unit": 0.125 / 1e6,  # on-demand, per read request unit (strongly consistent, up to 4 KB)
    "dynamodb_storage_gb": 0.25 + 0.20,  # storage + point-in-time recovery, per GB-month
    "api_request": 3.50 / 1e6,  # REST API, first 333 million a month
    "lambda_request": 0.20 / 1e6,
    "lambda_gb_second": 0.0000166667,  # x86
    "kms_key": 1.00,  # per customer-managed key per month (two: data, payments)
    "kms_request": 0.03 / 1e4,
    "secret": 0.40,  # per Secrets Manager secret per month (two)
    "alarm": 0.10,  # per standard alarm per month, beyond the 10 free
    "logs_gb": 0.50 + 0.03,  # CloudWatch Logs ingestion + a month of storage
    "ses_mail": 0.10 / 1e3,
    "route53_zone": 0.50,
}

# Request units each kind of call costs, as the routes use them (transactions cost double per item; a Query reads a
# page of a few KB; BatchGet reads a page of list entries; TxGet reads session + account + practice).
UNITS = {
    "Get": (1, 0), "Query": (2, 0), "BatchGet": (10, 0), "TxGet": (6, 0),
    "Update": (0, 1), "Put": (0, 1), "Delete": (0, 1), "TxWrite": (0, 6),
}  # fmt: skip

# How often an active client (and the staff working with them) call each route in a month.
USAGE = {
    "POST /api/orgs/{slug}/sign-in": 6,  # 4 client visits, 2 staff sign-ins attributable to this client
    "GET /api/portal/home": 4,
    "GET /api/portal/form-requests": 2,
    "GET /api/portal/form-requests/{request_id}": 1,
    "PUT /api/portal/form-requests/{request_id}/answers": 2,
    "POST /api/portal/form-requests/{request_id}/signature": 0.5,
    "GET /api/session": 10,
    "POST /api/session/keepalive": 6,
    "GET /api/clients": 6,
    "GET /api/clients/{client_id}": 4,
    "GET /api/clients/{client_id}/form-requests": 2,
    "GET /api/clients/{client_id}/documents/{request_id}/download": 0.5,
    "PATCH /api/clients/{client_id}": 0.5,
    "GET /api/audit": 0.5,
}
MAILS_PER_CLIENT = 5  # invitations, paperwork, reminders (messages and bookings will add more)
LAMBDA_SECONDS_PER_REQUEST = 0.15  # at 1 GB; a cold start adds ~0.25 s to a few of them
LOG_BYTES_PER_REQUEST = 1500  # the API's JSON line, Lambda's START/END/REPORT, the access log line
ALARMS = sum(
    1
    for r in json.loads((ROOT / ".chalice" / "resources.json").read_text())["Resources"].values()
    if r.get("Type") == "AWS::CloudWatch::Alarm"
)
# Fixed activity: the outbox sweep every minute (4 shard queries, ~0.2 s), the hourly reminders, the keys' own use.
SWEEPS_PER_MONTH = 60 * 24 * 30
KMS_REQUESTS_PER_MONTH = 100_000  # tables, logs and secrets re-fetching data keys every few minutes


def route_calls(text: str) -> dict[str, list[str]]:
    """Each route's DynamoDB operations from the bench table ("Update Getx2 TxWrite" → Update, Get, Get, TxWrite)."""
    calls: dict[str, list[str]] = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and re.match(r"^(GET|POST|PUT|PATCH|DELETE) /", cells[0]):
            operations: list[str] = []
            for token in cells[4].split():
                name, _, times = token.partition("x")
                operations += [name] * int(times or 1) if name in UNITS else []
            calls[cells[0]] = operations
    return calls


def monthly(clients: int, calls: dict[str, list[str]]) -> dict[str, float]:
    requests = sum(USAGE.values()) * clients
    reads = writes = 0.0
    for route, per_client in USAGE.items():
        for operation in calls[route]:
            read, write = UNITS[operation]
            reads += read * per_client * clients
            writes += write * per_client * clients
    sweep_reads = SWEEPS_PER_MONTH * 4 * 1
    gb_seconds = requests * LAMBDA_SECONDS_PER_REQUEST + SWEEPS_PER_MONTH * 0.2
    return {
        "DynamoDB requests": (reads + sweep_reads) * PRICE["dynamodb_read_unit"] + writes * PRICE["dynamodb_write_unit"],
        "DynamoDB storage + PITR": max(0.1, clients * 0.0005) * PRICE["dynamodb_storage_gb"],
        "API Gateway": requests * PRICE["api_request"],
        # Lambda's free tier (1M requests, 400,000 GB-seconds a month) never expires and covers all of this.
        "Lambda": max(0.0, gb_seconds - 400_000) * PRICE["lambda_gb_second"],
        "KMS (2 keys)": 2 * PRICE["kms_key"] + KMS_REQUESTS_PER_MONTH * PRICE["kms_request"],
        "Secrets Manager (2)": 2 * PRICE["secret"],
        "CloudWatch alarms and logs": (ALARMS - 10) * PRICE["alarm"]
        + (requests + SWEEPS_PER_MONTH) * LOG_BYTES_PER_REQUEST / 1e9 * PRICE["logs_gb"],
        "SES": clients * MAILS_PER_CLIENT * PRICE["ses_mail"],
        "CloudFront, S3, SQS, SNS": 0.05 + clients * 0.0001,  # within CloudFront's always-free 1 TB / 10 M requests
    }


def main() -> int:
    calls = route_calls(PERFORMANCE.read_text())
    missing = [route for route in USAGE if route not in calls]
    if missing:
        print(f"routes missing from docs/performance.md: {missing}", file=sys.stderr)
        return 1
    scales = (10, 100, 1000)
    rows = {scale: monthly(scale, calls) for scale in scales}
    print("| item | " + " | ".join(f"{s:,} clients" for s in scales) + " |")
    print("|---|" + "---:|" * len(scales))
    for item in rows[scales[0]]:
        print(f"| {item} | " + " | ".join(f"${rows[s][item]:,.2f}" for s in scales) + " |")
    print("| **total a month** | " + " | ".join(f"**${sum(rows[s].values()):,.2f}**" for s in scales) + " |")
    requests = {s: int(sum(USAGE.values()) * s) for s in scales}
    print("\n" + ", ".join(f"{requests[s]:,} API requests a month at {s:,} clients" for s in scales))
    return 0


if __name__ == "__main__":
    sys.exit(main())
