"""gunicorn settings for `make serve` and the systemd unit (docs/deployment.md).

Threads in a few processes: the app waits on the database most of the time, and a PDF report
holds a thread for about a second. WEB_CONCURRENCY processes (default: two per CPU, at most 8)
× GUNICORN_THREADS threads (default 4) requests at once.
"""

import multiprocessing
import os

from config import logs
from config.proxies import trusted_proxies_from_environment

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", min(8, 2 * multiprocessing.cpu_count())))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = 120  # a report built on demand, on a slow machine, stays well inside this
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then; jitter so they do not restart together
max_requests_jitter = 200
# gunicorn's own lines in the app's format and time zone, in the same stream (config/logs.py). The
# app logs every request itself (config/security.py); GUNICORN_ACCESS_LOG=1 adds gunicorn's line.
logconfig_dict = logs.configuration()
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(M)sms'
# The app's own list (TRUSTED_PROXIES, config/proxies.py): only these peers' X-Forwarded-* count.
forwarded_allow_ips = ",".join(trusted_proxies_from_environment())
