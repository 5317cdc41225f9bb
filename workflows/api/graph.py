"""REST API for a workflow's nodes, edges and revisions.

Every write calls one service with the version the client saw
(`expected_version` or If-Match); a stale one answers 409 and writes nothing.
Reading revisions costs the same queries however many there are: the list
leaves the snapshots out, a diff reads its two revisions in one query.
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from projects.api_base import PROJECT_SLUG
from workflows.api.base import EXPECTED_VERSION, WORKFLOW_IDENTIFIER, WorkflowScopedMixin
from workflows.api.serializers import (
    MAX_VERSION,
    EdgeSerializer,
    NodeSerializer,
    RestoreSerializer,
    RevisionDetailSerializer,
    RevisionDiffSerializer,
    RevisionSerializer,
    WorkflowSerializer,
)
from workflows.document_diff import diff_documents
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
        serializer.instance = self.edit(
            node_add,
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
        serializer.instance = self.edit(node_update, key=serializer.instance.key, **changes)

    def perform_destroy(self, instance):
        self.edit(node_delete, key=instance.key)


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
        source, target = data["source"]["key"], data["target"]["key"]
        serializer.instance = self.edit(edge_add, source_key=source, target_key=target, kind=data["kind"])

    def perform_destroy(self, instance):
        self.edit(edge_delete, edge_id=instance.pk)


@extend_schema(parameters=[PROJECT_SLUG, WORKFLOW_IDENTIFIER])
class RevisionViewSet(WorkflowScopedMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Revision.objects.none()
    lookup_field = "number"
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        revisions = self.workflow.revisions.select_related("author")
        return revisions.defer("snapshot") if self.action == "list" else revisions

    def get_serializer_class(self):
        return RevisionSerializer if self.action == "list" else RevisionDetailSerializer

    def get_object(self):
        return get_object_or_404(self.get_queryset(), number=self.kwargs["number"])

    @extend_schema(request=RestoreSerializer, responses={200: WorkflowSerializer}, parameters=[EXPECTED_VERSION])
    @action(detail=True, methods=["post"])
    def restore(self, request, **kwargs):
        """Make the graph what it was at this revision (recorded as a new revision)."""
        revision = self.get_object()
        workflow = self.edit(revision_restore, number=revision.number)
        return Response(WorkflowSerializer(workflow).data, status=status.HTTP_200_OK)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "from",
                OpenApiTypes.INT,
                description="The revision to compare with; defaults to the one before (none for the first).",
            )
        ],
        responses={200: RevisionDiffSerializer},
    )
    @action(detail=True, methods=["get"])
    def diff(self, request, **kwargs):
        """What changed from an older revision to this one: nodes and edges by key, and the text diff."""
        before, after = self._revision_pair(self.kwargs["number"], _revision_number(request.query_params.get("from")))
        changes = diff_documents(
            before.snapshot if before else {},
            after.snapshot,
            before_name=f"revision {before.number}" if before else "nothing",
            after_name=f"revision {after.number}",
        )
        return Response({"from": before.number if before else None, "to": after.number, **changes})

    def _revision_pair(self, number: str, older: int | None) -> tuple[Revision | None, Revision]:
        """Revision `older` (default: the one before `number`, if any) and revision `number`, in one query.

        A number beyond any stored one is simply not found (Django's integer lookups handle the overflow).
        """
        revisions = self.workflow.revisions.only("number", "snapshot")
        wanted = int(number)
        if older is None:
            rows = list(revisions.filter(number__lte=wanted).order_by("-number")[:2])
            older = rows[-1].number if len(rows) == 2 else None
        else:
            rows = list(revisions.filter(number__in={wanted, older}))
        by_number = {revision.number: revision for revision in rows}
        for missing in (n for n in (wanted, older) if n is not None and n not in by_number):
            raise Http404(f"No revision {missing} of {self.workflow.identifier}.")
        return by_number.get(older), by_number[wanted]


def _revision_number(raw: str | None) -> int | None:
    """`?from=`: a revision number, or None when absent; 400 naming the parameter otherwise."""
    if raw in (None, ""):
        return None
    try:
        return serializers.IntegerField(min_value=1, max_value=MAX_VERSION).run_validation(raw)
    except ValidationError:
        raise ValidationError({"from": "Must be a revision number, e.g. 3."}) from None
