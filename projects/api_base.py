"""What every API viewset shares: the project role a request needs, and service errors as HTTP.

`HasProjectRole` is the DRF permission class every project-scoped view
lists, so who may do what is declared on the view (`write_role`) instead of
checked in each action. Views only parse input and call services; services
raise Django's ValidationError, which `handle_exception` turns into DRF's
400 in one place instead of a try/except in every action
(workflows/api/base.py adds the workflow services' own errors).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated

from .models import Project, Role
from .permissions import get_project_for, require_role

PROJECT_SLUG = OpenApiParameter("project_slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="Project slug.")


def drf_error(error: DjangoValidationError) -> ValidationError:
    """Django's error dict (or list) as DRF's, so field names survive."""
    if hasattr(error, "error_dict"):
        return ValidationError(error.message_dict)
    return ValidationError({"non_field_errors": error.messages})


class ServiceErrorsMixin:
    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError):
            exc = drf_error(exc)
        return super().handle_exception(exc)


class HasProjectRole(BasePermission):
    """The viewer role to read, the view's `write_role` (editor unless it says otherwise) to change anything.

    A non-member gets 404 (they must not learn the project exists), a member
    whose role is too low 403. Under /api/projects/<project_slug>/ the
    project in the URL is checked before any action runs and kept as
    `view.project`; a `Project` the view looks up itself is checked when it
    is fetched (DRF's object permissions).
    """

    def has_permission(self, request, view) -> bool:
        if "project_slug" in view.kwargs:
            view.project, _ = get_project_for(request.user, view.kwargs["project_slug"], _needed(request, view))
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        if isinstance(obj, Project):
            require_role(request.user, obj, _needed(request, view))
        return True


def _needed(request, view) -> str:
    return Role.VIEWER if request.method in SAFE_METHODS else getattr(view, "write_role", Role.EDITOR)


class ProjectScopedMixin(ServiceErrorsMixin):
    """Objects under /api/projects/<project_slug>/: reads need the viewer role, writes `write_role`."""

    permission_classes = [IsAuthenticated, HasProjectRole]
    write_role: str = Role.EDITOR
    project: Project  # set by HasProjectRole before any action runs
