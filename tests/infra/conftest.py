"""The packaged template, made once per test session (`chalice package` takes seconds with its cached zip, and about
a minute on a clean clone while it downloads the Linux wheels)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scripts.deploy import package, point_at_artifacts, translate

STAGE = "prod"

# Stand-in uploaded copies of the layers (by the ContentUri the template names).
STAND_IN_LAYERS = {"./font-layer.zip": ("artifacts", "fonts.zip"), "./pdf-layer.zip": ("artifacts", "pdf.zip")}


@dataclass(frozen=True)
class Packaged:
    directory: Path
    sam_path: Path
    sam: dict[str, Any]

    @property
    def resources(self) -> dict[str, Any]:
        return dict(self.sam["Resources"])

    def of_type(self, kind: str) -> dict[str, Any]:
        return {logical: resource for logical, resource in self.resources.items() if resource["Type"] == kind}


@pytest.fixture(scope="session")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Packaged]:
    directory = tmp_path_factory.mktemp("package") / STAGE
    sam_path = package(STAGE, directory)
    yield Packaged(directory, sam_path, json.loads(sam_path.read_text()))


@pytest.fixture(scope="session")
def translated(packaged: Packaged) -> dict[str, Any]:
    """The plain CloudFormation `make deploy` sends, with stand-in artifact locations."""
    sam = json.loads(packaged.sam_path.read_text())
    return translate(point_at_artifacts(sam, ("artifacts", "code.zip"), STAND_IN_LAYERS), "us-east-1")
