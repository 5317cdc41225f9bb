"""Workflow pages (the API routes are in api_urls.py)."""

from django.urls import include, path

from . import views

app_name = "workflows"

urlpatterns = [
    path("p/<slug:slug>/w/<slug:identifier>/", views.workflow_detail, name="detail"),
    path("", include("workflows.editor_urls")),
    path("", include("workflows.run_urls")),
]
