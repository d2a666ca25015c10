"""Settings for City Digital Maturity, read from the environment.

Development works with no environment at all (SQLite, DEBUG on). With DEBUG off the app
refuses to start unless SECRET_KEY is set. PostgreSQL: set DATABASE_URL.
"""

import logging
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from config import logs
from config.env import env_bool, env_int, env_list, env_str
from config.proxies import trusted_proxies_from_environment

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the app will not start without a secret key: "
            "set SECRET_KEY to a long random string (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_tasks",
    "background",  # before django_tasks_db: its db_worker command replaces the library's
    "config.apps.TasksDatabaseConfig",  # django_tasks_db and axes, named in our languages
    "config.apps.LoginProtectionConfig",
    "csp",
    "common",
    # The apps, in the order the data flows (docs/development.md): each imports only from those
    # before it; the start page and the demo read them all.
    "accounts",
    "cities",
    "assessment",
    "plans",
    "reports",
    "portfolio",
    "home",
    "demo",
]

MIDDLEWARE = [
    # First: a request answered by any middleware below is logged too (config/security.py).
    "config.security.RequestLogMiddleware",
    "config.security.ForwardedProtoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.security.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything reads a body (and inside the security headers, which its refusal gets too):
    # a body larger than the app takes is refused unread.
    "config.request_size.RequestSizeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"


SQLITE_OPTIONS = {
    # Several officials save at once: WAL lets readers run beside the writer, the timeout makes
    # a writer wait instead of failing with "database is locked", and IMMEDIATE takes the write
    # lock at BEGIN so no transaction has to upgrade.
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
}


def _database() -> dict:
    """SQLite by default; DATABASE_URL otherwise. SQLite gets the same options however it is named
    (the default path, SQLITE_PATH or DATABASE_URL=sqlite:///…)."""
    url = env_str("DATABASE_URL")
    if url:
        database = dj_database_url.parse(url, conn_max_age=env_int("CONN_MAX_AGE", 60))
        if database["ENGINE"] != "django.db.backends.sqlite3":
            return database
        name = database["NAME"]
    else:
        name = env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        "OPTIONS": {**SQLITE_OPTIONS},
        # Tests use a file too (not memory), so concurrent saves meet the same locking as in use.
        # (One file per process, so two test runs in one checkout do not share it.)
        "TEST": {"NAME": env_str("SQLITE_TEST_PATH", str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3"))},
    }


DATABASES = {"default": _database()}

# Nothing a second app server needs is kept in one process: sessions are in the database
# (Django's default engine), and so is the cache (`manage.py createcachetable`, run by `make db`
# and the upgrade steps), shared by every server and worker. What a process does keep in memory
# is only what never changes: the published question banks (`assessment.bank_cache`).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cdm_cache",
        "TIMEOUT": 300,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses a login while the account or the address is locked out, and counts failures.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Mail: off until EMAIL_HOST names an SMTP server. Then the login page offers resetting a forgotten
# password by mail; until then those pages are not found (accounts/mail.py, docs/deployment.md).
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "webmaster@localhost")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = logs.time_zone()
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Source maps are only fetched by a browser's developer tools; compressing bootstrap's (20 MB)
# with brotli was 60 % of collectstatic's time, which the first `make serve` waits for.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
# Uploaded evidence and generated reports: private, never served as static files
# (`common.storage`): on the filesystem under MEDIA_ROOT, or in an S3-compatible bucket.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))


def _s3_options() -> dict:
    """django-storages' S3Storage options when S3_BUCKET is set; else {} (the filesystem)."""
    bucket = env_str("S3_BUCKET")
    if not bucket:
        return {}
    options = {
        "bucket_name": bucket,
        "endpoint_url": env_str("S3_ENDPOINT_URL") or None,  # MinIO or another S3 service; None: AWS
        "region_name": env_str("S3_REGION") or None,
        "access_key": env_str("S3_ACCESS_KEY_ID") or None,  # None: boto3's own (AWS_ variables, roles)
        "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
        "location": env_str("S3_PREFIX").strip("/"),
        "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),  # MinIO wants path-style
        "signature_version": "s3v4",
        "default_acl": None,  # the bucket's own: private
        "querystring_auth": True,  # any URL made is signed and expires (files are served by views)
        "querystring_expire": 300,
        "file_overwrite": False,
    }
    return {name: value for name, value in options.items() if value is not None}


S3_STORAGE_OPTIONS = _s3_options()

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# The worker (background/): a worker silent for WORKER_STALE_AFTER seconds is lost, and its job is
# queued again once, then failed; /healthz/worker answers 503 after WORKER_HEALTH_AFTER seconds.
WORKER_STALE_AFTER = env_int("WORKER_STALE_AFTER", 10 * 60)
WORKER_HEALTH_AFTER = env_int("WORKER_HEALTH_AFTER", 2 * 60)

# Fonts the PDF report asks for, in order; the system check wants at least one of them.
REPORT_CJK_FONT_FAMILIES = ["Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC"]
# English reports set Latin text in this face first (Chinese terms fall back to the CJK font):
# a Latin face reads better and lays out faster than the CJK font's Latin glyphs.
REPORT_LATIN_FONT_FAMILY = "Liberation Sans"

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
# The proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (config/proxies.py); gunicorn
# reads the same list. Default: the loopback addresses, where the proxy of docs/deployment.md runs.
TRUSTED_PROXIES = trusted_proxies_from_environment()
# Request bodies (config/request_size.py), refused by their Content-Length before they are read: at
# most 64 KB before logging in (the login form takes well under 1 KB); 12 MB for a logged-in upload
# (evidence files are at most 10 MB, question banks and catalogues 5 MB); 8 MB for any other body,
# which Django reads into memory: the batch save's JSON of 500 answers with 5,000-character Chinese
# comments is 7.5 MB (docs/deployment.md). The proxy's client_max_body_size is 12m to match.
ANONYMOUS_REQUEST_MAX_BYTES = 64 * 1024
REQUEST_MAX_BYTES = 12 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024
# Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto (docs/deployment.md):
# plain HTTP is redirected to HTTPS and browsers are told to stay on HTTPS (HSTS).
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz(/worker)?$"]  # the load balancer and the monitor ask over plain HTTP
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): every script is a file served by the app, never inline
# (the JSON that pages hand to their scripts is data, not code). Inline styles stay allowed: the
# charts and progress bars size themselves with style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one account, or from
# one address, further attempts are refused for AXES_COOLOFF_MINUTES, with a page that says so.
# A successful login clears the account's count.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
AXES_VERBOSE = False

# Logs go to standard error (systemd's journal, or the console), the app's and gunicorn's alike, in
# one format and one time zone (config/logs.py). In production (DEBUG off) each record is one JSON
# object, so the request lines of `config.security.RequestLogMiddleware` (request id, method, path,
# status, duration, user, client) can be searched and counted; LOG_FORMAT=text gives plain lines.
# Under runserver the server logs requests itself.
LOG_FORMAT = logs.log_format()
LOGGING = logs.configuration()
logging.captureWarnings(True)  # Python's warnings too, as records in that format, not bare lines
