"""JSON log lines that carry the request id (or the event's correlation id) of whatever is running."""
from __future__ import annotations

import contextvars
import json
import logging
import os
import sys
import time
import uuid

from flask import Flask, g, request

REQUEST_ID_HEADER = "X-Request-ID"

# Set per request by Flask and per message by consumers, so every log line can name it.
current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("erdm_request_id", default=None)
# The id of the event a consumer is handling: its log lines name it, and the events it emits
# carry it as their causation id (servicekit/events.py). Here, not there, because events imports logs.
current_causation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("erdm_causation_id", default=None)


class JsonFormatter(logging.Formatter):
    def __init__(self, process_name: str) -> None:
        super().__init__()
        self.process_name = process_name

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "process": self.process_name,
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": current_request_id.get(),
        }
        if (event_id := current_causation_id.get()) is not None:
            line["event_id"] = event_id
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


# The `erdm` command line names each numbered instance it starts (resources-worker-2) through this variable.
PROCESS_NAME_VARIABLE = "ERDM_PROCESS_NAME"
_named = {"process": "erdm"}


def process_name() -> str:
    """What this process calls itself in log lines (and in PostgreSQL's pg_stat_activity)."""
    return _named["process"]


def configure_logging(process_name: str, level: int = logging.INFO) -> None:
    """Route every logger to one JSON line per record on stderr."""
    process_name = os.environ.get(PROCESS_NAME_VARIABLE) or process_name
    _named["process"] = process_name
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(process_name))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request it sends at INFO: a second line per proxied call, beside the gateway's
    # own access line that already says it.
    logging.getLogger("httpx").setLevel(max(level, logging.WARNING))


def _valid_request_id(value: str | None) -> bool:
    return bool(value) and len(value) <= 200 and value.isprintable()


def install_request_ids(app: Flask) -> None:
    """Take `X-Request-ID` from the caller (or make one), expose it as `g.request_id`, echo it."""

    @app.before_request
    def _take_request_id() -> None:
        incoming = request.headers.get(REQUEST_ID_HEADER)
        g.request_id = incoming if _valid_request_id(incoming) else str(uuid.uuid4())
        g.request_id_token = current_request_id.set(g.request_id)

    @app.after_request
    def _echo_request_id(response):
        request_id = getattr(g, "request_id", None)
        if request_id:
            response.headers[REQUEST_ID_HEADER] = request_id
        return response

    @app.teardown_request
    def _forget_request_id(_exc) -> None:
        token = g.pop("request_id_token", None)
        if token is not None:
            current_request_id.reset(token)
