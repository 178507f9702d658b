"""Logging set-up for the CLI and the server, from the `logging` settings.

Console output goes to stderr so that commands writing data to stdout stay
pipeable. `logging.json: true` writes one JSON object per line; `logging.file`
adds a size-rotated file (`max_file_size`, `backup_count`).
"""

from __future__ import annotations

import json
import logging
import logging.handlers
from datetime import UTC, datetime

from cloudviz.config import LoggingSettings

_STANDARD_ATTRS = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__
) | {"message", "asctime"}


class JsonLineFormatter(logging.Formatter):
    """One JSON object per record, with any `extra=` fields kept."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRS:
                payload[key] = value
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)


def configure_logging(settings: LoggingSettings, *, verbose: bool = False) -> None:
    """Install CloudViz's handlers on the `cloudviz` logger (idempotent)."""
    logger = logging.getLogger("cloudviz")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    logger.setLevel(logging.DEBUG if verbose else settings.level)
    logger.propagate = False

    text_format = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    formatter = JsonLineFormatter() if settings.json_format else text_format

    console = logging.StreamHandler()
    console.setFormatter(formatter)
    # Quiet by default on a terminal: INFO lines would bury command output.
    console_level = settings.handlers.console.level or (
        "DEBUG" if verbose else "WARNING"
    )
    console.setLevel(console_level.upper())
    logger.addHandler(console)

    if settings.file is not None:
        settings.file.parent.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            settings.file,
            maxBytes=settings.max_file_size,
            backupCount=settings.backup_count,
            encoding="utf-8",
        )
        file_handler.setFormatter(formatter)
        file_handler.setLevel((settings.handlers.file.level or settings.level).upper())
        logger.addHandler(file_handler)
