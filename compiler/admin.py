"""Deployments in admin: read-only, because a deployment is an immutable record.

New deployments come from `deploy_project` (the editor, the API, the admin
"deploy" action of workflows, `manage.py deploy`); workers move the status.
A deployment goes only with its project (a build a worker may still be
serving cannot be deleted alone). Like projects and workflows, access
follows the membership role: members of a project see its deployments.
"""

from django.contrib import admin

from compiler.models import Deployment
from projects.admin import is_staff, role_allows
from projects.models import Role
from projects.permissions import projects_for


@admin.register(Deployment)
class DeploymentAdmin(admin.ModelAdmin):
    list_display = ("build_id", "project", "status", "created", "created_by")
    list_filter = ("status", ("project", admin.RelatedOnlyFieldListFilter))
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

    def get_queryset(self, request):
        return Deployment.objects.filter(project__in=projects_for(request.user)).select_related("project", "created_by")

    def has_module_permission(self, request) -> bool:
        return is_staff(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_staff(request) and (obj is None or role_allows(request, obj.project, Role.VIEWER))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
