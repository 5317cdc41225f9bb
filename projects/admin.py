"""Admin for projects and members, scoped by membership.

Staff see only the projects they belong to (superusers see all); what they
may do follows their role there: viewers read, owners change the project
and its members. Django's per-model permissions are not used, so one rule
(the membership role) holds in admin, the API and the pages.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect

from .models import Membership, Project, Role
from .permissions import membership_for, projects_for
from .services import ensure_owner_membership


def role_allows(request, project: Project | None, role: str) -> bool:
    """Whether the user has `role` in the project; memberships are cached for the request."""
    if project is None or project.pk is None:
        return False
    cache = request.__dict__.setdefault("_project_memberships", {})
    if project.pk not in cache:
        cache[project.pk] = membership_for(request.user, project)
    membership = cache[project.pk]
    return membership is not None and membership.allows(role)


def is_staff(request) -> bool:
    return request.user.is_active and request.user.is_staff


class DeletesContentsMixin:
    """Deleting a project or a workflow deletes everything in it.

    The role that may delete the container may delete its contents: Django's
    per-model delete permissions of nodes or deployments (not used here) must
    not block the cascade. A deletion refused on the way (a ValidationError,
    e.g. schedules Temporal could not remove) becomes a message, not a 500.
    """

    def get_deleted_objects(self, objs, request):
        deleted, model_count, _, protected = super().get_deleted_objects(objs, request)
        return deleted, model_count, set(), protected

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            return self._refused(request, error)

    def response_action(self, request, queryset):
        try:
            return super().response_action(request, queryset)
        except ValidationError as error:
            return self._refused(request, error)

    def _refused(self, request, error: ValidationError):
        self.message_user(request, " ".join(error.messages), messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())


class MembershipFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        project = self.instance
        for form in self.forms:
            if not form.instance.pk or form.instance.user_id != project.owner_id:
                continue
            if self._should_delete_form(form) or form.cleaned_data.get("role") != Role.OWNER:
                raise ValidationError(
                    f"{project.owner} owns {project.name} and stays an owner; change the project's owner first."
                )


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    fields = ["user", "role", "created"]
    readonly_fields = ["created"]

    # Without a project (admin asks that to filter the inline's rows) the
    # project admin has already scoped access; a new project gets its owner
    # as the only member, so members are added once it exists.
    def has_view_permission(self, request, obj=None):
        return obj is None or role_allows(request, obj, Role.VIEWER)

    def has_change_permission(self, request, obj=None):
        return role_allows(request, obj, Role.OWNER)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(Project)
class ProjectAdmin(DeletesContentsMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "owner", "task_queue", "namespace", "created"]
    list_filter = ["namespace", "created"]
    search_fields = ["name", "slug", "description", "owner__username"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return projects_for(request.user).select_related("owner").distinct()

    def get_readonly_fields(self, request, obj=None):
        fields = ["uuid", "task_queue", "created"]
        if obj is not None:
            fields.append("slug")  # part of the task queue name
        if not request.user.is_superuser:
            fields.append("owner")
        return fields

    def has_module_permission(self, request):
        return is_staff(request)

    def has_view_permission(self, request, obj=None):
        return is_staff(request) and (obj is None or role_allows(request, obj, Role.VIEWER))

    def has_add_permission(self, request):
        return is_staff(request)

    def has_change_permission(self, request, obj=None):
        return is_staff(request) and (obj is None or role_allows(request, obj, Role.OWNER))

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return request.user.is_superuser
        return is_staff(request) and role_allows(request, obj, Role.OWNER)

    def save_model(self, request, obj, form, change):
        if not change and obj.owner_id is None:
            obj.owner = request.user
        super().save_model(request, obj, form, change)
        ensure_owner_membership(obj)
