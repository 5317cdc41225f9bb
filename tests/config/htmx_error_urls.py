"""Views that fail as no real view should, for tests/config/test_htmx_errors.py (the HTMX error middleware)."""

from django.http import HttpResponse
from django.urls import path


def crash(request):
    raise RuntimeError("a bug in a view")


def conflict_page(request):
    return HttpResponse("<!DOCTYPE html><html><body><h1>Conflict</h1></body></html>", status=409)


urlpatterns = [path("crash/", crash), path("conflict/", conflict_page)]
