"""API routes for workflows and their graphs (included under /api/ by config/urls.py)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from workflows.api.graph import EdgeViewSet, NodeViewSet, RevisionViewSet
from workflows.api.views import NodeTypeListView, WorkflowViewSet

WORKFLOW = r"projects/(?P<project_slug>[-\w]+)/workflows/(?P<workflow_identifier>[-\w]+)"

router = SimpleRouter()
router.register(r"projects/(?P<project_slug>[-\w]+)/workflows", WorkflowViewSet, basename="api-workflow")
router.register(f"{WORKFLOW}/nodes", NodeViewSet, basename="api-node")
router.register(f"{WORKFLOW}/edges", EdgeViewSet, basename="api-edge")
router.register(f"{WORKFLOW}/revisions", RevisionViewSet, basename="api-revision")

urlpatterns = [
    path("node-types/", NodeTypeListView.as_view(), name="api-node-types"),
    *router.urls,
    path("", include("workflows.api.run_urls")),
]
