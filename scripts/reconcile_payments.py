"""Compare Stripe with the ledger for one practice, or for every connected practice, and report the differences.

    python -m scripts.reconcile_payments [--org ORG_ID] [--days 30] [--port 8000]

With ``--port`` it reads the local stack `make run` started (its emulator and fake Stripe server); without, the
stage's settings from the environment (a deployed stage: run with that stage's credentials). Exit status 1 when
anything differs, so a schedule can alert on it. A maintenance command: it may scan the organizations table.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from datetime import timedelta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--org", help="one organization id (default: every practice with a Stripe connection)")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--port", type=int, help="the local stack's port (reads .local/stack-PORT.json)")
    args = parser.parse_args(argv)

    import os

    from chalicelib import clock
    from chalicelib.config import settings_from_env, use_settings
    from chalicelib.services.payments.reconciliation import reconcile
    from chalicelib.tables import keys
    from chalicelib.tables.organizations import Organization
    from chalicelib.tables.payments import PaymentsConnection
    from chalicelib.tables.registry import bind_tables

    settings = settings_from_env(os.environ)
    if args.port:
        from scripts.local_stack import STATE_DIR

        state = json.loads((STATE_DIR / f"stack-{args.port}.json").read_text(encoding="utf-8"))
        for key, value in {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"}.items():
            os.environ.setdefault(key, value)
        settings = replace(settings, aws_endpoint_url=state["moto_url"], stripe_api_base=state.get("stripe_url"))
    use_settings(settings)
    bind_tables(settings)
    if args.org:
        orgs = [args.org]
    else:
        orgs = [org.id for org in Organization.scan(Organization.sk == keys.ORGANIZATION_SK)]
        orgs = [o for o in orgs if PaymentsConnection.count(keys.org_pk(o), PaymentsConnection.sk == keys.PAYMENTS_CONNECTION_SK)]
    since = clock.now() - timedelta(days=args.days)
    found = 0
    for org_id in orgs:
        differences = reconcile(org_id, since)
        found += len(differences)
        print(f"{org_id}: {len(differences) or 'no'} difference{'s' if len(differences) != 1 else ''}")
        for difference in differences:
            print(
                f"  {difference.kind}: payment {difference.payment_id or '-'}, intent {difference.intent_id or '-'} ({difference.detail})"
            )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
