"""Editor endpoints that add, change, move and delete nodes (thin callers of workflows.services and graph_edits).

A new node comes from the palette (into the chosen container), onto an edge
(dropped there: the edge splits) or after the selected node (connected in
the same step); a delete joins the node's predecessor to its successor when
that is unambiguous.
"""

from __future__ import annotations

import functools

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from workflows.editor.state import EditorState
from workflows.editor.views import (
    UNPROCESSABLE,
    chosen_place,
    edit,
    graph_edit,
    inspector_form,
    render_update,
    validation_messages,
    validation_text,
)
from workflows.graph_edits import edge_insert, node_add_after, node_delete_reconnect
from workflows.node_types import NODE_TYPES, NodeType
from workflows.services import node_add, node_update

CHOOSE_TYPE = "Choose a node type from the palette."


def _new_node(request: HttpRequest) -> tuple[NodeType | None, dict]:
    """The posted node type and the new node's type, label and starter config (None: no such type)."""
    node_type = NODE_TYPES.get(request.POST.get("type", ""))
    if node_type is None:
        return None, {}
    label = request.POST.get("label", "").strip() or node_type.title
    return node_type, {"type": node_type.name, "label": label, "config": node_type.starter_config()}


def _refused(request: HttpRequest, state: EditorState, what: str, error: ValidationError) -> HttpResponse:
    messages = "; ".join(f"{k}: {' '.join(v)}" for k, v in validation_messages(error).items())
    return render_update(request, state, status=UNPROCESSABLE, notice=f"{what}: {messages}")


@graph_edit
def add(request: HttpRequest, state: EditorState) -> HttpResponse:
    """Palette: add a node of a type into the chosen container, then inspect it."""
    node_type, new = _new_node(request)
    if node_type is None:
        return render_update(request, state, status=UNPROCESSABLE, notice=CHOOSE_TYPE)
    parent_key, slot = chosen_place(request.POST.get("into", ""))
    try:
        node = edit(request, state, node_add, **new, parent_key=parent_key, slot=slot)
    except ValidationError as error:
        return _refused(request, state, "Not added", error)
    return render_update(
        request, state.reloaded(), selected=node.key, notice=f"Added {node_type.title} '{node.label}'."
    )


@graph_edit
def insert(request: HttpRequest, state: EditorState) -> HttpResponse:
    """A palette item dropped on an edge: the new node goes between the edge's ends, the edge's kind kept."""
    node_type, new = _new_node(request)
    if node_type is None:
        return render_update(request, state, status=UNPROCESSABLE, notice=CHOOSE_TYPE)
    source, target, kind = (request.POST.get(name, "") for name in ("source", "target", "kind"))
    try:
        node = edit(request, state, edge_insert, source_key=source, target_key=target, kind=kind, **new)
    except ValidationError as error:
        return _refused(request, state, "Not inserted", error)
    notice = f"Inserted {node_type.title} '{node.label}' between {source} and {target}."
    return render_update(request, state.reloaded(), selected=node.key, notice=notice)


@graph_edit
def add_after(request: HttpRequest, state: EditorState) -> HttpResponse:
    """ "Add after" on the selected node: a new node connected to it (onto its edge of that kind, if it has one)."""
    node_type, new = _new_node(request)
    after = state.node(request.POST.get("node"))
    if node_type is None or after is None:
        return render_update(request, state, status=UNPROCESSABLE, notice=CHOOSE_TYPE if after else "Select a node.")
    kinds = NODE_TYPES[after.type].out_edges
    kind = request.POST.get("kind") or (kinds[0] if kinds else "next")
    try:
        node, successor = edit(request, state, node_add_after, after_key=after.key, kind=kind, **new)
    except ValidationError as error:
        return _refused(request, state, "Not added", error)
    before = f", before '{successor}'" if successor else ""
    notice = f"Added {node_type.title} '{node.label}' after '{after.key}' ({kind}){before}."
    return render_update(request, state.reloaded(), selected=node.key, notice=notice)


@graph_edit
def update(request: HttpRequest, state: EditorState) -> HttpResponse:
    """Inspector save: label and config; field errors come back in the inspector (422)."""
    key = request.POST.get("node", "")
    node = state.node(key)
    if node is None:
        return render_update(request, state, status=UNPROCESSABLE, notice=f"Node '{key}' no longer exists.")
    form = inspector_form(state, node, request.POST)
    label = request.POST.get("label", "").strip()
    # Refused: the inspector comes back with what the user typed and the errors beside the fields.
    refused = functools.partial(
        render_update, request, state, selected=key, status=UNPROCESSABLE, form=form, label=label
    )
    if not form.is_valid() or not label:
        label_errors = [] if label else ["is required"]
        return refused(label_errors=label_errors, message="Not saved: fix the fields marked below.")
    try:
        edit(request, state, node_update, key=key, label=label, config=form.config)
    except ValidationError as error:
        messages = validation_messages(error)
        form.add_service_errors({name: texts for name, texts in messages.items() if name != "label"})
        return refused(label_errors=messages.get("label", []), message="Not saved.")
    return render_update(request, state.reloaded(), selected=key, message="Saved.")


@graph_edit
def move(request: HttpRequest, state: EditorState) -> HttpResponse:
    """Move a node into another container (its edges are dropped: they would cross containers)."""
    key = request.POST.get("node", "")
    parent_key, slot = chosen_place(request.POST.get("container", ""))
    try:
        edit(request, state, node_update, key=key, parent_key=parent_key, slot=slot)
    except ValidationError as error:
        found = state.node(key)
        messages = validation_text(error)
        return render_update(
            request,
            state,
            selected=found.key if found else None,
            status=UNPROCESSABLE,
            message=f"Not moved: {messages}",
        )
    return render_update(
        request, state.reloaded(), selected=key, message="Moved; reconnect its edges in the new place."
    )


@graph_edit
def delete(request: HttpRequest, state: EditorState) -> HttpResponse:
    """Delete a node with its edges (a container with everything inside it), joining its neighbours if unambiguous."""
    key = request.POST.get("node", "")
    try:
        reconnected = edit(request, state, node_delete_reconnect, key=key)
    except ValidationError as error:
        messages = validation_text(error)
        return render_update(request, state, status=UNPROCESSABLE, notice=f"Not deleted: {messages}")
    joined = f" and connected {reconnected}" if reconnected else ""
    return render_update(request, state.reloaded(), notice=f"Deleted '{key}'{joined}. Undo brings it back.")
