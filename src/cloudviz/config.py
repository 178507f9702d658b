"""Settings: built-in defaults < one YAML file < CLOUDVIZ_* environment.

The file is the first found of `--config`, `$CLOUDVIZ_CONFIG`,
`./cloudviz.yaml`, `~/.config/cloudviz/config.yaml` and
`/etc/cloudviz/config.yaml`. Environment variables override single keys with
`__` between levels (`CLOUDVIZ_API__PORT=8001`,
`CLOUDVIZ_VISUALIZATION__LIMITS__TIMEOUT=600`); the conventional
`DATABASE_URL` and `REDIS_URL` set `database.url` and `cache.url`.

Unknown keys are refused with CV003 naming the key: a misspelt
`rate_limting` silently ignored is worse than an error. Besides the sections
of the design, the keys the troubleshooting guide shows are accepted with the
meaning it gives them: `background_jobs` is another name for `jobs`,
`performance.memory`, `api.worker_class`, `api.access_log`, `database.echo_pool`,
`logging.handlers`, `prometheus` and `grafana`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from pydantic import ValidationError as PydanticValidationError

from cloudviz.errors import ConfigurationError

ENV_PREFIX = "CLOUDVIZ_"
# Long enough for HS256, and refused outside development (auth/tokens.py).
DEFAULT_JWT_SECRET = "cloudviz-development-only-secret-change-me-in-production"


def user_data_dir() -> Path:
    """Where the embedded default keeps its SQLite database."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "cloudviz"


def config_search_path() -> list[Path]:
    return [
        Path("cloudviz.yaml"),
        Path.home() / ".config" / "cloudviz" / "config.yaml",
        Path("/etc/cloudviz/config.yaml"),
    ]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class RateLimitSettings(Section):
    enabled: bool = True
    default_rate: str = "1000/minute"
    burst_rate: str = "2000/minute"

    @field_validator("default_rate", "burst_rate")
    @classmethod
    def _rate_is_parseable(cls, value: str) -> str:
        from limits import parse

        try:
            parse(value)
        except ValueError:
            raise ValueError(
                f"{value!r} is not a rate; write it like '1000/minute'"
            ) from None
        return value


class ApiSettings(Section):
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    workers: int = Field(1, ge=1, le=256)
    # CloudViz serves with uvicorn's own worker processes; the guide's
    # gunicorn-style name is accepted, and nothing else is pretended to work.
    worker_class: Literal["uvicorn.workers.UvicornWorker"] = (
        "uvicorn.workers.UvicornWorker"
    )
    timeout: float = Field(300, gt=0)
    max_request_size: int = Field(104_857_600, gt=0)
    ssl_cert_file: Path | None = None
    ssl_key_file: Path | None = None
    access_log: bool = True
    log_requests: bool = False
    cors_origins: list[str] = Field(default_factory=list)
    rate_limiting: RateLimitSettings = Field(default_factory=RateLimitSettings)


class AuthSettings(Section):
    jwt_secret: SecretStr = SecretStr(DEFAULT_JWT_SECRET)
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    access_token_minutes: int = Field(30, gt=0)
    refresh_token_days: int = Field(7, gt=0)
    environment: Literal["development", "production"] = "development"


class DatabaseSettings(Section):
    url: SecretStr | None = None
    pool_size: int = Field(5, ge=1)
    max_overflow: int = Field(10, ge=0)
    echo: bool = False
    echo_pool: bool = False
    enable_query_cache: bool = True

    def effective_url(self) -> str:
        if self.url is not None:
            return self.url.get_secret_value()
        return f"sqlite:///{user_data_dir() / 'cloudviz.db'}"


class CacheSettings(Section):
    enabled: bool = True
    url: SecretStr | None = None
    default_ttl: int = Field(3600, ge=0)


class JobSettings(Section):
    enabled: bool = True
    backend: Literal["local", "celery"] = "local"
    broker_url: SecretStr | None = None
    max_concurrent_jobs: int = Field(4, ge=1)
    # The Celery queue name: deployments sharing one broker keep apart by it.
    queue: str = "cloudviz"


class HandlerSettings(Section):
    level: str | None = None


class LoggingHandlers(Section):
    file: HandlerSettings = Field(default_factory=HandlerSettings)
    console: HandlerSettings = Field(default_factory=HandlerSettings)


class LoggingSettings(Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    json_format: bool = Field(False, alias="json")
    file: Path | None = None
    max_file_size: int = Field(10_485_760, gt=0)
    backup_count: int = Field(5, ge=0)
    handlers: LoggingHandlers = Field(default_factory=LoggingHandlers)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @field_validator("level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value


class VisualizationLimits(Section):
    timeout: float = Field(300, gt=0)
    max_nodes_per_page: int = Field(500, ge=1)


class VisualizationSettings(Section):
    default_format: Literal[
        "svg", "png", "pdf", "drawio", "html", "mermaid", "dot", "json"
    ] = "svg"
    theme: Literal["light", "dark"] = "light"
    limits: VisualizationLimits = Field(default_factory=VisualizationLimits)


class AwsSettings(Section):
    regions: list[str] = Field(default_factory=list)
    profiles: list[str] = Field(default_factory=list)
    role_arns: list[str] = Field(default_factory=list)
    max_workers: int = Field(16, ge=1)
    # botocore's adaptive retry: attempts per call, the first one included.
    max_attempts: int = Field(10, ge=1)


class AzureSettings(Section):
    subscriptions: list[str] = Field(default_factory=list)
    tenant_id: str | None = None
    # Resource Graph endpoint: sovereign clouds, proxies, and tests on loopback.
    endpoint: str = "https://management.azure.com"


class GcpSettings(Section):
    projects: list[str] = Field(default_factory=list)
    scope: str | None = None
    # Cloud Asset API endpoint: private service connect, and tests on loopback.
    endpoint: str = "cloudasset.googleapis.com"
    # ListAssets streams read at once (scopes × groups of asset types).
    max_workers: int = Field(8, ge=1)


class ProviderSettings(Section):
    aws: AwsSettings = Field(default_factory=AwsSettings)
    azure: AzureSettings = Field(default_factory=AzureSettings)
    gcp: GcpSettings = Field(default_factory=GcpSettings)


class MemorySettings(Section):
    max_memory_per_worker: str = "1GB"
    gc_threshold: float = Field(0.8, gt=0, le=1)

    @field_validator("max_memory_per_worker")
    @classmethod
    def _size_is_parseable(cls, value: str) -> str:
        from cloudviz.memory_guard import parse_size

        parse_size(value)
        return value


class PerformanceSettings(Section):
    memory: MemorySettings = Field(default_factory=MemorySettings)


class MonitoringEndpoint(Section):
    enabled: bool = False
    port: int = Field(9090, ge=1, le=65535)
    dashboards: list[str] = Field(default_factory=list)


class Settings(Section):
    api: ApiSettings = Field(default_factory=ApiSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    cache: CacheSettings = Field(default_factory=CacheSettings)
    jobs: JobSettings = Field(default_factory=JobSettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)
    visualization: VisualizationSettings = Field(default_factory=VisualizationSettings)
    providers: ProviderSettings = Field(default_factory=ProviderSettings)
    performance: PerformanceSettings = Field(default_factory=PerformanceSettings)
    prometheus: MonitoringEndpoint = Field(default_factory=MonitoringEndpoint)
    grafana: MonitoringEndpoint = Field(
        default_factory=lambda: MonitoringEndpoint(port=3000)
    )

    source_file: Path | None = Field(None, exclude=True)


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


def _environment_overrides(environ: Mapping[str, str]) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        path = name[len(ENV_PREFIX) :].lower().split("__")
        node = overrides
        for part in path[:-1]:
            node = node.setdefault(part, {})
        # YAML parsing turns "8001" into 8001 and "true" into True.
        node[path[-1]] = yaml.safe_load(value) if value else value
    if environ.get("DATABASE_URL"):
        overrides = _merge(overrides, {"database": {"url": environ["DATABASE_URL"]}})
    if environ.get("REDIS_URL"):
        overrides = _merge(overrides, {"cache": {"url": environ["REDIS_URL"]}})
    return overrides


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(
            f"configuration file {path} cannot be read: {exc.strerror}",
            hint="check the path given by --config or CLOUDVIZ_CONFIG",
        ) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigurationError(
            f"configuration file {path} is not valid YAML{where}",
            hint="run `cloudviz config validate` after fixing it",
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigurationError(
            f"configuration file {path} must hold a mapping of sections"
        )
    return data


def _normalise_aliases(data: dict[str, Any]) -> dict[str, Any]:
    # The guide writes `background_jobs:`; it configures the same job runner.
    if "background_jobs" in data:
        data = dict(data)
        data["jobs"] = _merge(data.get("jobs") or {}, data.pop("background_jobs") or {})
    return data


def _describe(error: PydanticValidationError, origin: str) -> ConfigurationError:
    first = error.errors()[0]
    key = ".".join(str(part) for part in first["loc"])
    problem = first["msg"]
    if first["type"] == "extra_forbidden":
        problem = "is not a known setting"
    return ConfigurationError(
        f"invalid configuration in {origin}: {key}: {problem}",
        hint="see `cloudviz config show` for every key and its default",
        details={"key": key},
    )


def find_config_file(explicit: str | Path | None = None) -> Path | None:
    if explicit:
        return Path(explicit)
    from_env = os.environ.get("CLOUDVIZ_CONFIG")
    if from_env:
        return Path(from_env)
    return next((path for path in config_search_path() if path.is_file()), None)


def load_settings(
    config_file: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Build the settings from defaults, the YAML file and the environment."""
    environ = os.environ if environ is None else environ
    path = find_config_file(config_file)
    file_data = _normalise_aliases(_read_yaml(path)) if path else {}
    data = _merge(file_data, _environment_overrides(environ))
    origin = str(path) if path else "environment"
    try:
        settings = Settings.model_validate(data)
    except PydanticValidationError as exc:
        raise _describe(exc, origin) from None
    settings.source_file = path
    return settings


def validate_config_file(path: str | Path) -> Settings:
    """Validate one file on its own, without the environment's overrides."""
    return load_settings(path, environ={})


def settings_as_dict(settings: Settings, *, sanitized: bool) -> dict[str, Any]:
    """Every key and its value; with `sanitized`, secrets are masked."""
    data = settings.model_dump(mode="python", by_alias=True)
    data["database"]["effective_url"] = settings.database.effective_url()
    revealed: dict[str, Any] = _reveal(data, sanitized)
    return revealed


def _mask_url(url: str) -> str:
    # Keep scheme, host and database visible: they are what a reader debugs.
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:****@{host}"


def _reveal(value: Any, sanitized: bool, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _reveal(v, sanitized, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_reveal(item, sanitized, key) for item in value]
    if isinstance(value, SecretStr):
        secret = value.get_secret_value()
        if not sanitized:
            return secret
        return _mask_url(secret) if "://" in secret else "****"
    if isinstance(value, str) and sanitized and "://" in value:
        return _mask_url(value)
    if isinstance(value, Path):
        return str(value)
    return value
