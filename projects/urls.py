"""Project pages."""

from django.urls import path

from . import create_views, member_views, views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("projects/new/", create_views.project_create_view, name="create"),
    path("p/<slug:slug>/", views.project_detail, name="detail"),
    path("p/<slug:slug>/members/add/", member_views.member_add, name="member-add"),
    path("p/<slug:slug>/members/<str:username>/role/", member_views.member_role, name="member-role"),
    path("p/<slug:slug>/members/<str:username>/remove/", member_views.member_remove, name="member-remove"),
]
