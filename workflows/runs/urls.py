"""Run, schedule and build pages (names `workflows:runs`, `workflows:run-*`, `workflows:schedule*`, `workflows:build*`).

Included from workflows/urls.py, so the names live in the `workflows` namespace.
"""

from django.urls import path

from workflows.runs import build_views, project_views, schedule_views, update_views
from workflows.runs import dependency_views as run_dependency_views
from workflows.runs import views as run_views

RUN = "p/<slug:slug>/runs/<str:workflow_id>/"

urlpatterns = [
    path("p/<slug:slug>/w/<slug:identifier>/runs/", run_views.runs_list, name="runs"),
    path("p/<slug:slug>/w/<slug:identifier>/runs/start/", run_views.run_start, name="run-start"),
    path(RUN, run_views.run_detail, name="run-detail"),
    path(f"{RUN}signal/", run_views.run_signal, name="run-signal"),
    path(f"{RUN}update/", update_views.run_update, name="run-update"),
    path(f"{RUN}cancel/", run_views.run_cancel, name="run-cancel"),
    path(f"{RUN}terminate/", run_views.run_terminate, name="run-terminate"),
    path(f"{RUN}deps/<slug:node_key>/", run_dependency_views.run_dependencies, name="run-dependencies"),
    path("p/<slug:slug>/builds/", build_views.builds, name="builds"),
    path("p/<slug:slug>/builds/compare/", build_views.builds_compare, name="builds-compare"),
    path("p/<slug:slug>/builds/states/", build_views.workflow_states, name="workflow-states"),
    path("p/<slug:slug>/w/<slug:identifier>/changes/", build_views.draft_changes, name="draft-changes"),
    path("p/<slug:slug>/builds/<str:build_id>/rollback/", build_views.build_rollback, name="build-rollback"),
    path("p/<slug:slug>/activity/", project_views.project_activity, name="project-activity"),
    path("p/<slug:slug>/schedules/", schedule_views.schedules, name="schedules"),
    path(
        "p/<slug:slug>/schedules/<slug:identifier>/<str:action>/",
        schedule_views.schedule_action,
        name="schedule-action",
    ),
]
