"""Deployments in admin: read-only, because a deployment is an immutable record.

New deployments come from `deploy_project` (the editor, the API, the admin
"deploy" action of workflows, `manage.py deploy`); workers move the status.
"""

from django.contrib import admin

from .models import Deployment


@admin.register(Deployment)
class DeploymentAdmin(admin.ModelAdmin):
    list_display = ("build_id", "project", "status", "created", "created_by")
    list_filter = ("status", "project")
    search_fields = ("build_id", "project__name", "project__slug")
    date_hierarchy = "created"
    readonly_fields = (
        "project",
        "build_id",
        "created",
        "created_by",
        "status",
        "status_changed",
        "changed",
        "replay_report",
        "diagnostics",
        "report",
        "sources",
    )
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
