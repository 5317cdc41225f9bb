from django.apps import AppConfig


class CompilerConfig(AppConfig):
    name = "compiler"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from compiler import checks  # noqa: F401  (registers the start-up checks)
