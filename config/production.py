"""Production overrides: `DJANGO_SETTINGS_MODULE=config.production`.

Kept small and strict so `manage.py check --deploy` stays clean. Anything
that would make a deployment quietly insecure (the public development
SECRET_KEY, a guessable one) stops the process at start-up instead.
Served by gunicorn (`gunicorn config.wsgi`, docs/deploy.md), static files
included: WhiteNoise serves what `manage.py collectstatic` gathered.
"""

from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F403
from .settings import DEV_SECRET_KEY, MIDDLEWARE, env

# Django's own deployment check (security.W009) asks for the same.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5


def secret_key_problem(key: str) -> str:
    """Why `key` must not sign sessions in production ("" when it may)."""
    if not key:
        return "SECRET_KEY is empty."
    if key == DEV_SECRET_KEY or key.startswith("django-insecure-"):
        return "SECRET_KEY is the public development key."
    if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        return (
            f"SECRET_KEY is too weak: it needs at least {SECRET_KEY_MIN_LENGTH} characters "
            f"and {SECRET_KEY_MIN_UNIQUE_CHARACTERS} different ones."
        )
    return ""


DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="")
if problem := secret_key_problem(SECRET_KEY):
    raise ImproperlyConfigured(
        f"{problem} Set SECRET_KEY to a long random value, e.g. the output of "
        '`python -c "import secrets; print(secrets.token_urlsafe(64))"`.'
    )
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Only a proxy that sets (and strips clients' own) X-Forwarded-Proto may be
# believed about https; without one, anyone could send the header.
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Workflows reach no HTTP endpoint until the operator lists one, whatever the
# development default is (docs/activities.md), and the example activities,
# which read and write files, are loaded only when WORKFLOW_ACTIVITY_MODULES names them.
HTTP_ACTIVITY_ALLOWED_HOSTS = env.list("HTTP_ACTIVITY_ALLOWED_HOSTS", default=[])
WORKFLOW_ACTIVITY_MODULES = env.list("WORKFLOW_ACTIVITY_MODULES", default=["compiler.activities.builtins"])

# Static files from the web processes themselves (WhiteNoise), so a deployment needs no
# separate file server: names carry a content hash (cached for a year) and are
# precompressed. `manage.py collectstatic` writes them to STATIC_ROOT at each upgrade;
# a page naming a file collectstatic did not write fails instead of linking a 404.
# Right after SecurityMiddleware, which redirects to https before anything is served.
_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE = [*MIDDLEWARE[:_security], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[_security:]]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
