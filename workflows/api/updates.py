"""REST API: send a declared update to a run and answer its result (200) or its rejection (409).

As for signals (workflows/api/runs.py): editors act, viewers get 403,
non-members 404; an unknown update or a bad payload is a 400 naming the
field, an unreachable Temporal a 503. A rejection is the run's answer, not a
bad request: 409 with the validator's (or the failed handler's) message.
"""

from __future__ import annotations

import dataclasses

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from compiler.runs.updates import update_run
from projects.api_base import PROJECT_SLUG
from workflows.api.checked_json import CheckedJSONField
from workflows.api.runs import UNAVAILABLE, RunScopedView


class UpdateSerializer(serializers.Serializer):
    update = serializers.CharField()
    payload = CheckedJSONField(required=False, default=None)
    run_id = serializers.CharField(required=False, allow_blank=True, default="")


OUTCOME = OpenApiResponse(OpenApiTypes.OBJECT, description='{"update", "accepted", "result", "rejection"}')


@extend_schema(parameters=[PROJECT_SLUG])
class RunUpdateView(RunScopedView):
    @extend_schema(request=UpdateSerializer, responses={200: OUTCOME, 409: OUTCOME, 503: UNAVAILABLE})
    def post(self, request, project_slug: str, workflow_id: str):
        data = self.validated(UpdateSerializer)
        outcome = update_run(self.project, workflow_id, data["update"], data["payload"], data["run_id"] or None)
        answer = status.HTTP_200_OK if outcome.accepted else status.HTTP_409_CONFLICT
        return Response(dataclasses.asdict(outcome), status=answer)
