"""Work per report PDF, counted in CPU instructions (valgrind), for comparing layouts.

Wall-clock time on the development machine swings by up to 1.5x between runs of the same code
(docs/performance.md), so small improvements cannot be seen in seconds. Instruction counts are
steady to about 1 %: this script writes the demo report's HTML (昆山市 2025, both languages),
renders each once and twice under `valgrind --tool=cachegrind` exactly as the app does
(`reports.pdf.render_pdf`), and prints the difference — one report's instructions, start-up and
first-render costs left out. Needs Debian's `valgrind`; takes about 5 minutes.

Run from the repository root: .venv/bin/python benchmarks/report_work.py
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if len(sys.argv) == 3:  # the child process: render the HTML file N times
    sys.path.insert(0, str(HERE.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from reports.pdf import render_pdf

    html = Path(sys.argv[1]).read_text()
    for _ in range(int(sys.argv[2])):
        render_pdf(html)
    sys.exit(0)

if not shutil.which("valgrind"):
    sys.exit("valgrind is not installed (Debian: apt-get install valgrind)")

sys.path.insert(0, str(HERE))
from django_setup import setup_demo_database  # noqa: E402

folder = setup_demo_database()

from django.utils import translation  # noqa: E402

from assessment.models import Assessment  # noqa: E402
from reports.delivery import render_report_html  # noqa: E402
from reports.report_data import build_report  # noqa: E402

kunshan = Assessment.objects.select_related("city", "version").get(city__name_zh="昆山市", year=2025)


def instructions(html_file: Path, renders: int) -> int:
    run = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
        + [sys.executable, __file__, str(html_file), str(renders)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    return int(re.search(r"I\s+refs:\s+([\d,]+)", run.stderr).group(1).replace(",", ""))


for language in ("zh-hans", "en"):
    with translation.override(language):
        html_file = folder / f"report-{language}.html"
        html_file.write_text(render_report_html(build_report(kunshan, language=language), for_pdf=True))
    one, two = instructions(html_file, 1), instructions(html_file, 2)
    print(f"report {language:7}: {(two - one) / 1e6:,.0f} million instructions per report", flush=True)
