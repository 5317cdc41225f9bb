"""The run page's update forms post here: send a declared update and show its result or rejection.

The run's other actions live in workflows/runs/views.py; this view shares
their handling of a missing run, bad JSON, a bad payload and an unreachable
Temporal (`_run_action`), and turns a rejected update into a message.
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from compiler.runs.updates import update_run
from workflows.runs.views import _run_action, parse_json


@login_required
@require_POST
def run_update(request: HttpRequest, slug: str, workflow_id: str) -> HttpResponse:
    update = request.POST.get("update", "")

    def send(project, run_id) -> str:
        payload = parse_json(request.POST.get("payload", ""), "payload", empty=None)
        outcome = update_run(project, workflow_id, update, payload, run_id)
        if not outcome.accepted:
            raise ValidationError(f"Update '{update}' rejected: {outcome.rejection}")
        return f"Update '{update}' returned {json.dumps(outcome.result, sort_keys=True)}."

    return _run_action(request, slug, workflow_id, send)
