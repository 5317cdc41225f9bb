"""URL routes: pages, the API under /api/, admin.

The API schema and its docs page need a login (SPECTACULAR_SETTINGS'
SERVE_PERMISSIONS for the schema; the docs page sends a browser to the login
page rather than answering with a Basic challenge).
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", include("projects.api_urls")),
    path("api/", include("workflows.api.urls")),
    path("", include("projects.urls")),
    path("", include("workflows.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", login_required(SpectacularSwaggerView.as_view(url_name="api-schema")), name="api-docs"),
]
