"""Editor toolbar: deploy the project (compiler.builds.deploy) and show the build and its replay report.

The deploy takes each workflow's draft when it validates and otherwise keeps
its deployed revision; the result lists what it did per workflow. The
"strict" box refuses the deploy when any draft has errors.

The result goes into the messages area; the toolbar comes along as an
out-of-band swap so its "Workers" line names the build just deployed.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from compiler import temporal
from compiler.builds.deploy import deploy_project
from compiler.ir import IRNode
from projects.models import Role
from workflows.editor.state import EditorState, recent_deployments
from workflows.editor.views import UNPROCESSABLE, editor_urls, load_state

SERVICE_UNAVAILABLE = 503


@login_required
@require_POST
def deploy(request: HttpRequest, slug: str, identifier: str) -> HttpResponse:
    """Deploy the project's chosen revisions; errors and an unreachable Temporal are explained, not raised."""
    state = load_state(request, slug, identifier, Role.EDITOR)
    try:
        result = deploy_project(state.project, request.user, strict=bool(request.POST.get("strict")))
    except temporal.TemporalUnavailable as error:
        context = {"ok": False, "message": f"Not deployed: {error}", "result": None}
        return render(request, "workflows/_deploy_result.html", context, status=SERVICE_UNAVAILABLE)
    errors = [(identifier, d) for identifier, found in result.diagnostics.items() for d in found if d.is_error]
    context = {
        **toolbar_context(state, inspected=state.node(request.POST.get("node"))),
        "ok": result.ok,
        "message": result.message,
        "result": result,
        "errors": errors,
        "replay_lines": result.replay_report.lines(),
    }
    return render(request, "workflows/_deploy_result.html", context, status=200 if result.ok else UNPROCESSABLE)


def toolbar_context(state: EditorState, *, inspected: IRNode | None) -> dict:
    """What `_toolbar.html` reads, with the deployments read again (the deploy may have added one)."""
    return {
        "oob": True,
        "state": state,
        "project": state.project,
        "workflow": state.workflow,
        "can_edit": state.can_edit,
        "urls": editor_urls(state),
        "history": state.history,
        "inspected": inspected,
        "deployments": recent_deployments(state.project),
    }
