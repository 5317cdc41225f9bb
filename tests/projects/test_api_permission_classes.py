"""Every API view under /api/projects/<project_slug>/ declares its role check as a permission class.

tests/workflows/api/test_permissions.py and test_api_permissions.py prove
the statuses role by role for today's views; this guard makes a new view
that forgets `HasProjectRole` (and so answers non-members) fail at once.
"""

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import IsAuthenticated

from projects.api_base import HasProjectRole


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


def test_every_project_scoped_api_view_checks_the_role():
    views = {
        route: getattr(callback, "cls", None)
        for route, callback in _patterns(get_resolver())
        if route.startswith("api/") and "project_slug" in route
    }
    assert len(views) > 10
    unchecked = sorted(route for route, view in views.items() if HasProjectRole not in view.permission_classes)
    assert unchecked == []
    assert all(view.permission_classes[0] is IsAuthenticated for view in views.values())
