"""What every API viewset shares: project scoping by role and service errors as HTTP.

Views only parse input and call services; services raise Django's
ValidationError, which `handle_exception` turns into DRF's 400 in one place
instead of a try/except in every action (workflows/api/base.py adds the
workflow services' own errors).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS

from .models import Project, Role
from .permissions import get_project_for

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


class ProjectScopedMixin(ServiceErrorsMixin):
    """Objects under /api/projects/<project_slug>/.

    Reads need the viewer role, writes `write_role`. A non-member gets 404
    (they must not learn the project exists), a member with a too-low role 403.
    """

    write_role: str = Role.EDITOR

    def required_role(self) -> str:
        return Role.VIEWER if self.request.method in SAFE_METHODS else self.write_role

    @property
    def project(self) -> Project:
        if not hasattr(self, "_project"):
            self._project, _ = get_project_for(self.request.user, self.kwargs["project_slug"], self.required_role())
        return self._project

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if "project_slug" in self.kwargs:
            self.project  # noqa: B018 - check membership before any action runs
