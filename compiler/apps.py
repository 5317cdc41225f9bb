"""The compiler app: it registers its start-up checks (compiler/checks.py) and removes a
project's schedules when the project is deleted.

Projects are deleted by the projects app (API, admin) and by the seed
command, and neither may import the compiler (projects <- workflows <-
compiler), so the compiler listens for the deletion instead of being called.
"""

from django.apps import AppConfig
from django.core.exceptions import ValidationError
from django.db.models.signals import pre_delete


class CompilerConfig(AppConfig):
    name = "compiler"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from compiler import checks  # noqa: F401  (registers the start-up checks)
        from projects.models import Project

        pre_delete.connect(remove_schedules, sender=Project, dispatch_uid="compiler.remove_schedules")


def remove_schedules(sender, instance, **kwargs) -> None:
    """Before a project's rows go, its schedules go: left behind, they would keep starting its runs.

    When Temporal cannot be reached the deletion is refused with a
    ValidationError (a 400 in the API, a message in admin) rather than
    leaving schedules nobody can see any more.
    """
    from compiler.schedules.service import delete_schedules
    from compiler.temporal import TemporalUnavailable

    try:
        delete_schedules(instance)
    except TemporalUnavailable as error:
        raise ValidationError(f"{instance.name} was not deleted: its schedules could not be removed. {error}") from None
