"""Time to render each standard form's signed PDF (a complete, realistic answer set, certificate page included)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from bench.report import Verdict, heading, ms, table

RUNS = 30


def _answers(definition: Any) -> dict[str, Any]:
    """Every question answered, as a thorough client would (long texts included)."""
    answers: dict[str, Any] = {}
    for spec in definition.fields:
        if spec.type in {"heading", "static_text", "signature"}:
            continue
        if spec.type in {"single_choice"}:
            answers[spec.id] = spec.options[0]
        elif spec.type == "multiple_choice":
            answers[spec.id] = spec.options[:3]
        elif spec.type == "yes_no":
            answers[spec.id] = True
        elif spec.type == "date":
            answers[spec.id] = "1990-04-12"
        elif spec.type == "long_text":
            answers[spec.id] = "A considered answer with some detail. " * 12
        else:
            answers[spec.id] = "Jordan Lee"
    return answers


def measure(root: Path) -> tuple[str, list[Verdict]]:
    from chalicelib.forms.standard import STANDARD_FORMS
    from chalicelib.services.form_definitions import parse_definition
    from chalicelib.services.signed_pdf import render_signed_form

    rows = []
    for form in STANDARD_FORMS:
        definition = parse_definition({k: v for k, v in form.items() if k != "id"})
        record = {
            "form": {"id": form["id"], "version": 1, "title": definition.title},
            "fields": [spec.model_dump(mode="json", exclude_none=True) for spec in definition.fields],
            "answers": _answers(definition),
            "signer": {"typed_name": "Jordan A. Lee", "account_email": "jordan@example.test"},
            "attestation": "I sign electronically.",
            "signed_at": "2026-11-23T09:00:00.000000Z",
            "practice": "Demo Practice",
            "request_id": "req_bench",
            "viewed_at": "2026-11-23T08:50:00.000000Z",
            "consent": {
                "disclosure_version": "esign-2026-11",
                "at": "2026-11-23T08:58:00.000000Z",
                "ip": "203.0.113.9",
                "user_agent": "UA",
            },
            "signature": {"ip": "203.0.113.9", "user_agent": "UA"},
            "content_sha256": "0" * 64,
        }
        timings = []
        pdf = b""
        for _ in range(RUNS):
            started = time.perf_counter()
            pdf = render_signed_form(record)
            timings.append(time.perf_counter() - started)
        rows.append([definition.title, ms(min(timings)), ms(statistics.median(timings)), f"{len(pdf) / 1000:.1f} KB"])
    text = "\n".join(
        [
            heading("5. Signed PDF rendering"),
            f"render_signed_form for each standard form, every question answered, {RUNS} runs each (no PDF library: see",
            "docs/decisions.md); the output is deterministic, so every run produced the same bytes.",
            "",
            table(["form", "min", "median", "size"], rows, right=(1, 2, 3)),
        ]
    )
    return text, []
