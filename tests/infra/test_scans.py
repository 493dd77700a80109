"""cfn-lint and checkov on the packaged template: no lint finding, no failed check, and every skipped check named in
.chalice/checkov-skips.json with its reason — none skipped anywhere else, none listed that no longer applies."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scripts.cloudformation import SKIPS
from tests.infra.conftest import Packaged

ROOT = Path(__file__).resolve().parents[2]


def tool(name: str, variable: str | None = None, venv: str | None = None) -> str:
    """A tool from the environment variable, the named venv, next to this Python, or the PATH."""
    candidates = [
        os.environ.get(variable or "", ""),
        str(ROOT / venv / "bin" / name) if venv else "",
        str(Path(sys.executable).with_name(name)),
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: `make infra` installs it")
    return found


def run_cfn_lint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([tool("cfn-lint"), "--format", "parseable", str(path)], capture_output=True, text=True, timeout=300)


def test_cfn_lint_finds_nothing_in_the_packaged_template(packaged: Packaged) -> None:
    linted = run_cfn_lint(packaged.sam_path)
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_cfn_lint_finds_nothing_in_what_cloudformation_receives(translated: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "template.json"
    path.write_text(json.dumps(translated))
    linted = run_cfn_lint(path)
    assert linted.returncode == 0, linted.stdout + linted.stderr


def run_checkov(path: Path) -> dict[str, Any]:
    command = [tool("checkov", "CHECKOV", ".venv-checkov"), "-f", str(path), "--framework", "cloudformation",
               "--skip-download", "--compact", "-o", "json"]  # fmt: skip
    scanned = subprocess.run(command, capture_output=True, text=True, timeout=600, env={**os.environ, "BC_SKIP_MAPPING": "TRUE"})
    report: dict[str, Any] = json.loads(scanned.stdout)
    return report


@pytest.fixture(scope="module")
def checkov(packaged: Packaged) -> dict[str, Any]:
    return run_checkov(packaged.sam_path)


def test_checkov_fails_no_check(checkov: dict[str, Any]) -> None:
    failed = [f"{c['check_id']} {c['resource']}: {c['check_name']}" for c in checkov["results"]["failed_checks"]]
    assert checkov["summary"]["parsing_errors"] == 0
    assert failed == [], "fix the template, or name the check with its reason in .chalice/checkov-skips.json"
    assert checkov["summary"]["passed"] > 100


def test_checkov_fails_no_check_in_what_cloudformation_receives(translated: dict[str, Any], tmp_path: Path) -> None:
    # The translation holds the resources SAM makes (functions, stage, rules, permissions), with the same skips.
    path = tmp_path / "template.json"
    path.write_text(json.dumps(translated))
    report = run_checkov(path)
    assert [f"{c['check_id']} {c['resource']}" for c in report["results"]["failed_checks"]] == []
    assert report["summary"]["parsing_errors"] == 0 and report["summary"]["passed"] > 100


def test_every_skip_is_named_with_its_reason_and_still_applies(checkov: dict[str, Any], packaged: Packaged) -> None:
    listed = {skip["check"]: skip for skip in json.loads(SKIPS.read_text())["skips"]}
    skipped = {(c["check_id"], c["resource"].split(".", 1)[1]) for c in checkov["results"]["skipped_checks"]}
    # Every check checkov skipped is one the file lists, with the reason the file gives
    for check, _ in skipped:
        assert check in listed and len(listed[check]["reason"]) > 40
    # and every listed skip still names at least one resource checkov would otherwise fail.
    for check in listed:
        assert any(c == check for c, _ in skipped), f"{check} is skipped but no longer applies: remove it from checkov-skips.json"
    comments = {entry["comment"] for r in packaged.resources.values() for entry in r.get("Metadata", {}).get("checkov", {}).get("skip", [])}
    assert comments == {skip["reason"] for skip in listed.values()}
