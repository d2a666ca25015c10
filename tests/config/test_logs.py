"""One log stream: the app's records and gunicorn's in one format, stamped in one time zone with
its offset. (tests/config/test_live_server.py reads a real gunicorn's lines.)"""

import json
import logging
import runpy
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from config import logs

ROOT = Path(__file__).resolve().parents[2]
MOMENT = datetime(2026, 12, 8, 2, 41, 7, 118000, tzinfo=ZoneInfo("UTC")).timestamp()


def record(name="gunicorn.error", message="Booting worker with pid: %s", args=(4242,)):
    made = logging.LogRecord(name, logging.INFO, __file__, 1, message, args, None)
    made.created = MOMENT
    return made


def formatter(monkeypatch, **environment):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    configuration = logs.configuration()
    chosen = configuration["formatters"][configuration["handlers"]["console"]["formatter"]]
    factory = chosen.pop("()")
    return factory(**chosen)


def test_json_lines_carry_the_time_in_the_time_zone_with_its_offset(monkeypatch):
    line = json.loads(formatter(monkeypatch, LOG_FORMAT="json", TIME_ZONE="Asia/Shanghai").format(record()))
    assert line == {
        "time": "2026-12-08T10:41:07.118+08:00",
        "level": "INFO",
        "logger": "gunicorn.error",
        "message": "Booting worker with pid: 4242",
    }


def test_text_lines_use_the_same_time(monkeypatch):
    line = formatter(monkeypatch, LOG_FORMAT="text", TIME_ZONE="UTC").format(record())
    assert line == "2026-12-08T02:41:07.118+00:00 INFO gunicorn.error Booting worker with pid: 4242"


def test_gunicorn_logs_with_the_apps_configuration(monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "json")
    gunicorn_settings = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    configuration = gunicorn_settings["logconfig_dict"]
    assert configuration == logs.configuration()
    for name in ("gunicorn.error", "gunicorn.access"):
        assert configuration["loggers"][name]["handlers"] == ["console"]
        assert configuration["loggers"][name]["propagate"] is False  # once, not again through the root


def test_gunicorns_access_lines_only_when_asked_for(monkeypatch):
    monkeypatch.delenv("GUNICORN_ACCESS_LOG", raising=False)
    assert logs.configuration()["loggers"]["gunicorn.access"]["level"] == "WARNING"
    monkeypatch.setenv("GUNICORN_ACCESS_LOG", "1")
    assert logs.configuration()["loggers"]["gunicorn.access"]["level"] == "INFO"
