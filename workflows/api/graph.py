"""REST API for a workflow's nodes, edges and revisions.

Every write calls one service with the version the client saw
(`expected_version` or If-Match); a stale one answers 409 and writes nothing.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from projects.api_base import PROJECT_SLUG
from workflows.api.base import EXPECTED_VERSION, WORKFLOW_IDENTIFIER, WorkflowScopedMixin, expected_version
from workflows.api.serializers import (
    EdgeSerializer,
    NodeSerializer,
    RestoreSerializer,
    RevisionDetailSerializer,
    RevisionSerializer,
    WorkflowSerializer,
)
from workflows.models import Edge, Node, Revision
from workflows.services import edge_add, edge_delete, node_add, node_delete, node_update, revision_restore


@extend_schema(parameters=[PROJECT_SLUG, WORKFLOW_IDENTIFIER, EXPECTED_VERSION])
class NodeViewSet(WorkflowScopedMixin, viewsets.ModelViewSet):
    serializer_class = NodeSerializer
    queryset = Node.objects.none()
    lookup_field = "key"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return self.workflow.nodes.select_related("parent")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = node_add(
            workflow=self.workflow,
            user=self.request.user,
            expected_version=expected_version(self.request),
            type=data["type"],
            label=data.get("label", ""),
            config=data.get("config"),
            key=data.get("key"),
            parent_key=data.get("parent_key"),
            slot=data.get("slot", "body"),
            position=data.get("position"),
        )

    def perform_update(self, serializer):
        data = serializer.validated_data
        changes = {name: data[name] for name in ("label", "config", "slot", "position") if name in data}
        if "parent_key" in data:
            changes["parent_key"] = data["parent_key"] or None
        serializer.instance = node_update(
            workflow=self.workflow,
            user=self.request.user,
            expected_version=expected_version(self.request),
            key=serializer.instance.key,
            **changes,
        )

    def perform_destroy(self, instance):
        node_delete(
            workflow=self.workflow,
            user=self.request.user,
            expected_version=expected_version(self.request),
            key=instance.key,
        )


@extend_schema(parameters=[PROJECT_SLUG, WORKFLOW_IDENTIFIER, EXPECTED_VERSION])
class EdgeViewSet(
    WorkflowScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = EdgeSerializer
    queryset = Edge.objects.none()

    def get_queryset(self):
        return self.workflow.edges.select_related("source", "target")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = edge_add(
            workflow=self.workflow,
            user=self.request.user,
            expected_version=expected_version(self.request),
            source_key=data["source"]["key"],
            target_key=data["target"]["key"],
            kind=data["kind"],
        )

    def perform_destroy(self, instance):
        edge_delete(
            workflow=self.workflow,
            user=self.request.user,
            expected_version=expected_version(self.request),
            edge_id=instance.pk,
        )


@extend_schema(parameters=[PROJECT_SLUG, WORKFLOW_IDENTIFIER])
class RevisionViewSet(WorkflowScopedMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Revision.objects.none()
    lookup_field = "number"
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return self.workflow.revisions.select_related("author")

    def get_serializer_class(self):
        return RevisionSerializer if self.action == "list" else RevisionDetailSerializer

    def get_object(self):
        return get_object_or_404(self.get_queryset(), number=self.kwargs["number"])

    @extend_schema(request=RestoreSerializer, responses={200: WorkflowSerializer}, parameters=[EXPECTED_VERSION])
    @action(detail=True, methods=["post"])
    def restore(self, request, **kwargs):
        """Make the graph what it was at this revision (recorded as a new revision)."""
        revision = self.get_object()
        workflow = revision_restore(
            workflow=self.workflow,
            user=request.user,
            expected_version=expected_version(request),
            number=revision.number,
        )
        return Response(WorkflowSerializer(workflow).data, status=status.HTTP_200_OK)
