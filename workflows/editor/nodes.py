"""Editor endpoints that add, change, move and delete nodes (thin callers of workflows.services)."""

from __future__ import annotations

import functools

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from workflows.editor.state import EditorState
from workflows.editor.views import (
    UNPROCESSABLE,
    edit,
    graph_edit,
    inspector_form,
    render_update,
    validation_messages,
    validation_text,
)
from workflows.node_types import NODE_TYPES
from workflows.services import node_add, node_delete, node_update


def _place(value: str) -> tuple[str | None, str]:
    """`container-key:slot` from the container pickers; empty means the top level."""
    if not value:
        return None, "body"
    key, _, slot = value.partition(":")
    return key, slot or "body"


@graph_edit
def add(request: HttpRequest, state: EditorState) -> HttpResponse:
    """Palette: add a node of a type into the chosen container, then inspect it."""
    node_type = NODE_TYPES.get(request.POST.get("type", ""))
    if node_type is None:
        return render_update(request, state, status=UNPROCESSABLE, notice="Choose a node type from the palette.")
    parent_key, slot = _place(request.POST.get("into", ""))
    try:
        node = edit(
            request,
            state,
            node_add,
            type=node_type.name,
            label=request.POST.get("label", "").strip() or node_type.title,
            config=node_type.starter_config(),
            parent_key=parent_key,
            slot=slot,
        )
    except ValidationError as error:
        messages = "; ".join(f"{k}: {' '.join(v)}" for k, v in validation_messages(error).items())
        return render_update(request, state, status=UNPROCESSABLE, notice=f"Not added: {messages}")
    return render_update(
        request, state.reloaded(), selected=node.key, notice=f"Added {node_type.title} '{node.label}'."
    )


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
    parent_key, slot = _place(request.POST.get("container", ""))
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
    """Delete a node with its edges (and a container with everything inside it)."""
    key = request.POST.get("node", "")
    try:
        edit(request, state, node_delete, key=key)
    except ValidationError as error:
        messages = validation_text(error)
        return render_update(request, state, status=UNPROCESSABLE, notice=f"Not deleted: {messages}")
    return render_update(request, state.reloaded(), notice=f"Deleted '{key}'. Undo brings it back.")
