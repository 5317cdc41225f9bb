"""Admin for workflows with their nodes and edges inline, scoped by membership.

Viewers read, editors change workflows; the actions validate / compile /
deploy (and the change page's buttons for them) are in admin_actions.py.
Every admin save of a workflow is versioned and snapshotted like an edit in the editor (services.record_change),
and the inline forms apply the node-type and container rules (forms.py).
"""

from django.contrib import admin, messages
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect

from projects.admin import DeletesContentsMixin, is_staff, role_allows
from projects.models import Project, Role
from projects.permissions import projects_for
from workflows.admin_actions import WorkflowActionsMixin
from workflows.forms import EdgeAdminForm, NodeAdminForm, WorkflowAdminForm
from workflows.models import Edge, Node, Workflow
from workflows.services import StaleEdit, record_change, snapshot_revision


def editable_projects(request):
    if request.user.is_superuser:
        return Project.objects.all()
    roles = [Role.EDITOR, Role.OWNER]
    return Project.objects.filter(memberships__user=request.user, memberships__role__in=roles)


class WorkflowInlineFormSet(BaseInlineFormSet):
    """Hands the workflow to each form, so node and edge choices stay inside it."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "workflow": self.instance if self.instance.pk else None}


class WorkflowPartInline(admin.TabularInline):
    formset = WorkflowInlineFormSet
    extra = 0

    def has_view_permission(self, request, obj=None):
        return obj is None or role_allows(request, obj.project, Role.VIEWER)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return editable_projects(request).exists()
        return role_allows(request, obj.project, Role.EDITOR)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


class NodeInline(WorkflowPartInline):
    model = Node
    form = NodeAdminForm
    fk_name = "workflow"
    fields = ["key", "type", "label", "parent", "slot", "position", "config"]


class EdgeInline(WorkflowPartInline):
    model = Edge
    form = EdgeAdminForm
    fields = ["source", "kind", "target"]


@admin.register(Workflow)
class WorkflowAdmin(DeletesContentsMixin, WorkflowActionsMixin, admin.ModelAdmin):
    form = WorkflowAdminForm
    list_display = ["identifier", "name", "project", "version", "node_count", "updated"]
    list_filter = [("project", admin.RelatedOnlyFieldListFilter), "updated"]
    search_fields = ["identifier", "name", "description", "nodes__key", "nodes__label"]
    readonly_fields = ["version", "updated"]
    inlines = [NodeInline, EdgeInline]

    def get_queryset(self, request):
        workflows = Workflow.objects.filter(project__in=projects_for(request.user))
        return workflows.select_related("project").annotate(node_count=Count("nodes"))

    @admin.display(ordering="node_count", description="Nodes")
    def node_count(self, workflow):
        return workflow.node_count

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "project":
            kwargs["queryset"] = editable_projects(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return is_staff(request)

    def has_view_permission(self, request, obj=None):
        return is_staff(request) and (obj is None or role_allows(request, obj.project, Role.VIEWER))

    def has_add_permission(self, request):
        return is_staff(request) and editable_projects(request).exists()

    def has_change_permission(self, request, obj=None):
        return is_staff(request) and (obj is None or role_allows(request, obj.project, Role.EDITOR))

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return request.user.is_superuser
        return is_staff(request) and role_allows(request, obj.project, Role.EDITOR)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A save that lost the race to another one (both passed the form's version check) is undone and explained.

        The admin saves inside a transaction; StaleEdit from record_change rolls
        all of it back, so the editor reloads the current workflow with a message
        instead of getting a server error.
        """
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        # The version is bumped by record_change, never written back from a stale form.
        obj.save(update_fields=["name", "description", "updated"] if change else None)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        workflow = form.instance
        if not change:
            snapshot_revision(workflow, request.user, "created in admin")
        elif form.has_changed() or any(formset.has_changed() for formset in formsets):
            record_change(
                workflow=workflow,
                user=request.user,
                expected_version=form.cleaned_data.get("expected_version"),
                message="edited in admin",
            )


@admin.register(Node)
class NodeAdmin(admin.ModelAdmin):
    """Find nodes across workflows; edit them in their workflow, where saves are versioned."""

    list_display = ["key", "label", "type", "workflow", "parent"]
    list_filter = ["type", ("workflow__project", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["key", "label", "workflow__identifier"]

    def get_queryset(self, request):
        nodes = Node.objects.filter(workflow__project__in=projects_for(request.user))
        return nodes.select_related("workflow__project", "parent")

    def has_module_permission(self, request):
        return is_staff(request)

    def has_view_permission(self, request, obj=None):
        return is_staff(request) and (obj is None or role_allows(request, obj.workflow.project, Role.VIEWER))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
