"""Reading Django settings from activities, lazily.

Activities run in the worker process, where Django is configured by the
``run_worker`` command; importing the settings only when an activity runs
keeps the activity modules importable without Django (and out of the
workflow sandbox's import graph).
"""

from typing import Any


def setting(name: str, default: Any = None) -> Any:
    from django.conf import settings

    return getattr(settings, name, default)
