"""The first commands, run as a user runs them: the installed `cloudviz`."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

CLOUDVIZ = str(Path(sys.executable).with_name("cloudviz"))


def run(*args: str, cwd: Path | None = None, env: dict | None = None, input=None):
    return subprocess.run(
        [CLOUDVIZ, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        input=input,
        timeout=120,
    )


@pytest.fixture
def estate(tmp_path):
    path = tmp_path / "estate.json"
    assert (
        run("demo", "--resources", "120", "--seed", "5", "-o", str(path)).returncode
        == 0
    )
    return path


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("cloudviz, version ")


def test_every_command_has_help_with_an_example():
    for command in (
        ["import"],
        ["inspect"],
        ["diff"],
        ["demo"],
        ["schema"],
        ["config", "show"],
        ["config", "validate"],
    ):
        result = run(*command, "--help")
        assert result.returncode == 0, command
        assert "Example" in result.stdout, command


def test_import_filters_report_what_they_drop(estate, tmp_path):
    out = tmp_path / "net.json"
    result = run("import", str(estate), "--kind", "network.*", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "dropped" in result.stderr
    document = json.loads(out.read_text())
    assert {r["kind"].split(".")[0] for r in document["resources"]} == {"network"}
    assert document["source"]["detail"]["filtered"]["dropped"] > 0


def test_import_writes_stdout_without_output(estate):
    result = run("import", str(estate), "--provider", "aws", "--max-resources", "3")
    assert len(json.loads(result.stdout)["resources"]) == 3


def test_inspect_counts_and_errors(estate):
    result = run("inspect", str(estate))
    assert result.returncode == 0
    assert "By kind" in result.stdout and "compute.vm" in result.stdout
    summary = json.loads(run("inspect", str(estate), "--json").stdout)
    assert summary["resources"] == 120


def test_diff_text_and_json(estate, tmp_path):
    other = tmp_path / "other.json"
    run("demo", "--resources", "130", "--seed", "5", "-o", str(other))
    result = run("diff", str(estate), str(other), "--format", "json")
    assert json.loads(result.stdout)["summary"]["added"] >= 10
    assert run("diff", str(estate), str(estate)).stdout == "No changes.\n"
    assert run("diff", str(estate), str(other), "--exit-code").returncode == 1


def test_schema_is_json_schema():
    schema = json.loads(run("schema").stdout)
    assert schema["properties"]["schema_version"] == {"const": 1}


def test_bad_input_gives_cv010_on_stderr_without_traceback(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": 1, "resources": [{"id": "x"')
    result = run("inspect", str(broken))
    assert result.returncode != 0
    assert "CV010" in result.stderr
    assert "Traceback" not in result.stderr
    unknown = tmp_path / "mystery.json"
    unknown.write_text('{"hello": "world"}')
    result = run("import", str(unknown))
    assert "CV010" in result.stderr and "format not recognised" in result.stderr
    assert run("import", str(tmp_path / "missing.json")).returncode != 0


def test_debug_shows_the_traceback(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("[]")
    result = run("--debug", "inspect", str(broken))
    assert "Traceback" in result.stderr


def test_config_validate_names_the_bad_key(tmp_path):
    config = tmp_path / "cloudviz.yaml"
    config.write_text("api:\n  port: 8000\n  rate_limting:\n    default_rate: 1/s\n")
    result = run("config", "validate", str(config))
    assert result.returncode == 2
    assert "CV003" in result.stderr and "api.rate_limting" in result.stderr
    config.write_text("api:\n  port: eighty\n")
    assert "api.port" in run("config", "validate", str(config)).stderr
    config.write_text(
        "api:\n  port: 8001\nbackground_jobs:\n  max_concurrent_jobs: 4\n"
    )
    assert run("config", "validate", str(config)).returncode == 0


def test_config_show_sanitized_masks_secrets(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text("auth:\n  jwt_secret: hunter2-secret\n")
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DATABASE_URL": "postgresql://app:s3cret@db:5432/cloudviz",
        "CLOUDVIZ_API__PORT": "8001",
    }
    shown = run(
        "--config", str(config), "config", "show", "--sanitized", env=env
    ).stdout
    assert "hunter2" not in shown and "s3cret" not in shown
    assert "postgresql://app:****@db:5432/cloudviz" in shown
    assert "port: 8001" in shown
    plain = run("--config", str(config), "config", "show", env=env).stdout
    assert "hunter2-secret" in plain


def test_profile_reports_where_the_time_went(tmp_path):
    result = run(
        "--profile", "demo", "--resources", "30", "-o", str(tmp_path / "d.json")
    )
    assert result.returncode == 0
    assert "cumulative" in result.stderr
    stats = tmp_path / "run.prof"
    result = run("--profile", "--profile-output", str(stats), "schema")
    assert result.returncode == 0
    assert stats.stat().st_size > 0
