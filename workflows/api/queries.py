"""REST API: ask a run one of its queries (GET runs/<id>/queries/<name>/) and answer what it returned.

Reading a run's state is a read: viewers may ask. An undeclared query is a
400 naming the declared ones; a run that cannot answer (no worker of its
build, the query's expression failed) a 409 with Temporal's message; an
unknown run 404 and an unreachable Temporal 503, as for the other run views.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from compiler.runs.queries import QueryUnanswered, query_run
from projects.api_base import PROJECT_SLUG
from workflows.api.runs import UNAVAILABLE, RunScopedView

ANSWER = OpenApiResponse(OpenApiTypes.OBJECT, description='{"query": name, "result": what the run answered}')
UNANSWERED = OpenApiResponse(OpenApiTypes.OBJECT, description='{"detail": "No worker answered the query ..."}')


@extend_schema(parameters=[PROJECT_SLUG])
class RunQueryView(RunScopedView):
    def handle_exception(self, exc):
        if isinstance(exc, QueryUnanswered):
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return super().handle_exception(exc)

    @extend_schema(responses={200: ANSWER, 409: UNANSWERED, 503: UNAVAILABLE})
    def get(self, request, project_slug: str, workflow_id: str, query: str):
        return Response({"query": query, "result": query_run(self.project, workflow_id, query, self.run_id())})
