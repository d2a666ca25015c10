"""Real database errors on demand, on SQLite and PostgreSQL alike: while `tables_unavailable(...)`
is open, a query on those tables fails with an OperationalError, as when the database is away.

SQLite: the tables are renamed away ("no such table"). PostgreSQL: another connection holds their
lock, and a connection made with `LOCK_TIMEOUT` gives up waiting for it ("lock timeout").
"""

from contextlib import contextmanager

import psycopg
from django.db import connection

from tests.config.test_workers import database_url

LOCK_TIMEOUT = "200ms"


def failing_database_url() -> str:
    """The test database for another process, whose queries on a locked table fail soon."""
    if connection.vendor == "sqlite":
        return database_url()
    return f"{database_url()}?options=-c%20lock_timeout%3D{LOCK_TIMEOUT}"


@contextmanager
def tables_unavailable(*tables: str):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_away")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(f"ALTER TABLE {table}_away RENAME TO {table}")
        return
    with psycopg.connect(database_url()) as holder, connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")  # this process gives up soon too
        holder.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
        try:
            yield
        finally:
            holder.rollback()
            cursor.execute("RESET lock_timeout")
