"""Django settings for duban's web application.

Everything stateful lives under ``DUBAN_DATA_DIR``; ``DATABASE_URL`` overrides
the database.  No setting points outside this machine: scripts and styles are
served from the package's own static folders.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from duban.web.config import LOCAL_HOSTS, data_dir, database_from_url, load_config, secure_folder

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()
secure_folder(DATA_DIR)
LOG_DIR = DATA_DIR / "logs"
LOG_DIR.mkdir(mode=0o700, exist_ok=True)
# Settings from DATA_DIR/duban.toml, the environment winning (docs/deploy.md lists them).
CONFIG = load_config(DATA_DIR)
# Several servers share one uploads folder (a network mount) and one PostgreSQL database.
UPLOAD_DIR = Path(CONFIG["uploads_dir"]).expanduser() if CONFIG.get("uploads_dir") else DATA_DIR / "uploads"


def _secret_key() -> str:
    """From the environment or the file, else generated once into the data folder (0600)."""
    if CONFIG.get("secret_key"):
        return CONFIG["secret_key"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("DUBAN_DEBUG") == "1"
ALLOWED_HOSTS = CONFIG.get("allowed_hosts") or LOCAL_HOSTS
CSRF_TRUSTED_ORIGINS = CONFIG.get("csrf_trusted_origins", [])

# HTTPS mode: behind the office's TLS proxy, which sets X-Forwarded-Proto.
HTTPS = CONFIG.get("https", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # the intranet's other hosts are not ours to decide for
else:
    # Plain HTTP on a trusted intranet: duban.I005 says so once instead of Django's four HTTPS warnings.
    SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008", "security.W012", "security.W016"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "duban.web.views.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "duban.web.admin_site.DubanAdminConfig",  # django.contrib.admin, for the site administrator alone
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "duban.web.apps.DubanWebConfig",
    "duban.web.jobs.apps.JobsConfig",
]

# Background jobs (duban.web.jobs): Django's tasks framework, its queue in this database.
# DUBAN_JOBS=thread runs it in worker threads of the web process (nothing else to start),
# external leaves it to `django-admin db_worker`, inline runs each job in its request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DUBAN_JOBS = os.environ.get("DUBAN_JOBS", "thread")
DUBAN_JOB_WORKERS = int(os.environ.get("DUBAN_JOB_WORKERS", "2"))
# The expensive half of a job runs in a child process that can be stopped at the time limit.
DUBAN_JOBS_ISOLATED = os.environ.get("DUBAN_JOBS_ISOLATED", "1") == "1"
# Hours a finished job keeps its upload and its rendered file (duban.web.jobs.runner.KEEP_HOURS).
DUBAN_JOB_KEEP_HOURS = float(os.environ.get("DUBAN_JOB_KEEP_HOURS", "24"))
# Up to how many tasks a Word/Excel file is made in its request; unset: per file, duban.web.jobs.renders.INLINE_TASKS.
DUBAN_RENDER_INLINE_TASKS = (
    int(os.environ["DUBAN_RENDER_INLINE_TASKS"]) if os.environ.get("DUBAN_RENDER_INLINE_TASKS") else None
)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "duban.web.security.OneTimePasswordMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "duban.web.urls"
WSGI_APPLICATION = "duban.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "duban.web.context.actor",
            ],
        },
    }
]

DATABASES = {"default": database_from_url(CONFIG.get("database_url"), DATA_DIR / "duban.sqlite3")}
# The dashboards' accounts of where a plan stands (duban.web.services.overview.kept_account), one file each under
# the data folder: shared by every process of this server, needing nothing else to run.  Each is checked against
# the plan's fingerprint in the database on every read, so a server never shows another's stale figures.
CACHE_DIR = DATA_DIR / "cache"
CACHE_DIR.mkdir(mode=0o700, exist_ok=True)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(CACHE_DIR),
        "OPTIONS": {"MAX_ENTRIES": 2000},  # a plan keeps one per scope (office, each leader, each unit)
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},  # 8 characters
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out username/address before checking the password
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one address lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "duban/locked.html"
AXES_DISABLE_ACCESS_LOG = True  # logins and failures go to duban's own audit log
# The client's address: waitress puts the trusted proxy's X-Forwarded-For into REMOTE_ADDR (trusted_proxy).
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = CONFIG.get("time_zone", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(mode=0o700, exist_ok=True)
# Compressed files with hashed names, collected by ``duban serve``; before that (tests, --dev) the
# package's own files are served under their plain names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "duban.web.staticfiles.Storage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_MAX_AGE = 60 * 60

# No script or style from anywhere but /static/, none inline (django-csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Uploads above this size are refused with a message, not read.
MAX_UPLOAD_BYTES = CONFIG.get("max_upload_bytes", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# An upload whose declared length is over the limit is not parsed at all (duban.web.jobs.uploads).
FILE_UPLOAD_HANDLERS = [
    "duban.web.jobs.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_AGE = 60 * 60 * 12

# Every unexpected error reaches Python logging with its traceback: Django logs each 5xx to
# ``django.request`` with exc_info, duban's own code logs to ``duban``.  All propagate to the root
# logger: its console handler is the service's journal, its file handler a rotating log in the data
# folder (10 files of 5 MB).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"}},
    "handlers": {
        "file": {
            "class": "logging.handlers.RotatingFileHandler",
            "filename": str(LOG_DIR / "duban.log"),
            "maxBytes": 5 * 1024 * 1024,
            "backupCount": 10,
            "encoding": "utf-8",
            "formatter": "plain",
            "delay": True,
        },
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console", "file"], "level": "WARNING"},
    "loggers": {
        # 4xx answers are the users' mistakes, already told to them; 5xx are ours.
        "django.request": {"level": "ERROR"},
        "waitress": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        "duban": {"level": os.environ.get("DUBAN_LOG_LEVEL", "INFO")},
    },
}
