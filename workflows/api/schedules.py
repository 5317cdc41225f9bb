"""REST API for a project's schedules: list them, pause, resume or trigger one (as the project page's card).

Viewers list, editors act (403), non-members 404. A workflow without a
schedule is a 404 saying how to get one; an unreachable Temporal a 503.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from compiler.schedules.base import ScheduleView
from compiler.schedules.service import ScheduleNotFound, list_schedules, pause_schedule, trigger_schedule
from projects.api_base import PROJECT_SLUG
from workflows.api.from_dataclass import dataclass_serializer
from workflows.api.runs import UNAVAILABLE, TemporalErrorsMixin

ScheduleSerializer = dataclass_serializer(
    "ScheduleSerializer",
    ScheduleView,
    help_texts={"next_runs": "Empty while paused.", "recent_runs": "Workflow ids, oldest first."},
)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="Kept with the pause.")


class ScheduleErrorsMixin(TemporalErrorsMixin):
    not_found = (ScheduleNotFound,)


@extend_schema(parameters=[PROJECT_SLUG])
class ScheduleListView(ScheduleErrorsMixin, APIView):
    """The project's schedules with their next runs (none while paused) and recent runs."""

    @extend_schema(responses={200: ScheduleSerializer(many=True), 503: UNAVAILABLE})
    def get(self, request, project_slug: str):
        views = list_schedules(self.project)
        for view in views:
            view.next_runs = [] if view.paused else view.next_runs
        return Response(ScheduleSerializer(views, many=True).data)


@extend_schema(parameters=[PROJECT_SLUG])
class ScheduleActionView(ScheduleErrorsMixin, APIView):
    """pause, resume or trigger (start now, with the schedule's input and overlap policy) one schedule."""

    action_name = ""

    @extend_schema(request=NoteSerializer, responses={202: None, 503: UNAVAILABLE})
    def post(self, request, project_slug: str, workflow_identifier: str):
        if self.action_name == "trigger":
            trigger_schedule(self.project, workflow_identifier)
        else:
            serializer = NoteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            note = serializer.validated_data["note"] or f"{self.action_name}d by {request.user} (API)"
            pause_schedule(self.project, workflow_identifier, paused=self.action_name == "pause", note=note)
        return Response(status=status.HTTP_202_ACCEPTED)
