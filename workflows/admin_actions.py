"""Admin actions validate / compile / deploy for workflows, on the changelist and as change-page buttons.

They are thin callers of the compiler's services (`compile_project`,
`deploy_project`) and report through admin messages, so the admin tells a
user what the editor's toolbar tells them. Validating and compiling need the
viewer role (admin's queryset is already scoped to the user's projects);
deploying needs the editor role in each project, checked here per project
because one selection may span projects with different roles.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html

from compiler import temporal
from compiler.builds.deploy import deploy_project
from compiler.diagnostics import Diagnostic, Severity
from compiler.pipeline import CompileResult
from compiler.project_reader import compile_project
from projects.admin import role_allows
from projects.models import Project, Role
from workflows.models import Workflow

# Admin messages are a banner, not a report: beyond this many per workflow, say how many more.
MAX_DIAGNOSTICS = 10
LEVELS = {Severity.ERROR: messages.ERROR, Severity.WARNING: messages.WARNING, Severity.INFO: messages.INFO}


def _by_project(workflows: Iterable[Workflow]) -> dict[Project, list[Workflow]]:
    grouped: dict[Project, list[Workflow]] = {}
    for workflow in workflows:
        grouped.setdefault(workflow.project, []).append(workflow)
    return grouped


def _compiled(workflows: Iterable[Workflow]) -> list[tuple[Workflow, CompileResult]]:
    """Each selected workflow's result, compiled with its project (child and signal targets are checked across it)."""
    found = []
    for project, selected in _by_project(workflows).items():
        results = compile_project(project)
        found += [(workflow, results[workflow.identifier]) for workflow in selected]
    return found


def _report(admin_view: admin.ModelAdmin, request: HttpRequest, label: str, diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics[:MAX_DIAGNOSTICS]:
        admin_view.message_user(request, f"{label}: {diagnostic.line()}", LEVELS[diagnostic.severity])
    if len(diagnostics) > MAX_DIAGNOSTICS:
        more = len(diagnostics) - MAX_DIAGNOSTICS
        admin_view.message_user(request, f"{label}: … and {more} more; the editor lists them all.", messages.ERROR)


def _editor_link(workflow: Workflow, name: str, text: str, query: str = "") -> str:
    url = reverse(f"workflows:{name}", args=(workflow.project.slug, workflow.identifier)) + query
    return format_html('<a href="{}">{}</a>', url, text)


@admin.action(description="Validate selected workflows")
def validate_workflows(admin_view, request, queryset) -> None:
    for workflow, result in _compiled(queryset.select_related("project")):
        label = str(workflow)
        errors = sum(1 for d in result.diagnostics if d.is_error)
        if errors:
            admin_view.message_user(request, f"{label}: {errors} error(s).", messages.ERROR)
        else:
            admin_view.message_user(request, f"{label}: valid.", messages.SUCCESS)
        _report(admin_view, request, label, result.diagnostics)


@admin.action(description="Compile selected workflows")
def compile_workflows(admin_view, request, queryset) -> None:
    for workflow, result in _compiled(queryset.select_related("project")):
        label = str(workflow)
        if result.ok:
            lines = result.source.count("\n")
            text = format_html(
                "{}: compiled to {}.py ({} lines). {} or {}.",
                label,
                result.module_name,
                lines,
                _editor_link(workflow, "editor-code", "View the code"),
                _editor_link(workflow, "editor-code", "download it", "?download=1"),
            )
            admin_view.message_user(request, text, messages.SUCCESS)
        else:
            admin_view.message_user(request, f"{label}: does not compile; fix these first.", messages.ERROR)
        _report(admin_view, request, label, result.diagnostics)


@admin.action(description="Deploy the projects of selected workflows", permissions=["deploy"])
def deploy_projects(admin_view, request, queryset) -> None:
    """One deploy per project (a deploy builds every workflow of the project, as the editor's button does)."""
    for project in _by_project(queryset.select_related("project")):
        if not role_allows(request, project, Role.EDITOR):
            admin_view.message_user(
                request, f"{project.name}: not deployed; deploying needs the editor role there.", messages.ERROR
            )
            continue
        try:
            result = deploy_project(project, request.user)
        except temporal.TemporalUnavailable as error:
            admin_view.message_user(request, f"{project.name}: not deployed. {error}", messages.ERROR)
            continue
        admin_view.message_user(
            request, f"{project.name}: {result.message}", messages.SUCCESS if result.ok else messages.ERROR
        )
        for identifier, found in sorted(result.diagnostics.items()):
            _report(admin_view, request, f"{project.slug}/{identifier}", [d for d in found if d.is_error])
        for line in result.workflows + result.replay_report.lines() + result.schedules:
            admin_view.message_user(request, f"{project.name}: {line}", messages.INFO)


BUTTONS = {"validate": validate_workflows, "compile": compile_workflows, "deploy": deploy_projects}


class WorkflowActionsMixin:
    """Adds the actions to a Workflow ModelAdmin, and POST URLs for the change page's buttons."""

    actions = [validate_workflows, compile_workflows, deploy_projects]

    def has_deploy_permission(self, request: HttpRequest) -> bool:
        """Offer deploying to those who edit some project (the same test as adding a workflow)."""
        return self.has_add_permission(request)

    def get_urls(self):
        urls = [
            path(
                f"<path:object_id>/{name}/",
                self.admin_site.admin_view(self.run_button),
                {"action": name},
                name=f"workflows_workflow_{name}",
            )
            for name in BUTTONS
        ]
        return urls + super().get_urls()

    def run_button(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        """A button on the change page: the same action on that one workflow, then back to the page."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        workflow = self.get_object(request, object_id)  # scoped to the user's projects by get_queryset
        if workflow is None or not self.has_view_permission(request, workflow):
            self.message_user(request, "No such workflow in your projects.", messages.WARNING)
            return HttpResponseRedirect(reverse("admin:index"))
        BUTTONS[action](self, request, Workflow.objects.filter(pk=workflow.pk))
        return HttpResponseRedirect(reverse("admin:workflows_workflow_change", args=[workflow.pk]))
