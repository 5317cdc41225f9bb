"""REST API for runs: start and list per workflow, detail, signal, cancel and terminate per run.

Same rules as the pages: viewers read, editors act (403), non-members 404.
Bad input or payloads answer 400 with messages naming the field (the
services' ValidationError); an unknown run 404; an unreachable Temporal 503
with the message saying what to do.
"""

from __future__ import annotations

import dataclasses

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from compiler import temporal
from compiler.runs.control import (
    RunNotFound,
    RunSummary,
    cancel_run,
    list_runs,
    recent_runs,
    signal_run,
    start_run,
    terminate_run,
)
from compiler.runs.history import RunDetail, describe_run
from projects.api_base import PROJECT_SLUG, ProjectScopedMixin
from workflows.api.base import WORKFLOW_IDENTIFIER
from workflows.api.checked_json import CheckedJSONField
from workflows.api.from_dataclass import dataclass_serializer
from workflows.models import Workflow


class StartRunSerializer(serializers.Serializer):
    input = CheckedJSONField(required=False, default=dict, help_text="The workflow input (a JSON object).")
    workflow_id = serializers.CharField(required=False, allow_blank=True, default="")


class RunRefSerializer(serializers.Serializer):
    workflow_id = serializers.CharField()
    run_id = serializers.CharField()


RunSummarySerializer = dataclass_serializer(
    "RunSummarySerializer",
    RunSummary,
    extra={"duration": serializers.FloatField(allow_null=True, help_text="Seconds, once closed.")},
)


class SignalSerializer(serializers.Serializer):
    signal = serializers.CharField()
    payload = CheckedJSONField(required=False, default=None)
    run_id = serializers.CharField(required=False, allow_blank=True, default="")


class TerminateSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    run_id = serializers.CharField(required=False, allow_blank=True, default="")


UNAVAILABLE = OpenApiResponse(OpenApiTypes.OBJECT, description='{"detail": "Cannot reach Temporal at ..."}')


class TemporalErrorsMixin(ProjectScopedMixin):
    """Temporal out of reach is a 503 with its message; the view's `not_found` errors are 404s."""

    not_found: tuple[type[Exception], ...] = ()

    def handle_exception(self, exc):
        if isinstance(exc, temporal.TemporalUnavailable):
            return Response({"detail": str(exc)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        if isinstance(exc, self.not_found):
            exc = Http404(str(exc))
        return super().handle_exception(exc)


class RunErrorsMixin(TemporalErrorsMixin):
    not_found = (RunNotFound,)

    def validated(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


def run_detail_data(detail: RunDetail) -> dict:
    data = dataclasses.asdict(detail)
    del data["graph"]  # the build's graph is for drawing the run page, not part of the run's data
    data["is_open"], data["duration"] = detail.is_open, detail.duration
    for row, step in zip(data["steps"], detail.steps, strict=True):
        row["duration"] = step.duration
    return data


@extend_schema(parameters=[PROJECT_SLUG, WORKFLOW_IDENTIFIER])
class WorkflowRunsView(RunErrorsMixin, APIView):
    """Runs of one workflow: GET lists the newest 50 (visibility), POST starts one on the current build."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        get_object_or_404(Workflow, project=self.project, identifier=kwargs["workflow_identifier"])

    @extend_schema(responses={200: RunSummarySerializer(many=True), 503: UNAVAILABLE})
    def get(self, request, project_slug: str, workflow_identifier: str):
        runs = list_runs(self.project, workflow_identifier)
        return Response(RunSummarySerializer(runs, many=True).data)

    @extend_schema(request=StartRunSerializer, responses={201: RunRefSerializer, 503: UNAVAILABLE})
    def post(self, request, project_slug: str, workflow_identifier: str):
        data = self.validated(StartRunSerializer)
        ref = start_run(self.project, workflow_identifier, data["input"], data["workflow_id"] or None, request.user)
        return Response(RunRefSerializer(ref).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[PROJECT_SLUG])
class ProjectRunsView(RunErrorsMixin, APIView):
    """The project's newest runs of any workflow, children left out: what the project page lists."""

    @extend_schema(responses={200: RunSummarySerializer(many=True), 503: UNAVAILABLE})
    def get(self, request, project_slug: str):
        return Response(RunSummarySerializer(recent_runs(self.project), many=True).data)


class RunScopedView(RunErrorsMixin, APIView):
    def run_id(self) -> str | None:
        return self.request.query_params.get("run_id") or None


@extend_schema(parameters=[PROJECT_SLUG])
class RunDetailView(RunScopedView):
    """One run: input, result or failure, node statuses, timeline, pending activities, signals, web UI link."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 503: UNAVAILABLE})
    def get(self, request, project_slug: str, workflow_id: str):
        return Response(run_detail_data(describe_run(self.project, workflow_id, self.run_id())))


@extend_schema(parameters=[PROJECT_SLUG])
class RunSignalView(RunScopedView):
    @extend_schema(request=SignalSerializer, responses={202: None, 503: UNAVAILABLE})
    def post(self, request, project_slug: str, workflow_id: str):
        data = self.validated(SignalSerializer)
        signal_run(self.project, workflow_id, data["signal"], data["payload"], data["run_id"] or None)
        return Response(status=status.HTTP_202_ACCEPTED)


@extend_schema(parameters=[PROJECT_SLUG])
class RunCancelView(RunScopedView):
    @extend_schema(request=None, responses={202: None, 503: UNAVAILABLE})
    def post(self, request, project_slug: str, workflow_id: str):
        cancel_run(self.project, workflow_id, self.run_id())
        return Response(status=status.HTTP_202_ACCEPTED)


@extend_schema(parameters=[PROJECT_SLUG])
class RunTerminateView(RunScopedView):
    @extend_schema(request=TerminateSerializer, responses={202: None, 503: UNAVAILABLE})
    def post(self, request, project_slug: str, workflow_id: str):
        data = self.validated(TerminateSerializer)
        terminate_run(self.project, workflow_id, data["reason"], data["run_id"] or None)
        return Response(status=status.HTTP_202_ACCEPTED)
