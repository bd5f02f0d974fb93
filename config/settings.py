"""One settings module, read from the environment (see README "Configuration")."""

from __future__ import annotations

import datetime
import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None


def development_secret_key() -> str:
    """A key generated once into var/ so sessions survive restarts in development."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    # The test runner counts as development; production must set its own key.
    if not DEBUG and "pytest" not in sys.modules:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (in development set DEBUG=1)"
        )
    SECRET_KEY = development_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "disclosure",
    "disclosure.jobs",
    "disclosure.letters",
    "reports",
    "disclosure.accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    # Before anything reads the body (CSRF reads the form).
    "config.middleware.RequestBodyLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "disclosure.accounts.middleware.IdleSessionMiddleware",
    "disclosure.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a login refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Several processes share the quick start's file (web, workers, beat): each write
    # transaction takes the lock when it begins (no deadlock upgrading a read lock), waits up
    # to 20 s for it, and WAL lets readers go on while one process writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # The worklist's covering indexes carry the request's id as a non-key column
    # (PostgreSQL's INCLUDE); SQLite builds them without it, which is all they need there.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "disclosure.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)

# "default" is shared by every worker (API throttles): Redis when REDIS_URL is set, else a
# database table that the accounts app's migration creates. "pages" keeps rendered public
# report pages and downloads per process: they are immutable and keyed by their SHA-256, so
# a process that has not seen one renders it once, and a hit costs no query or round trip.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_TABLE = "django_cache"
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    ),
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "gov-disclosure-pages",
    },
}

LOGIN_URL = "admin:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Logins: 10 failures per username, and per client address, within the cool-off lock both
# out; a lockout ends 30 minutes after the last failed attempt (attempts made while locked
# out start the 30 minutes again), or when an administrator lifts it.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "disclosure.accounts.lockouts.AuditedDatabaseHandler"
AXES_CLIENT_IP_CALLABLE = "disclosure.accounts.lockouts.client_address"
AXES_LOCKOUT_CALLABLE = "disclosure.accounts.views.locked_out"
AXES_ENABLE_ADMIN = False  # disclosure.accounts.admin shows the lockouts in Chinese
AXES_VERBOSE = False
# Reverse proxies in front of the server that append to X-Forwarded-For (0: none, the peer
# address is the client): one rule for the API throttle and the login lockout.
NUM_PROXIES = env_int("NUM_PROXIES", 0)
# An admin session unused for this long must log in again.
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30)
if SESSION_IDLE_TIMEOUT_MINUTES < 1:
    raise ImproperlyConfigured("SESSION_IDLE_TIMEOUT_MINUTES must be 1 or more")
# Two-factor login: any staff user may enable it; when required, superusers and 审核发布
# holders are sent to enrol before anything else.
ADMIN_2FA_REQUIRED = env_bool("ADMIN_2FA_REQUIRED", False)
OTP_TOTP_ISSUER = "政府信息公开管理"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
CSRF_FAILURE_VIEW = "disclosure.accounts.views.csrf_failure"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# No request body larger than this is read (config.middleware.RequestBodyLimitMiddleware):
# Django would otherwise spool any upload, however large, to a temporary file before a form
# could refuse it. The default leaves room for the largest file a form takes (批量评查's zip
# of reports, 200 MB) and the form around it.
UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", 210)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "disclosure.api_filters.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "disclosure.api.schema.BoundedAutoSchema",
    # JSON only: a form encoding cannot say null, and the schema states one encoding.
    "DEFAULT_PARSER_CLASSES": ["disclosure.parsers.JSONParser"],
    "DEFAULT_THROTTLE_RATES": {"public": env_list("PUBLIC_API_RATE", ["120/min"])[0]},
    "NUM_PROXIES": NUM_PROXIES,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "政府信息公开管理 API",
    "DESCRIPTION": (
        "政府信息公开台账和年度报告的接口。工作人员（令牌或登录会话）可读写其所属机构及下级机构的"
        "台账记录，并预览年度报告草稿及其检查结果；已发布的年度报告和答复期限计算向所有人开放"
        "（限流）。错误以 JSON 返回，说明为中文。"
    ),
    # The documentation reads in Chinese: descriptions are written for it (extend_schema),
    # never taken from the code's English docstrings.
    "DISABLE_DOCSTRING_DESCRIPTIONS": True,
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "disclosure.api.schema.text_parameters_without_nul",
        "disclosure.api.schema.bodies_too_large",
    ],
    # One schema name per vocabulary (several models have a "kind" or a "result").
    "ENUM_NAME_OVERRIDES": {
        "BodyKindEnum": "disclosure.vocab.BodyKind",
        "ApplicantKindEnum": "disclosure.vocab.ApplicantKind",
        "AppealKindEnum": "disclosure.vocab.AppealKind",
        "DocumentKindEnum": "disclosure.vocab.DocumentKind",
        "ResultEnum": "disclosure.vocab.Result",
        "AppealResultEnum": "disclosure.vocab.AppealResult",
        "FigureItemEnum": "disclosure.vocab.FigureItem",
        "RequestStatusEnum": "disclosure.vocab.RequestStatus",
        "LetterKindEnum": "disclosure.letters.vocab.LetterKind",
        "LetterStateEnum": "disclosure.letters.vocab.LetterState",
        "ServiceMethodEnum": "disclosure.letters.vocab.ServiceMethod",
        "LetterFormatEnum": "disclosure.letters.vocab.LetterFormat",
    },
}

# --- mail (the daily reminders; README "Configuration") -----------------------------------
# Without EMAIL_HOST mail is printed to the console (development); with it, sent over SMTP.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on")
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
# The address of the site as staff reach it: the links in the reminders.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- background jobs (Celery; README "Running workers") -----------------------------------
# Without a broker every job runs at once in the process that asks for it (``make run`` stays
# one command); with one, jobs queue for ``celery -A config worker`` processes.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
# One queue per installation: several installations (or test runs) may share one Redis.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "disclosure")
# A job's state lives in its row (``disclosure.jobs``), not in a result backend.
CELERY_TASK_IGNORE_RESULT = True
# Each worker process takes one task at a time: chunks of an export spread over all workers.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # A job whose worker stopped (killed, machine lost) is marked failed (任务中断).
    "jobs-fail-interrupted": {"task": "jobs.fail_interrupted", "schedule": 60.0},
    # Result files older than JOBS_RESULT_DAYS are deleted.
    "jobs-expire-results": {"task": "jobs.expire_results", "schedule": 3600.0},
    # The daily reminders at 08:00 (CELERY_TIMEZONE, Asia/Shanghai); the task itself skips
    # days that are not working days and never sends one user two digests for one day.
    "disclosure-send-reminders": {
        "task": "disclosure.send_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
}
# Days a job's result file (and uploaded input) is kept; then it is deleted (410).
JOBS_RESULT_DAYS = env_int("JOBS_RESULT_DAYS", 7)
# Seconds without a heartbeat after which a running job counts as interrupted.
JOBS_HEARTBEAT_TIMEOUT = env_int("JOBS_HEARTBEAT_TIMEOUT", 120)

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG and env_bool("SECURE_COOKIES", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips a client's).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

# No inline script anywhere (the admin, Swagger UI and the public site load theirs from
# static files). Inline styles stay allowed: table column widths shared with the PDF and
# the charts' SVG carry style attributes, and a style cannot run code.
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # A worker (``celery worker -l info``) logs each task it ran and each step of a job;
    # WeasyPrint's own steps of every PDF would drown them.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
