"""``python -m bench``: measure the performance budgets of DESIGN.md and print them as plain-text tables.

This is a benchmark, not a test: it never fails on a figure. It exits non-zero only if it could not run.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bench import coldstart, dynamo, first_request, frontend, messaging, package, pdf, slots
from bench.report import Verdict, heading, table

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("cold", "signed-in", "dynamo", "frontend", "package", "pdf", "slots", "messaging")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown memory"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {memory}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
    )


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=15, help="fresh interpreters per import measurement (default 15)")
    parser.add_argument("--first-request-runs", type=int, default=5, help="fresh interpreters per first-request row (default 5)")
    parser.add_argument(
        "--large", type=int, default=1_000, help="staff and clients in the large practice (default 1,000; `make bench-full`: 10,000)"
    )
    parser.add_argument("--no-package", action="store_true", help="skip `chalice package` (it downloads wheels from PyPI)")
    parser.add_argument("--only", choices=SECTIONS, action="append", help="run only this section (repeatable)")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.large < 4:
        raise SystemExit("--large must be at least 4 (three staff members are created through the API)")
    wanted = set(args.only or SECTIONS) - ({"package"} if args.no_package else set())
    sections: list[tuple[str, Callable[[], tuple[str, list[Verdict]]]]] = [
        ("cold", lambda: coldstart.measure(ROOT, args.runs, args.first_request_runs)),
        ("signed-in", lambda: first_request.measure(ROOT, args.first_request_runs * 2)),
        ("dynamo", lambda: dynamo.measure(ROOT, args.large)),
        ("frontend", lambda: frontend.measure(ROOT)),
        ("package", lambda: package.measure(ROOT)),
        ("pdf", lambda: pdf.measure(ROOT)),
        ("slots", lambda: slots.measure(ROOT)),
        ("messaging", lambda: messaging.measure(ROOT)),
    ]
    started = time.perf_counter()
    print(f"make bench: {machine()}")
    verdicts: list[Verdict] = []
    for name, run in sections:
        if name not in wanted:
            continue
        section_started = time.perf_counter()
        text, found = run()
        print(text)
        print(f"({name}: {time.perf_counter() - section_started:.0f} s)", flush=True)
        verdicts.extend(found)
    if "package" not in wanted and not args.only:
        verdicts.append(Verdict("package: chalice package zip <= 25 MB", None, "skipped (--no-package)"))
    print(heading("Verdict"))
    print(table(["budget", "verdict", "figure"], [[v.budget, v.label, v.detail] for v in verdicts]))
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    status = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: freeing the emulator's millions of objects (10,000 staff and their copies) takes
    # about 20 s and measures nothing. Everything worth keeping has been printed and flushed.
    os._exit(status)
