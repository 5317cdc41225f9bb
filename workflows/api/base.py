"""Shared by the workflow API viewsets: the workflow in the URL, versions, service errors.

StaleEdit becomes 409 with the service's message and the current version;
DocumentInvalid becomes 400 with `{"problems": [...]}` naming nodes and
edges, exactly as the services report them.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from projects.api_base import ProjectScopedMixin
from workflows.api.serializers import MAX_VERSION
from workflows.models import Workflow
from workflows.services import DocumentInvalid, StaleEdit

WORKFLOW_IDENTIFIER = OpenApiParameter(
    "workflow_identifier", OpenApiTypes.STR, OpenApiParameter.PATH, description="Workflow identifier."
)
EXPECTED_VERSION = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description='The workflow version you loaded (e.g. "7"); a stale version gets 409.',
)


class WorkflowErrorsMixin:
    def handle_exception(self, exc):
        if isinstance(exc, StaleEdit):
            return Response({"detail": str(exc), "current_version": exc.current}, status=status.HTTP_409_CONFLICT)
        if isinstance(exc, DocumentInvalid):
            return Response({"problems": exc.problems}, status=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)


class WorkflowScopedMixin(WorkflowErrorsMixin, ProjectScopedMixin):
    """Objects under /api/projects/<project_slug>/workflows/<workflow_identifier>/."""

    @property
    def workflow(self) -> Workflow:
        if not hasattr(self, "_workflow"):
            self._workflow = get_object_or_404(
                Workflow, project=self.project, identifier=self.kwargs["workflow_identifier"]
            )
        return self._workflow

    def edit(self, service, **arguments):
        """Call a workflows.services edit of this workflow as the caller, at the version they loaded."""
        return service(
            workflow=self.workflow, user=self.request.user, expected_version=expected_version(self.request), **arguments
        )

    def finalize_response(self, request, response, *args, **kwargs):
        """Every answer carries the workflow's version as ETag, for the next If-Match."""
        if hasattr(self, "_workflow") and 200 <= response.status_code < 300:
            self._workflow.refresh_from_db(fields=["version"])
            with_etag(response, self._workflow.version)
        return super().finalize_response(request, response, *args, **kwargs)


def expected_version(request) -> int | None:
    """The version the client saw: `expected_version` in the body or query, or an If-Match header.

    If-Match takes an ETag as sent by our responses (`"7"`, `W/"7"`) or a bare number.
    """
    raw = None
    if isinstance(request.data, dict):
        raw = request.data.get("expected_version")
    raw = raw if raw not in (None, "") else request.query_params.get("expected_version")
    if raw in (None, "") and request.headers.get("If-Match"):
        raw = request.headers["If-Match"].removeprefix("W/").strip('"')
    if raw in (None, ""):
        return None
    try:
        value = serializers.IntegerField(min_value=1, max_value=MAX_VERSION).run_validation(raw)
    except ValidationError:
        raise ValidationError({"expected_version": "Must be the workflow version you loaded, e.g. 7."}) from None
    return value


def with_etag(response: Response, version: int) -> Response:
    response["ETag"] = f'"{version}"'
    return response
