"""The project page's schedules card: loaded by HTMX after the page, with pause/resume and "trigger now".

The card asks Temporal (or the celery-beat rows) for next run times, so it
is fetched after the page renders: an unreachable Temporal shows a message
in the card and leaves the rest of the project page alone.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from compiler import temporal
from compiler.schedules.service import ScheduleNotFound, list_schedules, pause_schedule, trigger_schedule
from projects.models import Project, Role
from projects.permissions import get_project_for
from workflows.runs.project_views import card_page
from workflows.runs.views import SERVICE_UNAVAILABLE, error_lines

ACTIONS = ("pause", "resume", "trigger")


def _card(request: HttpRequest, project: Project, membership, *, message: str = "", status: int = 200) -> HttpResponse:
    schedules, problem = [], ""
    try:
        schedules = list_schedules(project)
    except temporal.TemporalUnavailable as error:
        problem, status = str(error), SERVICE_UNAVAILABLE
    context = {
        "project": project,
        "schedules": schedules,
        "problem": problem,
        "message": message,
        "failed": status >= 400,
        "can_edit": membership.allows(Role.EDITOR),
        "loaded": True,
    }
    return render(request, "projects/_schedules.html", context, status=status)


@login_required
@require_GET
def schedules(request: HttpRequest, slug: str) -> HttpResponse:
    project, membership = get_project_for(request.user, slug)
    return card_page(request, slug, "schedules") or _card(request, project, membership)


@login_required
@require_POST
def schedule_action(request: HttpRequest, slug: str, identifier: str, action: str) -> HttpResponse:
    """pause, resume or trigger the workflow's schedule; the card comes back with a message."""
    if action not in ACTIONS:
        raise Http404(f"Schedules can be: {', '.join(ACTIONS)}.")
    project, membership = get_project_for(request.user, slug, Role.EDITOR)
    try:
        if action == "trigger":
            trigger_schedule(project, identifier)
            message = f"Started {identifier} now."
        else:
            pause_schedule(project, identifier, paused=action == "pause", note=f"{action}d by {request.user}")
            message = f"{'Paused' if action == 'pause' else 'Resumed'} the schedule of {identifier}."
    except ScheduleNotFound as error:
        return _card(request, project, membership, message=str(error), status=404)
    except ValidationError as error:
        return _card(request, project, membership, message="; ".join(error_lines(error)), status=400)
    except temporal.TemporalUnavailable as error:
        return _card(request, project, membership, message=str(error), status=SERVICE_UNAVAILABLE)
    return _card(request, project, membership, message=message)
