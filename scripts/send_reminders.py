"""Run the reminder jobs (intake paperwork, appointments) once against a running local stack (what the hourly schedule does when deployed).

make reminders            # with `make run` running in another terminal (PORT=… for a stack on another port)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace

from scripts.local_stack import STATE_DIR


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args(argv)
    state = STATE_DIR / f"stack-{args.port}.json"
    if not state.is_file():
        print(f"No local stack is running on port {args.port}: start one with `make run` first.", file=sys.stderr)
        return 2
    moto_url = json.loads(state.read_text(encoding="utf-8"))["moto_url"]
    for key, value in {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        os.environ.setdefault(key, value)
    from chalicelib.config import settings_from_env, use_settings
    from chalicelib.jobs import send_appointment_reminders, send_intake_reminders

    settings = replace(
        settings_from_env(os.environ), stage="local", aws_endpoint_url=moto_url, public_base_url=f"http://localhost:{args.port}"
    )
    use_settings(settings)
    sent = send_intake_reminders() + send_appointment_reminders()
    print(f"Queued {sent} reminder(s); the stack's mail worker delivers them to the local mailbox within seconds.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
