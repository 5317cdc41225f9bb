"""Loading the activity modules named in settings (``WORKFLOW_ACTIVITY_MODULES``)."""

from compiler.activities.registry import ActivitySpec, load_activity_modules

DEFAULT_MODULES = ["compiler.activities.builtins"]


def load_configured_activities() -> list[ActivitySpec]:
    """Import the built-ins and every configured module; returns all registered activities.

    Called by the worker before it builds its ``Worker`` and by the compiler
    and editor before they list or check activity names.
    """
    from django.conf import settings

    modules = getattr(settings, "WORKFLOW_ACTIVITY_MODULES", DEFAULT_MODULES)
    return load_activity_modules([*DEFAULT_MODULES, *(m for m in modules if m not in DEFAULT_MODULES)])
