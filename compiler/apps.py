from django.apps import AppConfig


class CompilerConfig(AppConfig):
    name = "compiler"
    default_auto_field = "django.db.models.BigAutoField"
