"""The project page's build-and-runs card: the current build and the project's newest runs, loaded by HTMX.

`projects` imports neither `workflows` nor the compiler, so the project page
includes this card empty and the card fetches itself from here, as the
schedules and deploy cards do. The runs come from Temporal's visibility list
(compiler.runs.control.recent_runs): an unreachable Temporal is said in the
card (503) and the build part still shows. Asked for without HTMX (a
bookmarked or typed address), a card's URL leads to the project page instead
of answering a bare fragment.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from compiler import temporal
from compiler.builds.listing import latest_builds
from compiler.runs.control import recent_runs
from projects.permissions import get_project_for
from workflows.runs.views import SERVICE_UNAVAILABLE


def card_page(request: HttpRequest, slug: str, card: str) -> HttpResponse | None:
    """The project page at the card, for a request that is not HTMX's (else None: answer the card)."""
    if request.htmx:
        return None
    return redirect(reverse("projects:detail", args=(slug,)) + f"#{card}")


@login_required
@require_GET
def project_activity(request: HttpRequest, slug: str) -> HttpResponse:
    project, _ = get_project_for(request.user, slug)
    if page := card_page(request, slug, "activity"):
        return page
    runs, problem, status = [], "", 200
    try:
        runs = recent_runs(project)
    except temporal.TemporalUnavailable as error:
        problem, status = str(error), SERVICE_UNAVAILABLE
    context = {"project": project, "builds": latest_builds(project), "runs": runs, "problem": problem, "loaded": True}
    return render(request, "projects/_activity.html", context, status=status)
