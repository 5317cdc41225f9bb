"""Settings for the workflow studio.

Everything that differs between machines comes from environment variables
(django-environ), so the same code runs on a laptop with SQLite and the dev
Temporal server, and in production with PostgreSQL and a Temporal cluster.
"""

import os
import sys
import tempfile
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", "[::1]"]),
    SECURE_SSL_REDIRECT=(bool, False),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
# The fallback key only exists so a fresh checkout starts; it is public, so
# config/production.py refuses it (and any missing or weak key).
DEV_SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 - public on purpose; production refuses it
SECRET_KEY = env("SECRET_KEY", default=DEV_SECRET_KEY)
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "axes",
    "projects",
    "workflows",
    "compiler",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.RefuseNulInUrlMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.middleware.HtmxErrorMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Workers, the web server and management commands share one SQLite file;
    # wait for a lock instead of failing at once. IMMEDIATE takes the write lock
    # when a transaction begins: a deferred one that reads first and then writes
    # fails with "database is locked" at once when another writer got in between.
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
    # Tests run `run_worker` as a subprocess that must read the test's rows, so
    # the test database is a file (per test process), not SQLite's :memory:.
    DATABASES["default"].setdefault("TEST", {}).setdefault(
        "NAME", str(Path(tempfile.gettempdir()) / f"workflow-studio-test-{os.getpid()}.sqlite3")
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): AxesStandaloneBackend refuses a locked-out
# username or address before the password is checked. After AXES_FAILURE_LIMIT
# wrong passwords for one username from one address, that pair is locked out
# for AXES_COOLOFF_TIME hours (the right password included); the lockout page
# says so. `manage.py axes_reset` lifts lockouts early.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_TIME", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Not the "AXES: BEGIN ..." banner on every manage.py command (management commands print their own progress).
AXES_VERBOSE = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where `manage.py collectstatic` gathers the files config.production serves.
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "projects:list"
LOGOUT_REDIRECT_URL = "login"

REST_FRAMEWORK = {
    # Basic first: DRF takes the WWW-Authenticate header from the first class,
    # so a missing or wrong credential is a 401 with a challenge, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "projects.authentication.LockoutAwareBasicAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies too deep, with lone surrogates, NUL or NaN are a 400 (workflows/input_checks.py).
    "DEFAULT_PARSER_CLASSES": [
        "workflows.api.checked_json.CheckedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Workflow Studio API",
    "DESCRIPTION": "Design workflow graphs, compile them to Temporal code, deploy and run them.",
    "VERSION": "1.0.0",
    # The schema names every endpoint and field: only for logged-in users.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI served from our static files (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# Temporal: the dev server from `make run` by default; a cluster or Temporal
# Cloud by setting these (no code changes).
TEMPORAL_ADDRESS = env("TEMPORAL_ADDRESS", default="localhost:7233")
TEMPORAL_NAMESPACE = env("TEMPORAL_NAMESPACE", default="default")
TEMPORAL_API_KEY = env("TEMPORAL_API_KEY", default="")
TEMPORAL_TLS = env.bool("TEMPORAL_TLS", default=False)
TEMPORAL_WEB_URL = env("TEMPORAL_WEB_URL", default="http://localhost:8233")

# Activities the workers register, besides the built-ins.
WORKFLOW_ACTIVITY_MODULES = env.list(
    "WORKFLOW_ACTIVITY_MODULES",
    default=[
        "compiler.activities.builtins",
        "examples.package_management.activities",
        "examples.everyday.activities",
    ],
)
# Endpoints `http_request` may call, as scheme://host:port (docs/activities.md);
# empty denies every request. The Temporal ports are refused even when listed.
HTTP_ACTIVITY_ALLOWED_HOSTS = env.list("HTTP_ACTIVITY_ALLOWED_HOSTS", default=[])
# File activities (the examples) work only in workspaces under this directory.
WORKSPACE_BASE_DIR = Path(env("WORKSPACE_BASE_DIR", default=str(BASE_DIR / "var" / "workspaces")))
AGENT_PROVIDER = {
    "kind": env("AGENT_PROVIDER", default="scripted"),
    "base_url": env("AGENT_BASE_URL", default=""),
    "model": env("AGENT_MODEL", default=""),
    "api_key": env("AGENT_API_KEY", default=""),
    "script": env("AGENT_SCRIPT", default="examples.package_management.agent_script.SCRIPT"),
}
MCP_SERVERS = {
    "packages": {
        "transport": "stdio",
        # The interpreter running Django (the virtualenv's), so the server finds the mcp package.
        "command": env("MCP_PYTHON", default=sys.executable),
        "args": ["-m", "examples.package_management.mcp_server"],
        # A stdio server only sees the variables listed here.
        "env": {
            "PACKAGES_QUEUE_FILE": env("PACKAGES_QUEUE_FILE", default=str(BASE_DIR / "var" / "packages-queue.json"))
        },
        "cwd": str(BASE_DIR),
        # The project slugs whose workflows may use this server (compiler/activities/mcp_access.py).
        "projects": ["package-management"],
    },
}
# "temporal" (Temporal Schedules) or "celery" (django-celery-beat PeriodicTask rows).
SCHEDULE_BACKEND = env("SCHEDULE_BACKEND", default="temporal")
# New Temporal Schedules start paused (the test suite sets this, so a seeded
# cron trigger never fires into a test that did not ask for it).
SCHEDULES_PAUSED_ON_CREATE = env.bool("SCHEDULES_PAUSED_ON_CREATE", default=False)
# Only for SCHEDULE_BACKEND=celery (config/celery.py).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_TIMEZONE = "UTC"
# Where workers materialise deployed sources (keyed by build id).
GENERATED_CODE_DIR = Path(env("GENERATED_CODE_DIR", default=str(BASE_DIR / "var" / "generated")))

# Request URLs can carry ids and tokens, so nothing logs them at INFO: the
# runserver access lines (django.server) show only from ACCESS_LOG_LEVEL
# (default WARNING: failed requests), and httpx, which logs every URL it calls
# (http_request, agents) at INFO, is raised to WARNING.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {
            "handlers": ["console"],
            "level": env("ACCESS_LOG_LEVEL", default="WARNING"),
            "propagate": False,
        },
        "httpx": {"level": "WARNING"},
    },
}
