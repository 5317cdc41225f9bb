"""REST API for workflows: CRUD, export/import of the JSON document, and the node-type registry.

Viewers read, editors write; see docs/api.md. Nodes, edges and revisions
are in graph.py.
"""

from django.db.models import Count
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.api_base import PROJECT_SLUG, ProjectScopedMixin
from workflows.api.base import WorkflowErrorsMixin, expected_version, with_etag
from workflows.api.importing import ImportRefused, import_draft, validation_report
from workflows.api.serializers import (
    ImportedWorkflowSerializer,
    ImportRefusedSerializer,
    NodeTypeSerializer,
    WorkflowSerializer,
)
from workflows.models import Workflow
from workflows.node_types import NODE_TYPES
from workflows.services import workflow_create, workflow_delete, workflow_export, workflow_update

REFUSED = OpenApiResponse(
    ImportRefusedSerializer,
    description='`{"problems": [{"node", "edge", "field", "message"}]}` when the document cannot be stored; with '
    '`strict=true`, `{"detail", "deployable": false, "diagnostics"}` when the graph has errors. Nothing was written '
    "either way.",
)
STRICT = OpenApiParameter(
    "strict",
    OpenApiTypes.BOOL,
    description="Refuse (400, nothing written) a graph the validator finds errors in, instead of storing a draft.",
)


@extend_schema(parameters=[PROJECT_SLUG])
class WorkflowViewSet(WorkflowErrorsMixin, ProjectScopedMixin, viewsets.ModelViewSet):
    serializer_class = WorkflowSerializer
    queryset = Workflow.objects.none()  # the model, for the schema; get_queryset scopes by project
    lookup_field = "identifier"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return Workflow.objects.filter(project=self.project).annotate(node_count=Count("nodes"))

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        return with_etag(response, response.data["version"])

    def perform_create(self, serializer):
        data = serializer.validated_data
        workflow = workflow_create(
            project=self.project,
            user=self.request.user,
            identifier=data["identifier"],
            name=data.get("name", ""),
            description=data.get("description", ""),
        )
        serializer.instance = self.get_queryset().get(pk=workflow.pk)

    def perform_update(self, serializer):
        workflow, data = serializer.instance, serializer.validated_data
        workflow_update(
            workflow=workflow,
            user=self.request.user,
            expected_version=expected_version(self.request),
            name=data.get("name", workflow.name),
            description=data.get("description", workflow.description),
        )
        serializer.instance = self.get_queryset().get(pk=workflow.pk)

    def perform_destroy(self, instance):
        workflow_delete(workflow=instance, expected_version=expected_version(self.request))

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, description="The workflow as a JSON document.")
    @action(detail=True, methods=["get"])
    def export(self, request, project_slug: str, identifier: str):
        workflow = self.get_object()
        return with_etag(Response(workflow_export(workflow)), workflow.version)

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        parameters=[
            OpenApiParameter("identifier", OpenApiTypes.STR, description="Import under this identifier."),
            STRICT,
        ],
        responses={201: ImportedWorkflowSerializer, 400: REFUSED},
        description="Create a workflow from a JSON document (docs/workflow-json.md). All or nothing. "
        "A graph with errors is stored as a draft (`deployable: false`) unless `strict=true`.",
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_document(self, request, project_slug: str):
        try:
            workflow, diagnostics = import_draft(
                project=self.project,
                user=request.user,
                document=request.data,
                identifier=request.query_params.get("identifier"),
                strict=strict_flag(request),
            )
        except ImportRefused as refused:
            body = {"detail": str(refused), **validation_report(refused.diagnostics)}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        data = WorkflowSerializer(self.get_queryset().get(pk=workflow.pk)).data
        return Response({**data, **validation_report(diagnostics)}, status=status.HTTP_201_CREATED)


def strict_flag(request) -> bool:
    """`?strict=true` (or 1, yes, false, 0, no; absent is false)."""
    raw = request.query_params.get("strict")
    if raw in (None, ""):
        return False
    try:
        return serializers.BooleanField().run_validation(raw)
    except ValidationError:
        raise ValidationError({"strict": "Must be true or false."}) from None


class NodeTypeListView(APIView):
    """The node-type registry: fields, kinds, defaults and choices (palette and inspector)."""

    @extend_schema(responses=NodeTypeSerializer(many=True))
    def get(self, request):
        return Response(NodeTypeSerializer(NODE_TYPES.values(), many=True).data)
