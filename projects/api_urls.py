"""API routes for projects and members (included under /api/ by config/urls.py)."""

from rest_framework.routers import SimpleRouter

from .api import MembershipViewSet, ProjectViewSet

router = SimpleRouter()
router.register("projects", ProjectViewSet, basename="api-project")
router.register(r"projects/(?P<project_slug>[-\w]+)/members", MembershipViewSet, basename="api-member")

urlpatterns = router.urls
