from __future__ import annotations

import json
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / ".chalice" / "config.json"


def test_every_stage_exists_and_names_its_tables() -> None:
    config = json.loads(CONFIG.read_text())
    stages = config["stages"]
    assert set(stages) == {"local", "test", "dev", "prod"}
    for name, stage in stages.items():
        assert stage["environment_variables"]["PORTAL_STAGE"] == name
        assert stage["environment_variables"]["PORTAL_TABLE_PREFIX"] == f"portal-{name}"


def test_deployed_stages_close_self_service_practice_creation() -> None:
    stages = json.loads(CONFIG.read_text())["stages"]
    for name in ("dev", "prod"):
        assert stages[name]["environment_variables"]["PORTAL_ORGANIZATION_SIGNUP_OPEN"] == "false"
