"""REST API for projects and their members.

Lists only ever contain the caller's projects; any project they are not a
member of answers 404. Creating a project makes the caller its owner; only
owners change the project or its members.
"""

from django.db.models import Count, OuterRef, Subquery
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import IsAuthenticated

from .api_base import PROJECT_SLUG, HasProjectRole, ProjectScopedMixin, ServiceErrorsMixin
from .models import Membership, Project, Role
from .permissions import projects_for
from .serializers import MembershipSerializer, ProjectSerializer
from .services import membership_remove, membership_set, project_create


class ProjectViewSet(ServiceErrorsMixin, viewsets.ModelViewSet):
    serializer_class = ProjectSerializer
    permission_classes = [IsAuthenticated, HasProjectRole]
    write_role = Role.OWNER
    queryset = Project.objects.none()  # the model, for the schema; get_queryset scopes by user
    lookup_field = "slug"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        role = Membership.objects.filter(project=OuterRef("pk"), user=user).values("role")[:1]
        return (
            projects_for(user).select_related("owner").annotate(role=Subquery(role), workflow_count=Count("workflows"))
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        project = project_create(
            user=self.request.user,
            name=data["name"],
            slug=data.get("slug", ""),
            description=data.get("description", ""),
        )
        serializer.instance = self.get_queryset().get(pk=project.pk)

    def perform_update(self, serializer):
        project = serializer.instance
        for field in ("name", "description"):
            setattr(project, field, serializer.validated_data.get(field, getattr(project, field)))
        project.full_clean(exclude=["task_queue"])
        project.save(update_fields=["name", "description"])


@extend_schema(parameters=[PROJECT_SLUG])
class MembershipViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    """Members of a project: everyone in it reads, owners add, change and remove."""

    serializer_class = MembershipSerializer
    queryset = Membership.objects.none()
    write_role = Role.OWNER
    lookup_field = "username"
    lookup_value_regex = r"[\w.@+-]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return Membership.objects.filter(project=self.project).select_related("user").order_by("user__username")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), user__username=self.kwargs["username"])

    def perform_create(self, serializer):
        data = serializer.validated_data
        if Membership.objects.filter(project=self.project, user=data["user"]).exists():
            raise ValidationError({"username": [f"{data['user']} is already a member; change their role instead."]})
        serializer.instance = membership_set(project=self.project, user=data["user"], role=data["role"])

    def perform_update(self, serializer):
        membership = serializer.instance
        role = serializer.validated_data.get("role", membership.role)
        serializer.instance = membership_set(project=self.project, user=membership.user, role=role)

    def perform_destroy(self, instance):
        membership_remove(membership=instance)
