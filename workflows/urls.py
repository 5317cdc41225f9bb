"""Workflow pages (the API routes are in workflows/api/urls.py)."""

from django.urls import include, path

from workflows import create_views, views

app_name = "workflows"

urlpatterns = [
    path("p/<slug:slug>/workflows/new/", create_views.workflow_create_view, name="create"),
    path("p/<slug:slug>/w/<slug:identifier>/", views.workflow_detail, name="detail"),
    path("", include("workflows.editor.urls")),
    path("", include("workflows.runs.urls")),
]
