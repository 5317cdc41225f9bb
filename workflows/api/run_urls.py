"""API routes for deploys, builds and runs (included under /api/ from workflows/api/urls.py)."""

from django.urls import path

from workflows.api.builds import BuildCompareView, BuildListView
from workflows.api.deploy import DeployView
from workflows.api.queries import RunQueryView
from workflows.api.runs import (
    ProjectRunsView,
    RunCancelView,
    RunDetailView,
    RunSignalView,
    RunTerminateView,
    WorkflowRunsView,
)
from workflows.api.schedules import ScheduleActionView, ScheduleListView
from workflows.api.updates import RunUpdateView

RUN = "projects/<slug:project_slug>/runs/<str:workflow_id>/"
SCHEDULES = "projects/<slug:project_slug>/schedules/"

urlpatterns = [
    path(
        "projects/<slug:project_slug>/workflows/<slug:workflow_identifier>/runs/",
        WorkflowRunsView.as_view(),
        name="api-workflow-runs",
    ),
    path("projects/<slug:project_slug>/deploy/", DeployView.as_view(), name="api-deploy"),
    path("projects/<slug:project_slug>/builds/", BuildListView.as_view(), name="api-builds"),
    path("projects/<slug:project_slug>/builds/compare/", BuildCompareView.as_view(), name="api-build-compare"),
    path("projects/<slug:project_slug>/runs/", ProjectRunsView.as_view(), name="api-project-runs"),
    path(RUN, RunDetailView.as_view(), name="api-run-detail"),
    path(f"{RUN}signal/", RunSignalView.as_view(), name="api-run-signal"),
    path(f"{RUN}update/", RunUpdateView.as_view(), name="api-run-update"),
    path(f"{RUN}cancel/", RunCancelView.as_view(), name="api-run-cancel"),
    path(f"{RUN}terminate/", RunTerminateView.as_view(), name="api-run-terminate"),
    path(f"{RUN}queries/<str:query>/", RunQueryView.as_view(), name="api-run-query"),
    path(SCHEDULES, ScheduleListView.as_view(), name="api-schedules"),
    *(
        path(
            f"{SCHEDULES}<slug:workflow_identifier>/{action}/",
            ScheduleActionView.as_view(action_name=action),
            name=f"api-schedule-{action}",
        )
        for action in ("pause", "resume", "trigger")
    ),
]
