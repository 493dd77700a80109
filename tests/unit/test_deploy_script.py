"""scripts/deploy.py without AWS: stage settings, the refusal to deploy example values, artifacts, cache headers;
and the cost estimate's reading of the bench table (tests/infra deploys the template into the emulator)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts import deploy_costs
from scripts.deploy import IMMUTABLE, DeployError, cache_control, check_filled_in, load_stage, point_at_artifacts

CERTIFICATE = "arn:aws:acm:us-east-1:210987654321:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"


def test_the_committed_stages_refuse_to_deploy_until_filled_in() -> None:
    for name in ("dev", "prod"):
        stage = load_stage(name)
        assert stage.stack == f"portal-{name}"
        with pytest.raises(DeployError, match="DomainName"):
            check_filled_in(stage)


def test_a_filled_in_stage_deploys_and_overrides_win(tmp_path: Path) -> None:
    stages = tmp_path / "deploy.json"
    stages.write_text(
        json.dumps({"prod": {"stack": "harbor-portal", "region": "us-east-2", "parameters": {"DomainName": "portal.harbor.test"}}})
    )

    stage = load_stage("prod", {"CertificateArn": CERTIFICATE}, path=stages)

    check_filled_in(stage)
    assert (stage.stack, stage.region, stage.parameters["CertificateArn"]) == ("harbor-portal", "us-east-2", CERTIFICATE)
    with pytest.raises(DeployError, match="No stage 'staging'"):
        load_stage("staging", path=stages)


def test_a_missing_certificate_is_named() -> None:
    stage = load_stage("prod", {"DomainName": "portal.harbor.test", "CertificateArn": ""})
    with pytest.raises(DeployError, match="CertificateArn"):
        check_filled_in(stage)


def test_functions_and_each_layer_point_at_their_uploaded_zips() -> None:
    sam = {
        "Resources": {
            "APIHandler": {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "./deployment.zip"}},
            "FontLayer": {"Type": "AWS::Serverless::LayerVersion", "Properties": {"ContentUri": "./font-layer.zip"}},
            "PdfLayer": {"Type": "AWS::Serverless::LayerVersion", "Properties": {"ContentUri": "./pdf-layer.zip"}},
            "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {}},
        }
    }
    layers = {"./font-layer.zip": ("artifacts", "portal-prod/def.zip"), "./pdf-layer.zip": ("artifacts", "portal-prod/789.zip")}
    out = point_at_artifacts(sam, ("artifacts", "portal-prod/abc.zip"), layers)
    assert out["Resources"]["APIHandler"]["Properties"]["CodeUri"] == {"Bucket": "artifacts", "Key": "portal-prod/abc.zip"}
    assert out["Resources"]["FontLayer"]["Properties"]["ContentUri"] == {"Bucket": "artifacts", "Key": "portal-prod/def.zip"}
    assert out["Resources"]["PdfLayer"]["Properties"]["ContentUri"] == {"Bucket": "artifacts", "Key": "portal-prod/789.zip"}


def test_every_layer_the_template_names_is_built_by_the_deploy() -> None:
    from scripts.cloudformation import template
    from scripts.deploy import LAYERS

    resources = template()["Resources"].values()
    named = {r["Properties"]["ContentUri"] for r in resources if r.get("Type") == "AWS::Serverless::LayerVersion"}
    assert named == set(LAYERS)


def test_the_pdf_libraries_are_not_in_the_functions_package() -> None:
    from scripts.build_pdf_layer import REQUIREMENTS

    packaged = (Path(__file__).resolve().parents[2] / "requirements.txt").read_text().lower()
    libraries = [line.split("==")[0].lower() for line in REQUIREMENTS.read_text().splitlines() if "==" in line]
    assert libraries and not any(f"\n{name}==" in f"\n{packaged}" for name in libraries)


def test_hashed_assets_are_cached_for_good_and_the_page_never() -> None:
    assert cache_control("assets/index-3f9a1c.js") == IMMUTABLE
    assert cache_control("index.html") == "no-cache"


def test_the_cost_estimate_reads_every_route_it_uses_from_the_bench_table() -> None:
    calls = deploy_costs.route_calls(deploy_costs.PERFORMANCE.read_text())
    assert set(deploy_costs.USAGE) <= set(calls)
    assert calls["GET /api/clients"] == ["BatchGet", "Query", "BatchGet", "Put"]
    assert calls["GET /api/orgs/{slug}"] == ["Get", "Get"]
    small, large = (sum(deploy_costs.monthly(n, calls).values()) for n in (10, 1000))
    assert 0 < small < large
