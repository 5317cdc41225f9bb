"""Editor endpoints for edges: add (from the inspector, or pick source then target), remove."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from projects.models import Role
from workflows.editor.state import EditorState
from workflows.editor.views import (
    UNPROCESSABLE,
    edit,
    graph_edit,
    load_state,
    render_update,
    validation_text,
)
from workflows.models import Edge
from workflows.node_types import NODE_TYPES
from workflows.services import edge_add, edge_delete


@login_required
@require_GET
def connect(request: HttpRequest, slug: str, identifier: str) -> HttpResponse:
    """Pick source, then target: the canvas comes back with every node as a target to click."""
    state = load_state(request, slug, identifier, Role.EDITOR)
    source = state.node(request.GET.get("node"))
    kind = request.GET.get("kind", "next")
    if source is None or kind not in NODE_TYPES[source.type].out_edges:
        allowed = ", ".join(NODE_TYPES[source.type].out_edges) if source else ""
        message = (
            f"A {source.type} node cannot start a '{kind}' edge (allowed: {allowed or 'none'})."
            if source
            else ("Choose the node the edge starts from.")
        )
        return render_update(
            request, state, selected=source.key if source else None, status=UNPROCESSABLE, message=message
        )
    return render_update(
        request,
        state,
        selected=source.key,
        connect={"source": source.key, "kind": kind},
        message=f"Now click the node the {kind} edge goes to (Escape or Cancel to stop).",
    )


@graph_edit
def add(request: HttpRequest, state: EditorState) -> HttpResponse:
    source, target = request.POST.get("source", ""), request.POST.get("target", "")
    kind = request.POST.get("kind", "next")
    try:
        edit(request, state, edge_add, source_key=source, target_key=target, kind=kind)
    except ValidationError as error:
        selected = source if state.node(source) else None
        return render_update(
            request, state, selected=selected, status=UNPROCESSABLE, message=f"Edge not added: {validation_text(error)}"
        )
    return render_update(request, state.reloaded(), selected=source, message=f"Connected {source} -{kind}-> {target}.")


@graph_edit
def delete(request: HttpRequest, state: EditorState) -> HttpResponse:
    source, target = request.POST.get("source", ""), request.POST.get("target", "")
    kind = request.POST.get("kind", "")
    edge_id = (
        Edge.objects.filter(workflow=state.workflow, source__key=source, target__key=target, kind=kind)
        .values_list("pk", flat=True)
        .first()
    )
    selected = source if state.node(source) else None
    try:
        edit(request, state, edge_delete, edge_id=edge_id or 0)
    except ValidationError as error:
        return render_update(
            request,
            state,
            selected=selected,
            status=UNPROCESSABLE,
            message=f"Edge not removed: {validation_text(error)}",
        )
    return render_update(request, state.reloaded(), selected=selected, message=f"Removed {source} -{kind}-> {target}.")
