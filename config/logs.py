"""Log records of the app and of gunicorn: one format, one time zone, one stream.

Every record (the app's, the request log's, gunicorn's own: its start, its workers, its errors
and, with GUNICORN_ACCESS_LOG=1, its access lines) goes to standard error as one JSON object
(LOG_FORMAT=json, the default with DEBUG off) or one plain line (LOG_FORMAT=text), stamped in
ISO 8601 in TIME_ZONE with its offset: 2026-12-08T10:41:07.118+08:00.

`configuration()` is Django's LOGGING (config/settings.py) and gunicorn's `logconfig_dict`
(config/gunicorn.conf.py) alike. It is read from the environment, not from Django's settings,
because gunicorn's master process configures its logging before (and without) loading Django.
"""

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ImproperlyConfigured
from pythonjsonlogger.json import JsonFormatter as PlainJsonFormatter

from config.env import env_bool, env_str

DEFAULT_TIME_ZONE = "Asia/Shanghai"
FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"


class _ZonedTime:
    """A formatter mixin: the record's time in ISO 8601, in the given zone, with its offset, whatever
    the process's own zone is (gunicorn's master runs in the system's, often UTC)."""

    def __init__(self, *args, time_zone: str = DEFAULT_TIME_ZONE, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(time_zone)

    def formatTime(self, record, datefmt=None):  # noqa: N802 (logging's name)
        return datetime.fromtimestamp(record.created, self.zone).isoformat(timespec="milliseconds")


class JsonFormatter(_ZonedTime, PlainJsonFormatter):
    pass


class TextFormatter(_ZonedTime, logging.Formatter):
    pass


def time_zone() -> str:
    return env_str("TIME_ZONE", DEFAULT_TIME_ZONE)


def log_format() -> str:
    log_format = env_str("LOG_FORMAT", "text" if env_bool("DEBUG", True) else "json")
    if log_format not in ("json", "text"):
        raise ImproperlyConfigured(f"LOG_FORMAT must be json or text; got {log_format!r}.")
    return log_format


def configuration() -> dict:
    """The logging configuration (a dictConfig) from LOG_FORMAT, LOG_LEVEL, LOG_REQUESTS, TIME_ZONE
    and GUNICORN_ACCESS_LOG."""
    zone = time_zone()
    requests_logged = env_bool("LOG_REQUESTS", not env_bool("DEBUG", True))
    # The app logs every request itself (config/security.py: JSON with request id, user, duration);
    # gunicorn's own access line only when asked for.
    gunicorn_access = env_bool("GUNICORN_ACCESS_LOG", False)
    console = {"handlers": ["console"], "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": JsonFormatter,
                "fmt": FIELDS,
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
                "time_zone": zone,
            },
            "text": {"()": TextFormatter, "fmt": FIELDS, "time_zone": zone},
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": log_format()}},
        "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
        "loggers": {
            "cdm.request": {"level": "INFO" if requests_logged else "WARNING"},
            "gunicorn.error": {"level": "INFO", **console},
            "gunicorn.access": {"level": "INFO" if gunicorn_access else "WARNING", **console},
            # WeasyPrint logs every rendering step at INFO, django-axes every login (with the name
            # and address masked): keep their warnings only (axes warns of each lockout).
            **{name: {"level": "WARNING"} for name in ("weasyprint", "weasyprint.progress", "fontTools", "axes")},
        },
    }
