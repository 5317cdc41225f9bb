"""REST API for a project's builds: list them, and compare two (as the builds page does).

Viewers read. The list is the builds page's (compiler.builds.listing: two
queries whatever the number of builds); a comparison gives, per workflow,
the graph's changes (nodes and edges added, changed, removed, from the
documents the builds stored) and the generated code's unified diff.
Rolling back is `POST .../deploy/ {"build": ...}` (workflows/api/deploy.py).
"""

from __future__ import annotations

import dataclasses

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from compiler.builds.compare import compare_builds
from compiler.builds.listing import project_builds
from projects.api_base import PROJECT_SLUG, ProjectScopedMixin

BUILD_ID = r"^[0-9a-f]{1,40}$"


class BuildWorkflowSerializer(serializers.Serializer):
    identifier = serializers.CharField()
    revision = serializers.IntegerField(allow_null=True, help_text="Null: removed by this build.")
    change = serializers.CharField(help_text="added, changed, removed or unchanged against the build before.")


class BuildSerializer(serializers.Serializer):
    build_id = serializers.CharField()
    status = serializers.CharField()
    created = serializers.DateTimeField()
    deployed = serializers.DateTimeField()
    created_by = serializers.CharField(allow_null=True)
    newest = serializers.BooleanField(help_text="What new runs get.")
    previous_build_id = serializers.CharField(help_text="The build deployed before it; empty for the first.")
    workflows = BuildWorkflowSerializer(many=True)
    replay = serializers.ListField(child=serializers.CharField())


class ComparisonSerializer(serializers.Serializer):
    identifier = serializers.CharField()
    change = serializers.CharField()
    graph = serializers.DictField(help_text="Nodes and edges added, changed and removed, by key.")
    code_diff = serializers.CharField()


# `from` is a Python keyword, so the query's serializer is built with type().
CompareQuerySerializer = type(
    "CompareQuerySerializer",
    (serializers.Serializer,),
    {"from": serializers.RegexField(BUILD_ID), "to": serializers.RegexField(BUILD_ID)},
)


@extend_schema(parameters=[PROJECT_SLUG], responses=BuildSerializer(many=True))
class BuildListView(ProjectScopedMixin, APIView):
    """Every build of the project, newest deploy first."""

    def get(self, request, project_slug: str):
        return Response([_build_data(summary) for summary in project_builds(self.project)])


@extend_schema(
    parameters=[
        PROJECT_SLUG,
        OpenApiParameter("from", str, required=True, description="The earlier build id."),
        OpenApiParameter("to", str, required=True, description="The later build id."),
    ],
    responses=ComparisonSerializer(many=True),
)
class BuildCompareView(ProjectScopedMixin, APIView):
    """Two builds' workflows side by side; 400 naming a build the project does not have."""

    def get(self, request, project_slug: str):
        query = CompareQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        comparisons = compare_builds(self.project, query.validated_data["from"], query.validated_data["to"])
        return Response([dataclasses.asdict(comparison) for comparison in comparisons])


def _build_data(summary) -> dict:
    deployment = summary.deployment
    return {
        "build_id": deployment.build_id,
        "status": deployment.status,
        "created": deployment.created,
        "deployed": deployment.deployed,
        "created_by": deployment.created_by.get_username() if deployment.created_by else None,
        "newest": summary.newest,
        "previous_build_id": summary.previous_build_id,
        "workflows": [dataclasses.asdict(workflow) for workflow in summary.workflows],
        "replay": summary.replay_lines,
    }
