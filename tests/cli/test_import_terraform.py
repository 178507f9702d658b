"""`cloudviz import` on Terraform files, run as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SAMPLES = Path(__file__).parents[1] / "fixtures" / "imports" / "terraform"
CLOUDVIZ = str(Path(sys.executable).with_name("cloudviz"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CLOUDVIZ, *args], capture_output=True, text=True, timeout=120
    )


def test_import_terraform_states_with_filters(tmp_path: Path) -> None:
    out = tmp_path / "estate.json"
    result = run(
        "import",
        str(SAMPLES / "azure_raw.tfstate"),
        str(SAMPLES / "google_raw.tfstate"),
        "--provider",
        "azure",
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text())
    assert {r["provider"] for r in document["resources"]} == {"azure"}
    assert "Imported 19 resources" in result.stderr


def test_a_damaged_state_is_cv010_without_traceback(tmp_path: Path) -> None:
    damaged = tmp_path / "terraform.tfstate"
    damaged.write_text((SAMPLES / "azure_raw.tfstate").read_text()[:5000])
    result = run("import", str(damaged))
    assert result.returncode != 0
    assert "CV010" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_old_state_version_is_refused_with_a_reason(tmp_path: Path) -> None:
    old = tmp_path / "terraform.tfstate"
    state = {"version": 3, "terraform_version": "0.11.1", "serial": 9, "lineage": "x"}
    old.write_text(json.dumps(state))
    result = run("import", str(old))
    assert result.returncode != 0
    assert "state version 3 is not supported" in result.stderr
