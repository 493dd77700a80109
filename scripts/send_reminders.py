"""Run the intake reminder job once against a running local stack (what the hourly schedule does when deployed).

make reminders            # with `make run` running in another terminal
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--moto-port", type=int, default=int(os.environ.get("MOTO_PORT", "5005")))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args(argv)
    for key, value in {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        os.environ.setdefault(key, value)
    from chalicelib.config import settings_from_env, use_settings
    from chalicelib.jobs import send_intake_reminders

    settings = replace(
        settings_from_env(os.environ),
        stage="local",
        aws_endpoint_url=f"http://127.0.0.1:{args.moto_port}",
        public_base_url=f"http://localhost:{args.port}",
    )
    use_settings(settings)
    sent = send_intake_reminders()
    print(f"Sent {sent} reminder(s). They are in the local mailbox.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
