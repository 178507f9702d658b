import logging

import pytest

from cloudviz.config import load_settings
from cloudviz.errors import ConfigurationError
from cloudviz.logs import configure_logging


def test_defaults_need_no_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings(environ={"HOME": str(tmp_path)})
    assert settings.api.port == 8000
    assert settings.database.effective_url().startswith("sqlite:///")


def test_environment_overrides_file(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text(
        "api:\n  port: 8001\nvisualization:\n  limits:\n    timeout: 10\n"
    )
    settings = load_settings(
        config,
        environ={
            "CLOUDVIZ_VISUALIZATION__LIMITS__TIMEOUT": "600",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
    )
    assert settings.api.port == 8001
    assert settings.visualization.limits.timeout == 600
    assert settings.cache.url is not None


def test_guide_keys_are_accepted(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text(GUIDE_CONFIG)
    settings = load_settings(config, environ={})
    assert settings.jobs.max_concurrent_jobs == 4
    assert settings.cache.enabled is False


GUIDE_CONFIG = (
    "api:\n  workers: 8\n"
    "  worker_class: uvicorn.workers.UvicornWorker\n"
    "  access_log: true\n  log_requests: true\n  max_request_size: 1048576\n"
    "  rate_limiting:\n    default_rate: '1000/minute'\n"
    "    burst_rate: '2000/minute'\n"
    "background_jobs:\n  enabled: true\n  max_concurrent_jobs: 4\n"
    "performance:\n  memory:\n    max_memory_per_worker: 1GB\n"
    "    gc_threshold: 0.8\n"
    "database:\n  pool_size: 20\n  max_overflow: 50\n  echo: true\n"
    "  echo_pool: true\n"
    "  enable_query_cache: true\n"
    "cache:\n  enabled: false\n  default_ttl: 3600\n"
    "logging:\n  level: DEBUG\n  handlers:\n    file:\n      level: DEBUG\n"
    "    console:\n      level: INFO\n"
    "  max_file_size: 10485760\n  backup_count: 5\n"
    "prometheus:\n  enabled: true\n  port: 9090\n"
    "grafana:\n  enabled: true\n  port: 3000\n  dashboards: [cloudviz-overview]\n"
)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (
            "api:\n  rate_limiting:\n    default_rate: lots\n",
            "api.rate_limiting.default_rate",
        ),
        ("nonsense: 1\n", "nonsense"),
        ("logging:\n  level: LOUD\n", "logging.level"),
    ],
)
def test_bad_keys_are_cv003_naming_the_key(tmp_path, text, key):
    config = tmp_path / "c.yaml"
    config.write_text(text)
    with pytest.raises(ConfigurationError) as caught:
        load_settings(config, environ={})
    assert caught.value.details["key"] == key


def test_invalid_yaml_names_the_line(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text("api:\n  port: [\n")
    with pytest.raises(ConfigurationError, match="line"):
        load_settings(config, environ={})


def test_rotating_json_log_file(tmp_path):
    config = tmp_path / "c.yaml"
    log_file = tmp_path / "logs" / "app.log"
    config.write_text(
        f"logging:\n  json: true\n  file: {log_file}\n  max_file_size: 300\n"
        "  backup_count: 2\n"
    )
    configure_logging(load_settings(config, environ={}).logging)
    logger = logging.getLogger("cloudviz.test")
    for index in range(20):
        logger.warning("event number=%s", index)
    files = sorted(path.name for path in log_file.parent.iterdir())
    assert files == ["app.log", "app.log.1", "app.log.2"]
    assert '"level": "WARNING"' in log_file.read_text()
