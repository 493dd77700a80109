"""Time to render signed PDFs: each standard form (Latin text, the common case), a form signed with a Chinese name
(two CJK faces), and a form answered in every supported script; plus the one-off import of the PDF libraries that
the first signing in a fresh Lambda instance pays."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.report import Verdict, heading, ms, table

RUNS = 12  # Latin forms: ~0.1 s each
CJK_RUNS = 3  # forms that open the 20 MB CJK collections: ~0.5-1.5 s each
MULTILINGUAL = {
    "Vietnamese": "Nguyễn Thị Minh sống ở Thành phố Hồ Chí Minh.",
    "Greek": "Καλημέρα, ζω στην Αθήνα.",
    "Russian": "Здравствуйте, я живу в Москве.",
    "Arabic": "مرحبا، أعيش في القاهرة.",
    "Hebrew": "שלום, אני גר בתל אביב.",
    "Japanese": "こんにちは、東京都に住んでいます。",
    "Korean": "안녕하세요, 서울에 살고 있습니다.",
    "Chinese": "你好，我住在上海。",
}
IMPORTS = "import time; t = time.perf_counter(); import fpdf, fontTools.subset, uharfbuzz; print(time.perf_counter() - t)"


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


def _record(form_id: str, title: str, fields: list[dict[str, Any]], answers: dict[str, Any], name: str) -> dict[str, Any]:
    return {
        "form": {"id": form_id, "version": 1, "title": title},
        "fields": fields,
        "answers": answers,
        "signer": {"typed_name": name, "account_email": "jordan@example.test"},
        "attestation": "I sign electronically.",
        "signed_at": "2026-11-23T09:00:00.000000Z",
        "practice": "Demo Practice",
        "practice_time_zone": "America/Chicago",
        "client": {"name": name, "date_of_birth": "1990-04-12"},
        "request_id": "req_bench",
        "viewed_at": "2026-11-23T08:50:00.000000Z",
        "consent": {"disclosure_version": "esign-2026-11", "at": "2026-11-23T08:58:00.000000Z", "ip": "203.0.113.9", "user_agent": "UA"},
        "signature": {"ip": "203.0.113.9", "user_agent": "UA"},
        "content_sha256": "0" * 64,
    }


def _records() -> list[tuple[str, dict[str, Any], int]]:
    from chalicelib.forms.standard import STANDARD_FORMS
    from chalicelib.services.form_definitions import parse_definition

    cases = []
    for form in STANDARD_FORMS:
        definition = parse_definition({k: v for k, v in form.items() if k != "id"})
        fields = [spec.model_dump(mode="json", exclude_none=True) for spec in definition.fields]
        cases.append((definition.title, _record(form["id"], definition.title, fields, _answers(definition), "Jordan A. Lee"), RUNS))
        if form["id"] == STANDARD_FORMS[-1]["id"]:
            chinese = _record(form["id"], definition.title, fields, _answers(definition), "陈小明")
            cases.append((f"{definition.title}, signed 陈小明", chinese, CJK_RUNS))
    fields = [{"id": f"q{i}", "type": "long_text", "label": f"In {language}"} for i, language in enumerate(MULTILINGUAL)]
    answers = {f"q{i}": text for i, text in enumerate(MULTILINGUAL.values())}
    every_script = _record("bench-scripts", "Every script", fields, answers, "Nguyễn Thị Minh 陈小明")
    cases.append(("Answers in 8 languages", every_script, CJK_RUNS))
    return cases


def _time(render: Callable[[dict[str, Any]], bytes], record: dict[str, Any], runs: int) -> tuple[list[float], bytes]:
    timings, pdf = [], b""
    for _ in range(runs):
        started = time.perf_counter()
        pdf = render(record)
        timings.append(time.perf_counter() - started)
    return timings, pdf


def measure(root: Path) -> tuple[str, list[Verdict]]:
    from chalicelib.services.signed_pdf import render_signed_form

    imports = [
        float(subprocess.run([sys.executable, "-c", IMPORTS], cwd=root, capture_output=True, text=True, check=True).stdout)
        for _ in range(3)
    ]
    rows, stable = [], True
    for label, record, runs in _records():
        first = render_signed_form(record)
        timings, pdf = _time(render_signed_form, record, runs)
        stable = stable and pdf == first
        rows.append([label, str(runs), ms(min(timings)), ms(statistics.median(timings)), f"{len(pdf) / 1000:.1f} KB"])
    text = "\n".join(
        [
            heading("5. Signed PDF rendering"),
            "render_signed_form (fpdf2, PDF/A-2b, subset fonts), every question answered, after one warm-up render;",
            f"the first signing in a fresh process also imports fpdf2, fontTools and uharfbuzz: {ms(min(imports))} (min of 3).",
            f"Same record, same bytes in every run: {json.dumps(stable)}.",
            "",
            table(["form", "runs", "min", "median", "size"], rows, right=(1, 2, 3, 4)),
        ]
    )
    return text, []
