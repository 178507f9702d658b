"""The deployment files parse and say what the guide and the server expect."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def kubernetes_objects() -> dict[tuple[str, str], dict]:
    objects = {}
    for path in sorted((DEPLOY / "kubernetes").glob("*.yaml")):
        if path.name == "kustomization.yaml":
            listed = set(documents(path)[0]["resources"])
            assert listed == {
                p.name
                for p in (DEPLOY / "kubernetes").glob("*.yaml")
                if p.name != path.name
            }
            continue
        for doc in documents(path):
            assert {"apiVersion", "kind", "metadata"} <= doc.keys(), path
            objects[(doc["kind"], doc["metadata"]["name"])] = doc
    return objects


def test_kubernetes_objects_live_in_the_cloudviz_namespace():
    objects = kubernetes_objects()
    assert ("Namespace", "cloudviz") in objects
    for (kind, name), doc in objects.items():
        if kind != "Namespace":
            assert doc["metadata"]["namespace"] == "cloudviz", (kind, name)


def test_the_api_deployment_probes_health_as_the_guide_shows():
    deployment = kubernetes_objects()[("Deployment", "cloudviz")]
    pod = deployment["spec"]["template"]["spec"]
    assert pod["serviceAccountName"] == "cloudviz"
    container = pod["containers"][0]
    assert container["livenessProbe"]["httpGet"] == {"path": "/health", "port": 8000}
    assert container["livenessProbe"]["initialDelaySeconds"] == 30
    assert container["readinessProbe"]["httpGet"] == {"path": "/health", "port": 8000}
    assert container["resources"]["limits"] == {"memory": "2Gi", "cpu": "1000m"}
    selector = deployment["spec"]["selector"]["matchLabels"]
    assert (
        selector.items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
    )


def test_service_config_secret_and_rbac_are_named_as_the_guide_says():
    objects = kubernetes_objects()
    service = objects[("Service", "cloudviz-service")]
    api_labels = objects[("Deployment", "cloudviz")]["spec"]["template"]["metadata"]
    assert service["spec"]["selector"].items() <= api_labels["labels"].items()
    config = yaml.safe_load(
        objects[("ConfigMap", "cloudviz-config")]["data"]["config.yaml"]
    )
    assert config["api"]["port"] == 8000
    assert ("Secret", "cloudviz-secrets") in objects
    role = objects[("Role", "cloudviz-role")]
    assert role["rules"][0]["resources"] == ["configmaps", "secrets"]
    assert role["rules"][0]["verbs"] == ["get", "list"]
    assert ("ServiceAccount", "cloudviz") in objects
    assert ("Deployment", "cloudviz-worker") in objects


def test_the_configmap_is_a_valid_cloudviz_configuration(tmp_path):
    from cloudviz.config import validate_config_file

    objects = kubernetes_objects()
    path = tmp_path / "config.yaml"
    path.write_text(objects[("ConfigMap", "cloudviz-config")]["data"]["config.yaml"])
    settings = validate_config_file(path)
    assert settings.api.workers == 2


def test_compose_has_the_four_services():
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    assert {"cloudviz", "postgres", "redis", "worker"} <= compose["services"].keys()
    assert compose["services"]["cloudviz"]["ports"] == ["8000:8000"]


def test_dockerfile_is_multi_stage_non_root_with_a_healthcheck():
    text = (DEPLOY / "Dockerfile").read_text()
    assert text.count("\nFROM ") + text.startswith("FROM ") >= 2
    assert "\nUSER cloudviz" in text
    assert "HEALTHCHECK" in text and "/health" in text


def test_prometheus_and_grafana_files_parse():
    scrape = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    assert scrape["scrape_configs"][0]["metrics_path"] == "/metrics"
    dashboard = json.loads(
        (DEPLOY / "prometheus" / "cloudviz-overview.json").read_text()
    )
    assert dashboard["uid"] == "cloudviz-overview"
    exprs = " ".join(t["expr"] for p in dashboard["panels"] for t in p["targets"])
    for metric in (
        "cloudviz_http_requests_total",
        "cloudviz_http_request_duration_seconds_bucket",
        "cloudviz_cache_lookups_total",
        "cloudviz_jobs",
    ):
        assert metric in exprs


def test_monitoring_stack_provisions_prometheus_and_grafana():
    stack = yaml.safe_load((DEPLOY / "monitoring-stack.yml").read_text())
    assert set(stack["services"]) == {"prometheus", "grafana"}
    mounted = [
        volume.split(":")[0].removeprefix("./")
        for service in stack["services"].values()
        for volume in service["volumes"]
    ]
    for path in mounted:
        assert (DEPLOY / path).is_file(), path
    for name in ("provisioning.yml", "datasource.yml"):
        assert (
            yaml.safe_load((DEPLOY / "grafana" / name).read_text())["apiVersion"] == 1
        )
