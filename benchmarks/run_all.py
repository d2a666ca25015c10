"""Run every benchmark in its own process and print their numbers (docs/performance.md)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for script in ("scoring_core.py", "scores_queries.py", "plans.py", "reports.py", "portfolio.py"):
    print(f"== {script}", flush=True)
    subprocess.run([sys.executable, str(HERE / script)], check=True)
