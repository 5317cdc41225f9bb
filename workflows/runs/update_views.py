"""The run page's update forms post here: send a declared update and show its result or rejection in place.

The signal forms post to workflows/runs/views.py; both share `message_action`
(the form parsed by its declared fields, refusals pinned to them, a missing
run, an unreachable Temporal). A rejected update is refused like a bad
payload: its message is shown in the form.
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from compiler.runs.updates import update_run
from workflows.runs.views import message_action


@login_required
@require_POST
def run_update(request: HttpRequest, slug: str, workflow_id: str) -> HttpResponse:
    def send(project, run_id, update: str, payload) -> str:
        outcome = update_run(project, workflow_id, update, payload, run_id)
        if not outcome.accepted:
            raise ValidationError(f"Update '{update}' rejected: {outcome.rejection}")
        return f"Update '{update}' returned {json.dumps(outcome.result, sort_keys=True)}."

    return message_action(request, slug, workflow_id, "update", send)
