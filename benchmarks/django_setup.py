"""Start Django on a throwaway SQLite database filled by seed_demo, for the benchmarks."""

import os
import sys
import tempfile
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_demo_database() -> Path:
    """Point Django at a fresh temporary database, migrate it and load the demo data."""
    sys.path.insert(0, str(ROOT))
    folder = Path(tempfile.mkdtemp(prefix="cdm-bench-"))
    os.environ["SQLITE_PATH"] = str(folder / "bench.sqlite3")
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    os.environ.pop("DATABASE_URL", None)
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=StringIO())
    return folder
