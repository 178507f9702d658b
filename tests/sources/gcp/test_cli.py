"""`cloudviz extract gcp` and `cloudviz provider test gcp` as a user runs them:
the installed command in its own process, against the fake on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.sources.gcp.conftest import PROJECT

CLOUDVIZ = str(Path(sys.executable).with_name("cloudviz"))


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GOOGLE_", "CLOUDVIZ_"))
    }
    return subprocess.run(
        [CLOUDVIZ, *args],
        capture_output=True,
        text=True,
        env={**base, **env},
        timeout=120,
    )


def test_extract_gcp_project_writes_the_inventory(gcp_env, fake_gcp, tmp_path):
    fake_gcp.denied.add("projects/acme-data-dev")
    out = tmp_path / "gcp.json"

    result = run(
        gcp_env,
        *f"extract gcp --project {PROJECT},acme-data-dev".split(),
        "-o",
        str(out),
    )

    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text())
    assert len(document["resources"]) == 35
    # Every page of the shop and every refused call for the other project.
    assert document["source"]["detail"]["api_calls"] == len(fake_gcp.requests)
    assert "Extracted 35 resources" in result.stderr
    assert "[CV004] projects/acme-data-dev: PERMISSION_DENIED" in result.stderr


def test_extract_gcp_filters_by_kind(gcp_env, tmp_path):
    out = tmp_path / "vms.json"
    command = f"extract gcp --project {PROJECT} --kind compute.vm"
    result = run(gcp_env, *command.split(), "-o", str(out))
    assert result.returncode == 0, result.stderr
    names = sorted(r["name"] for r in json.loads(out.read_text())["resources"])
    assert names == ["bastion", "web-mig-q9p4", "web-mig-x7k2"]


def test_no_credentials_is_cv004_with_the_remedy(gcp_env, tmp_path):
    env = dict(gcp_env)
    del env["GOOGLE_APPLICATION_CREDENTIALS"]

    result = run(env, "extract", "gcp", "--project", PROJECT)

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "Error [CV004]" in result.stderr
    assert "DefaultCredentialsError" in result.stderr
    assert "export GOOGLE_APPLICATION_CREDENTIALS=" in result.stderr
    assert "gcloud auth application-default login" in result.stderr
    assert "cloudviz provider test gcp" in result.stderr


def test_provider_test_gcp_exit_codes(gcp_env, fake_gcp):
    ok = run(gcp_env, "provider", "test", "gcp", "--project", PROJECT)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert f"identity cloudviz@{PROJECT}.iam.gserviceaccount.com" in ok.stdout

    fake_gcp.disabled.add(f"projects/{PROJECT}")
    disabled = run(gcp_env, "provider", "test", "gcp", "--project", PROJECT)
    assert disabled.returncode == 1
    enable = "gcloud services enable cloudasset.googleapis.com --project 482915730264"
    assert enable in disabled.stdout

    env = dict(gcp_env)
    del env["GOOGLE_APPLICATION_CREDENTIALS"]
    missing = run(env, "provider", "test", "gcp", "--json")
    assert missing.returncode == 1
    report = json.loads(missing.stdout)
    assert report["checks"][0]["name"] == "credentials"
    assert "GOOGLE_APPLICATION_CREDENTIALS" in report["checks"][0]["remedy"]
