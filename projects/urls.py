"""Project pages; a project's members are managed under its `members/`."""

from django.urls import include, path

from . import create_views, member_views, views

app_name = "projects"

member_urlpatterns = [
    path("add/", member_views.member_add, name="member-add"),
    path("<str:username>/role/", member_views.member_role, name="member-role"),
    path("<str:username>/remove/", member_views.member_remove, name="member-remove"),
]

urlpatterns = [
    path("", views.project_list, name="list"),
    path("projects/new/", create_views.project_create_view, name="create"),
    path("p/<slug:slug>/", views.project_detail, name="detail"),
    path("p/<slug:slug>/members/", include(member_urlpatterns)),
]
