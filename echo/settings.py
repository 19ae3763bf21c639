"""Echo's one settings module, driven by environment variables (see README)."""

from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
# SQLite files, the embedded broker and beat's schedule live here.
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

# Development and test runs may use throwaway keys; production must bring its own.
_DEV_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"  # noqa: S105
_DEV_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZC0="
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
# Fernet keys for encrypted fields, newest first; older ones only decrypt.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[_DEV_FIELD_KEY] if DEBUG else [])
if not DEBUG:
    missing = [
        name
        for name, value in [
            ("SECRET_KEY", SECRET_KEY),
            ("FIELD_ENCRYPTION_KEYS", FIELD_ENCRYPTION_KEYS),
        ]
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            f"Set {' and '.join(missing)} in the environment: "
            "production refuses to start without them (see README)."
        )
    if SECRET_KEY == _DEV_SECRET_KEY or _DEV_FIELD_KEY in FIELD_ENCRYPTION_KEYS:
        raise ImproperlyConfigured(
            "SECRET_KEY or FIELD_ENCRYPTION_KEYS is the development default: "
            "generate real keys for production (see README)."
        )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "echo.apps.EchoAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "echo",
    "members",
    "groups",
    "events",
    "growth",
    "boards",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "echo.middleware.database_free_pages",
    # After WhiteNoise (inserted above in production): static files stay cacheable.
    "echo.middleware.no_browser_cache",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before session_limits, which says why a session ended.
    "django.contrib.messages.middleware.MessageMiddleware",
    "members.middleware.session_roles",
    "echo.middleware.session_limits",
    "echo.middleware.activate_user_language",
    "echo.middleware.activate_user_time_zone",
    "echo.middleware.switch_language_in_form",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
]

if not DEBUG:
    # runserver and the test server serve static files themselves.
    MIDDLEWARE.insert(2, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "echo.urls"
# Forms drawn whole open with a summary of their errors (echo.forms).
FORM_RENDERER = "echo.forms.FormRenderer"
WSGI_APPLICATION = "echo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "echo.context_processors.echo",
                "groups.context_processors.navigation_roles",
                "members.context_processors.unread_notices",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'echo.sqlite3'}")}
# Measured: a new PostgreSQL connection cost more than the rest of a page.
# Kept for a minute by default, checked before reuse after a restart of the server.
# CONN_MAX_AGE wins over a `?conn_max_age=` in DATABASE_URL.
DATABASES["default"]["CONN_MAX_AGE"] = env.int(
    "CONN_MAX_AGE", default=DATABASES["default"].get("CONN_MAX_AGE") or 60
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
    )
    # A file, not memory, so that a real Celery worker in a test sees it too.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
# Two test runs at once on one machine each need a test database of their own.
if test_database := env("TEST_DATABASE_NAME", default=""):
    DATABASES["default"]["TEST"] = {"NAME": test_database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A real, shared cache: allauth's rate limits and used-TOTP markers live here.
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://echo_cache")}

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "members.backends.ModelBackend",
    "members.backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
# A form arriving after the session ended keeps its text (echo.kept_text),
# also when the CSRF token changed with a sign-in in another tab.
CSRF_FAILURE_VIEW = "echo.views.csrf_failure"
LOGIN_REDIRECT_URL = "members:home"
LOGOUT_REDIRECT_URL = "landing"

# allauth: email login, mandatory verification, no enumeration, no login by code.
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = False  # a mailbox may be shared
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Echo: "
ACCOUNT_FORMS = {
    "signup": "members.forms.SignupForm",
    "reset_password": "members.forms.ResetPasswordForm",
}
ACCOUNT_EMAIL_NOTIFICATIONS = False

MFA_ADAPTER = "members.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Echo"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

USERSESSIONS_TRACK_ACTIVITY = False

# Database sessions that read as empty while the database is down, so that
# the pages needing no database still answer (echo/sessions.py).
SESSION_ENGINE = "echo.sessions"
# Sessions end when the browser closes, after 30 idle minutes, and at the
# latest 12 hours after login (echo.middleware.session_limits).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_LIMIT = timedelta(seconds=env.int("SESSION_IDLE_SECONDS", default=30 * 60))
# The last activity is written at most this often (echo.middleware.session_limits),
# not on every request; the session row outlives the idle limit by as much.
SESSION_ACTIVITY_WRITE_INTERVAL = timedelta(minutes=1)
SESSION_COOKIE_AGE = int((SESSION_IDLE_LIMIT + SESSION_ACTIVITY_WRITE_INTERVAL).total_seconds())
SESSION_ABSOLUTE_LIMIT = timedelta(seconds=env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 3600))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

SECURE = not DEBUG and env.bool("SECURE", default=True)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 63072000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
BEHIND_PROXY = env.bool("BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# allauth's rate limits count per address: behind the proxy that is the one
# the proxy adds last to X-Forwarded-For, not the proxy's own for everyone.
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if BEHIND_PROXY else 0
# Not "no-referrer": with it browsers send "Origin: null" on form posts,
# which Django's CSRF check rightly refuses. Other hosts still get nothing.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates with their weekday, per language (echo/formats/).
FORMAT_MODULE_PATH = ["echo.formats"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_email_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
    "file_path": _email.get("EMAIL_FILE_PATH"),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {k: v for k, v in _email_options.items() if v not in (None, "")}
        | ({"timeout": 20} if "smtp" in _email["EMAIL_BACKEND"] else {}),
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Echo <echo@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Failed deliveries are retried with backoff this many times, then marked failed.
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=8)
# A failed email keeps its (encrypted) body this many days for a coordinator
# to try it again; then the body is cleared and the coordinators are told.
FAILED_EMAIL_BODY_DAYS = env.int("FAILED_EMAIL_BODY_DAYS", default=14)

CELERY_BROKER_URL = env.str(
    "CELERY_BROKER_URL", default=f"sqla+sqlite:///{VAR_DIR / 'broker.sqlite3'}"
)
# Tests run tasks in-process unless they start a real worker.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must fail fast when the broker is down: the database row stays
# the truth and the sweep hands it over later.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0}
# A Redis that hangs (rather than refuses) must not hang a request either.
# Above the worker's 1-second BRPOP; only Redis takes these options.
REDIS_BROKER_OPTIONS = {"socket_timeout": 5, "socket_connect_timeout": 2}
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS |= REDIS_BROKER_OPTIONS
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "deliver-due-email": {
        "task": "echo.tasks.sweep_outgoing_email",
        "schedule": timedelta(minutes=1),
    },
    "purge-kept-text": {
        "task": "echo.tasks.purge_kept_text",
        "schedule": timedelta(minutes=10),
    },
    "queue-meeting-reminders": {
        "task": "events.tasks.queue_due_reminders",
        "schedule": timedelta(minutes=1),
    },
    "erase-stale-applications": {
        "task": "members.tasks.erase_stale_applications",
        "schedule": crontab(hour=3, minute=17),
    },
    # 00:30 on Celery's clock (UTC) is after midnight in Brussels all year.
    # 17:00 UTC is early evening in Brussels: one board digest a day.
    "send-board-digests": {
        "task": "boards.tasks.send_digests",
        "schedule": crontab(hour=17, minute=0),
    },
    "delete-old-notices": {
        "task": "members.tasks.delete_old_notices",
        "schedule": crontab(hour=3, minute=41),
    },
    "take-daily-snapshots": {
        "task": "growth.tasks.take_daily_snapshots",
        "schedule": crontab(hour=0, minute=30),
    },
}

# A member's first posts wait for a moderator; so does a post that this many
# different members report (it is hidden until a moderator decides).
BOARDS_FIRST_POSTS_HELD = env.int("BOARDS_FIRST_POSTS_HELD", default=3)
BOARDS_REPORTS_TO_HIDE = env.int("BOARDS_REPORTS_TO_HIDE", default=3)

PRIVACY_STATEMENT_VERSION = "2026-11"
# Who is responsible for the data, and whom to ask about it (the privacy statement).
ORGANISATION_NAME = env.str("ORGANISATION_NAME", default="Echo vzw")
ORGANISATION_ADDRESS = env.str("ORGANISATION_ADDRESS", default="")
PRIVACY_CONTACT_EMAIL = env.str(
    "PRIVACY_CONTACT_EMAIL", default=parseaddr(DEFAULT_FROM_EMAIL)[1] or "echo@localhost"
)
# Where anyone may complain: the Belgian Data Protection Authority, its site per language.
DATA_PROTECTION_AUTHORITY = {
    "nl": "https://www.gegevensbeschermingsautoriteit.be/",
    "fr": "https://www.autoriteprotectiondonnees.be/",
    "en": "https://www.dataprotectionauthority.be/",
}
# Declined and withdrawn applications are erased after this many days.
STALE_APPLICATION_DAYS = 90
# Notices inside Echo are deleted after this many days, read or not.
NOTICE_DAYS = env.int("NOTICE_DAYS", default=90)
QUICK_EXIT_URL = env.str("QUICK_EXIT_URL", default="https://www.google.com/search?q=weer")

ADMINS = []
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
}

SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")
