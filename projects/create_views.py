"""The "New project" form of the projects list (the creator becomes the project's owner).

The form posts with HTMX when it can: a refused form comes back as the same
card with its field errors (422), a created project sends the browser to
its page. Without JavaScript it is a plain POST that renders the same card
on its own page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from .forms import ProjectCreateForm, add_service_errors
from .services import project_create

UNPROCESSABLE = 422


def redirect_to(request: HttpRequest, url: str) -> HttpResponse:
    """Go to `url`: an HX-Redirect for HTMX requests (a plain 302 would be swapped in), else a 302."""
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


@login_required
def project_create_view(request: HttpRequest) -> HttpResponse:
    form = ProjectCreateForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            project = project_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect_to(request, reverse("projects:detail", args=[project.slug]))
    template = "projects/_project_form.html" if request.htmx else "projects/create.html"
    return render(request, template, {"project_form": form}, status=UNPROCESSABLE if form.errors else 200)
