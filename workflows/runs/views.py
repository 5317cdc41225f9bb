"""Run pages: the runs of a workflow, starting one, one run live on its graph, signals, cancel, terminate.

Temporal is the source of truth (compiler.runs.control); these views parse the
form, call one service and render. Viewers see runs; starting, signalling,
cancelling and terminating need the editor role (403); non-members get 404.
When Temporal cannot be reached the page says so (status 503), never a
traceback. Schedules on the project page are in schedule_views.py.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from compiler import temporal
from compiler.runs.control import (
    RunNotFound,
    cancel_run,
    input_template,
    list_runs,
    new_run_graph,
    run_counts,
    signal_run,
    start_run,
    terminate_run,
)
from compiler.runs.history import describe_run
from compiler.runs.queries import state_panel
from compiler.runs.updates import declared_message, update_forms
from projects.models import Role
from projects.permissions import get_project_for
from workflows import input_checks
from workflows.models import Workflow
from workflows.runs.dependency_views import dependency_links
from workflows.runs.message_forms import (
    FIELDS_OF,
    PayloadErrors,
    message_form,
    message_forms,
    payload_from,
    raw_payload,
)
from workflows.runs.run_graph import node_details, run_canvas

UNPROCESSABLE = 422
SERVICE_UNAVAILABLE = 503


class BadJSON(ValueError):
    """Text that is not JSON we accept (workflows.input_checks); the message names the field and why."""


def parse_json(text: str, field: str, *, empty: Any) -> Any:
    if not text.strip():
        return empty
    try:
        return input_checks.parse_json(text)
    except input_checks.InputError as error:
        raise BadJSON(f"{field}: {error}") from None


def error_lines(error: ValidationError) -> list[str]:
    """A ValidationError as lines a person reads: "name: is required (text)"."""
    if hasattr(error, "error_dict"):
        return [f"{field}: {message}" for field, messages in error.message_dict.items() for message in messages]
    return list(error.messages)


def _workflow(request: HttpRequest, slug: str, identifier: str, role: str = Role.VIEWER):
    project, membership = get_project_for(request.user, slug, role)
    return project, membership, get_object_or_404(Workflow, project=project, identifier=identifier)


def run_form_context(project, workflow: Workflow, *, input_text: str | None = None, workflow_id: str = "") -> dict:
    """The run form, prefilled from the input fields of the graph new runs get (the current build's)."""
    template = input_template(new_run_graph(project, workflow.identifier))
    return {
        "input_text": json.dumps(template, indent=2) if input_text is None else input_text,
        "workflow_id_value": workflow_id,
    }


@login_required
@require_GET
def runs_list(request: HttpRequest, slug: str, identifier: str) -> HttpResponse:
    project, membership, workflow = _workflow(request, slug, identifier)
    runs, counts, problem = [], {}, ""
    try:
        runs, counts = list_runs(project, identifier), run_counts(project, identifier)
    except temporal.TemporalUnavailable as error:
        problem = str(error)
    context = {
        "project": project,
        "membership": membership,
        "workflow": workflow,
        "runs": runs,
        "counts": counts,
        "total": sum(counts.values()),
        "problem": problem,
        "can_run": membership.allows(Role.EDITOR),
        **run_form_context(project, workflow),
    }
    return render(request, "workflows/runs.html", context, status=SERVICE_UNAVAILABLE if problem else 200)


@login_required
def run_start(request: HttpRequest, slug: str, identifier: str) -> HttpResponse:
    """GET: the runs page with the form; POST: start a run and go to its page (errors: the form, 422/503)."""
    if request.method != "POST":
        return redirect(reverse("workflows:runs", args=(slug, identifier)) + "#run-form")
    project, _, workflow = _workflow(request, slug, identifier, Role.EDITOR)
    input_text = request.POST.get("input", "")
    workflow_id = request.POST.get("workflow_id", "").strip()
    status, errors = UNPROCESSABLE, []
    try:
        run_input = parse_json(input_text, "input", empty={})
        ref = start_run(project, identifier, run_input, workflow_id or None, request.user)
    except BadJSON as error:
        errors = [str(error)]
    except ValidationError as error:
        errors = error_lines(error)
    except temporal.TemporalUnavailable as error:
        status, errors = SERVICE_UNAVAILABLE, [f"Not started: {error}"]
    else:
        url = reverse("workflows:run-detail", args=(slug, ref.workflow_id)) + f"?run={ref.run_id}"
        if request.htmx:
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return redirect(url)
    context = {
        "project": project,
        "workflow": workflow,
        "form_errors": errors,
        "can_run": True,
        **run_form_context(project, workflow, input_text=input_text, workflow_id=workflow_id),
    }
    return render(request, "workflows/_run_form.html", context, status=status)


@login_required
@require_GET
def run_detail(request: HttpRequest, slug: str, workflow_id: str) -> HttpResponse:
    """The run on its graph; HTMX polls the live region every 2 s while the run is open.

    `?node=<key>` selects a node: its details beside the graph. A click on a node
    asks for the details panel alone (HTMX target `run-node`); the poll sends the
    selected node along and refreshes its panel out of band.
    """
    project, membership = get_project_for(request.user, slug)
    run_id, selected = request.GET.get("run") or None, request.GET.get("node") or None
    context: dict[str, Any] = {"project": project, "membership": membership, "workflow_id": workflow_id}
    try:
        detail = describe_run(project, workflow_id, run_id)
    except RunNotFound:
        raise Http404(f"No run '{workflow_id}' in this project.") from None
    except temporal.TemporalUnavailable as error:
        context["problem"] = str(error)
        return render(request, "workflows/run_detail.html", context, status=SERVICE_UNAVAILABLE)
    workflow = Workflow.objects.filter(project=project, identifier=detail.workflow).first()
    context.update(
        detail=detail,
        workflow=workflow,
        canvas=run_canvas(detail, selected),
        node=node_details(detail, selected, slug),
        can_act=membership.allows(Role.EDITOR) and detail.is_open,
        live_url=reverse("workflows:run-detail", args=(slug, detail.workflow_id)) + f"?run={detail.run_id}",
        dependency_links=dependency_links(project, detail),
        message_forms=message_forms(detail.signals, update_forms(detail.graph)),
        queries=state_panel(project, detail.workflow_id, detail.run_id, detail.graph),
    )
    if request.htmx and request.htmx.target == "run-node":
        return render(request, "workflows/_run_node.html", context)
    if request.htmx:
        return render(request, "workflows/_run_live.html", {**context, "oob": True})
    return render(request, "workflows/run_detail.html", context)


def _run_action(request: HttpRequest, slug: str, workflow_id: str, act) -> HttpResponse:
    """Run `act(project, run_id)` for an editor; answer with a message partial (400 / 503 on errors)."""
    project, _ = get_project_for(request.user, slug, Role.EDITOR)
    run_id = request.POST.get("run") or None
    try:
        message, status, ok = act(project, run_id), 200, True
    except RunNotFound:
        raise Http404(f"No run '{workflow_id}' in this project.") from None
    except ValidationError as error:
        message, status, ok = "; ".join(error_lines(error)), 400, False
    except temporal.TemporalUnavailable as error:
        message, status, ok = str(error), SERVICE_UNAVAILABLE, False
    return render(request, "workflows/_run_message.html", {"message": message, "ok": ok}, status=status)


def message_action(request: HttpRequest, slug: str, workflow_id: str, kind: str, send) -> HttpResponse:
    """Send a signal or update (`send(project, run_id, name, payload) -> message`) from its form on the run page.

    The answer is that form again, swapped in place: after a send, fresh with
    the outcome; after a refusal, with what was typed, each field's message
    beside its input (400), or Temporal's absence (503). A malformed JSON
    payload is answered before Temporal is asked.
    """
    project, _ = get_project_for(request.user, slug, Role.EDITOR)
    post, run_id = request.POST, request.POST.get("run") or None
    name = post.get(kind, "")
    try:
        declared, away = declared_message(project, workflow_id, kind, name, run_id), None
    except (RunNotFound, temporal.TemporalUnavailable) as error:
        declared, away = {"name": name, "label": ""}, error
    form, status, has_raw = message_form(kind, declared, post), 400, False
    try:
        has_raw, payload = raw_payload(post)
        if away:
            raise away
        if not has_raw:
            payload = payload_from(declared.get(FIELDS_OF[kind]) or [], post)
        message = send(project, run_id, name, payload)
    except RunNotFound:
        raise Http404(f"No run '{workflow_id}' in this project.") from None
    except PayloadErrors as error:
        form.errors_on({field: [message] for field, message in error.errors.items()})
    except ValidationError as error:
        messages = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        form.errors_on(messages, pinned=not has_raw)
    except temporal.TemporalUnavailable as error:
        form.ok, form.message, status = False, str(error), SERVICE_UNAVAILABLE
    else:
        form, status = message_form(kind, declared), 200
        form.message = message
    context = {"form": form, "project": project, "workflow_id": workflow_id, "run_id": run_id or ""}
    return render(request, "workflows/_run_message_form.html", context, status=status)


@login_required
@require_POST
def run_signal(request: HttpRequest, slug: str, workflow_id: str) -> HttpResponse:
    def send(project, run_id, signal: str, payload) -> str:
        signal_run(project, workflow_id, signal, payload, run_id)
        return f"Sent {signal}" + (f" with {json.dumps(payload, sort_keys=True)}." if payload is not None else ".")

    return message_action(request, slug, workflow_id, "signal", send)


@login_required
@require_POST
def run_cancel(request: HttpRequest, slug: str, workflow_id: str) -> HttpResponse:
    def cancel(project, run_id) -> str:
        cancel_run(project, workflow_id, run_id)
        return "Cancellation requested; the run's steps see it and finish."

    return _run_action(request, slug, workflow_id, cancel)


@login_required
@require_POST
def run_terminate(request: HttpRequest, slug: str, workflow_id: str) -> HttpResponse:
    def terminate(project, run_id) -> str:
        terminate_run(project, workflow_id, request.POST.get("reason", ""), run_id)
        return "Terminated."

    return _run_action(request, slug, workflow_id, terminate)
