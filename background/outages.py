"""Waiting out a database outage (a restart, a failover, a dropped connection).

A worker meets one as an `OperationalError` or `InterfaceError` on its next query. It closes its
connections (Django opens a new one on the next query), says so once, and tries again after a
wait that doubles up to a cap: soon enough to resume within seconds of a restart, rarely enough
not to flood the log during a long outage.
"""

import contextlib
import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import InterfaceError, OperationalError, connections

logger = logging.getLogger("background")

T = TypeVar("T")

# What a database that went away raises (psycopg: "server closed the connection unexpectedly",
# "connection already closed"; SQLite: "no such table" while a file is being replaced).
DATABASE_ERRORS = (OperationalError, InterfaceError)

FIRST_WAIT = 0.5  # seconds
LONGEST_WAIT = 5.0


def describe(error: BaseException) -> str:
    """The error on one line, for a log line."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:300]


def close_connections() -> None:
    """Drop this thread's database connections: after an error they may be dead."""
    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(*DATABASE_ERRORS):  # closing a connection the server already dropped
            connection.close()


class Backoff:
    """Waits that double from `FIRST_WAIT` up to `LONGEST_WAIT` seconds, until `reset()`."""

    def __init__(self, first: float = FIRST_WAIT, longest: float = LONGEST_WAIT):
        self.first, self.longest = first, longest
        self.current = first

    def next(self) -> float:
        wait = self.current
        self.current = min(self.current * 2, self.longest)
        return wait

    def reset(self) -> None:
        self.current = self.first


def patiently(action: Callable[[], T], *, what: str) -> T:
    """Do `action` until it gets through a database outage, waiting between tries."""
    backoff = Backoff()
    while True:
        try:
            return action()
        except DATABASE_ERRORS as error:
            close_connections()
            wait = backoff.next()
            logger.warning("Could not %s: %s; trying again in %.1f s.", what, describe(error), wait)
            time.sleep(wait)
