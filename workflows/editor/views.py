"""The graph editor: the page, the inspector, validation, code, undo/redo and deploy.

Node and edge edits live in nodes.py and edges.py; they share
the helpers here. Every edit is one HTMX request whose response carries the
canvas, inspector, diagnostics and toolbar as out-of-band swaps
(`_editor_update.html`), so the regions always agree with each other and
with the version every form carries. Errors come back as the same regions
with status 422 (field errors) or 409 (someone else saved first).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from compiler.pipeline import compile_graph
from compiler.validate.graph import expression_problems_for, expression_suggestions_for
from projects.models import Role
from projects.permissions import get_project_for
from workflows.canvas.folding import folded_keys
from workflows.canvas.svg import canvas_context
from workflows.editor.forms import InspectorForm
from workflows.editor.ports import ports_svg
from workflows.editor.state import EditorState, editor_state
from workflows.input_checks import small_whole_number
from workflows.models import Workflow
from workflows.node_types import NODE_TYPES
from workflows.services import StaleEdit, revision_restore

UNPROCESSABLE = 422
CONFLICT = 409
# The copied fragment (workflows.fragments) lives in the session, so it pastes into any workflow the user edits.
CLIPBOARD_SESSION_KEY = "editor_clipboard"


def load_state(request: HttpRequest, slug: str, identifier: str, role: str = Role.VIEWER) -> EditorState:
    """The editor state for a member with at least `role` (non-members 404, lower roles 403)."""
    project, membership = get_project_for(request.user, slug, role)
    workflow = get_object_or_404(Workflow, project=project, identifier=identifier)
    return editor_state(project, membership, workflow, folded=folded_keys(request.COOKIES, workflow.pk))


def expected_version(request: HttpRequest) -> int:
    """The version the user's form was rendered from.

    Missing or garbled gives 0, which no workflow has (versions start at 1):
    such a form is refused as stale. The services read None as "do not
    check", which a browser form must never get.
    """
    return small_whole_number(request.POST.get("version", "")) or 0


def chosen_place(value: str) -> tuple[str | None, str]:
    """`container-key:slot` from the container pickers ("Into", "Container"); empty means the top level."""
    if not value:
        return None, "body"
    key, _, slot = value.partition(":")
    return key, slot or "body"


def copied_count(request: HttpRequest) -> int:
    """How many nodes this session's clipboard holds (the Paste button says it; 0 disables it)."""
    fragment = request.session.get(CLIPBOARD_SESSION_KEY)
    return len(fragment.get("nodes", [])) if isinstance(fragment, dict) else 0


def editor_urls(state: EditorState) -> dict[str, str]:
    args = (state.project.slug, state.workflow.identifier)
    names = (
        "editor",
        "inspector",
        "inspector_preview",
        "node_add",
        "node_update",
        "node_move",
        "node_delete",
        "node_insert",
        "node_add_after",
        "copy",
        "paste",
        "edge_add",
        "edge_delete",
        "connect",
        "expression",
        "diagnostics",
        "code",
        "undo",
        "redo",
        "deploy",
    )
    return {
        name: reverse(
            "workflows:editor" if name == "editor" else f"workflows:editor-{name.replace('_', '-')}", args=args
        )
        for name in names
    }


def inspector_form(state: EditorState, node, data=None, *, quiet: bool = False) -> InspectorForm:
    """The settings form of `node`: showing its saved config, or bound to a post (quiet: a preview, no messages)."""
    return InspectorForm(
        NODE_TYPES[node.type],
        node.config,
        data,
        activities=state.activities,
        suggest=functools.partial(expression_suggestions_for, state.graph, node),
        quiet=quiet,
    )


def inspector_context(
    state: EditorState,
    key: str | None,
    *,
    form: InspectorForm | None = None,
    label: str | None = None,
    label_errors: list[str] | None = None,
    message: str = "",
) -> dict:
    """The inspector for node `key` (None: the empty inspector); form/label: a refused or previewed post."""
    node = state.node(key)
    if node is None:
        return {"inspected": None}
    node_type = NODE_TYPES[node.type]
    inside = state.descendants(node.key) | {node.key}
    return {
        "inspected": node,
        "node_type": node_type,
        "label_value": node.label if label is None else label,
        "label_errors": label_errors or [],
        "form": form or inspector_form(state, node),
        "field_diagnostics": [d for d in state.diagnostics if d.node == node.key],
        "places": [(value, title) for value, title in state.containers() if value.split(":")[0] not in inside],
        "current_place": f"{node.parent}:{node.slot}" if node.parent else "",
        "outgoing": state.graph.outgoing(node.key),
        "edge_kinds": node_type.out_edges,
        "targets": state.siblings(node),
        "inspector_message": message,
    }


def page_context(
    state: EditorState, *, selected: str | None = None, connect: dict | None = None, into: str = "", **inspector
):
    """Every region's data; `into` is the palette's container choice, kept across edits while it exists."""
    context = canvas_context(state.layout, selected=selected, diagnostics=state.diagnostics)
    places = state.containers()
    return {
        **context,
        "ports": ports_svg(context["nodes"]) if state.can_edit else "",
        **inspector_context(state, selected, **inspector),
        "state": state,
        "project": state.project,
        "workflow": state.workflow,
        "can_edit": state.can_edit,
        "editable": True,
        "connect": connect,
        "urls": editor_urls(state),
        "diagnostic_rows": [(d, d.node or (d.edge.split(" ", 1)[0] if d.edge else None)) for d in state.diagnostics],
        "error_count": sum(1 for d in state.diagnostics if d.is_error),
        "places_all": places,
        "into": into if any(value == into for value, _ in places) else "",
        "node_types": _palette(),
        "history": state.history,
        "deployments": state.deployments,
    }


def render_update(
    request: HttpRequest,
    state: EditorState,
    *,
    selected: str | None = None,
    status: int = 200,
    connect: dict | None = None,
    notice: str = "",
    **inspector,
) -> HttpResponse:
    """Canvas, inspector, diagnostics and toolbar as out-of-band swaps (the palette keeps the posted "Into")."""
    into = request.POST.get("into") or request.GET.get("into", "")
    context = page_context(state, selected=selected, connect=connect, into=into, **inspector)
    context.update(oob=True, notice=notice, failed=status >= 400, copied=copied_count(request))
    return render(request, "workflows/_editor_update.html", context, status=status)


def graph_edit(view: Callable[[HttpRequest, EditorState], HttpResponse]) -> Callable[..., HttpResponse]:
    """An editor endpoint that changes the graph through workflows.services.

    Editors only, POST only; the view gets the editor state. A StaleEdit from
    a service (someone saved in between) becomes the 409 answer here, so each
    view handles only what is its own: a ValidationError's message and where
    it shows.
    """

    @login_required
    @require_POST
    @functools.wraps(view)
    def endpoint(request: HttpRequest, slug: str, identifier: str) -> HttpResponse:
        state = load_state(request, slug, identifier, Role.EDITOR)
        try:
            return view(request, state)
        except StaleEdit as error:
            return render_conflict(request, state, error)

    return endpoint


def edit(request: HttpRequest, state: EditorState, service: Callable, **arguments):
    """Call a workflows.services edit as this request's user, at the version the page was showing.

    A ValidationError goes to the view (its message is the view's to place);
    a StaleEdit to `graph_edit`.
    """
    return service(workflow=state.workflow, user=request.user, expected_version=expected_version(request), **arguments)


def render_conflict(request: HttpRequest, state: EditorState, error: StaleEdit) -> HttpResponse:
    """409 with the conflict message only: the user's unsaved inputs stay on screen."""
    html = render_to_string("workflows/_conflict.html", {"message": str(error), "urls": editor_urls(state)}, request)
    return HttpResponse(html, status=CONFLICT)


def validation_messages(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def validation_text(error: ValidationError) -> str:
    """Every message of the error on one line, for a notice."""
    return " ".join(m for msgs in validation_messages(error).values() for m in msgs)


@login_required
@require_GET
def editor(request: HttpRequest, slug: str, identifier: str) -> HttpResponse:
    state = load_state(request, slug, identifier)
    selected = request.GET.get("node") or None
    context = page_context(state, selected=selected if state.node(selected) else None)
    return render(request, "workflows/editor.html", {**context, "copied": copied_count(request)})


def _palette() -> list[tuple[str, list]]:
    """Node types by category, in registry order."""
    groups: dict[str, list] = {}
    for node_type in NODE_TYPES.values():
        groups.setdefault(node_type.category, []).append(node_type)
    return list(groups.items())


@login_required
@require_GET
def panels(request: HttpRequest, slug: str, identifier: str) -> HttpResponse:
    """Every panel again with `?node=` selected: a click on a node or Validate (errors are outlined on the canvas)."""
    state = load_state(request, slug, identifier)
    key = request.GET.get("node")
    return render_update(request, state, selected=key if state.node(key) else None)


@login_required
@require_POST
def inspector_preview(request: HttpRequest, slug: str, identifier: str) -> HttpResponse:
    """Re-render the inspector from the unsaved form, e.g. after picking another activity or a retry preset.

    Nothing is saved: the picked activity's argument rows (or the preset's
    values) appear, an input-field row is added or removed, and everything
    else the user typed stays as typed.
    """
    state = load_state(request, slug, identifier, Role.EDITOR)
    node = state.node(request.POST.get("node"))
    if node is None:
        return render_update(request, state, status=UNPROCESSABLE, message="This node no longer exists.")
    form = inspector_form(state, node, request.POST, quiet=True)
    return render_update(request, state, selected=node.key, form=form, label=request.POST.get("label", ""))


@login_required
@require_POST
def expression_check(request: HttpRequest, slug: str, identifier: str) -> HttpResponse:
    """Inline validation of one expression input, with the names known at that node.

    htmx posts the whole enclosing form; the URL names the node, the field and
    the input (with a row index for argument rows) whose value is checked.
    """
    state = load_state(request, slug, identifier, Role.EDITOR)
    node = state.node(request.GET.get("node"))
    field_name = request.GET.get("field", "")
    source = _posted_value(request, request.GET.get("input", ""), request.GET.get("index", "0"))
    if node is None:
        context = {"ok": False, "messages": ["This node no longer exists; reload the editor."]}
        return render(request, "workflows/_expression_check.html", context, status=UNPROCESSABLE)
    if not source.strip():
        return render(request, "workflows/_expression_check.html", {"empty": True})
    problems = expression_problems_for(state.graph, node, field_name.split(".")[0], source)
    messages = [f"column {e.column}: {e.message}" + (f" ({e.hint})" if e.hint else "") for e in problems]
    context = {"ok": not problems, "messages": messages}
    return render(request, "workflows/_expression_check.html", context, status=UNPROCESSABLE if problems else 200)


def _posted_value(request: HttpRequest, name: str, index: str) -> str:
    """The value of the checked input: the whole form is posted, the URL says which input (and row)."""
    values = request.POST.getlist(name)
    position = small_whole_number(index) or 0
    return values[position] if position < len(values) else ""


@login_required
@require_GET
def code(request: HttpRequest, slug: str, identifier: str) -> HttpResponse:
    """The generated module, highlighted; ?download=1 returns the .py file."""
    state = load_state(request, slug, identifier)
    result = compile_graph(
        state.graph, project_graphs=state.project_graphs, activities=state.activities, mcp_servers=state.mcp_servers
    )
    if request.GET.get("download") and result.ok:
        response = HttpResponse(result.source, content_type="text/x-python; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{result.module_name or identifier}.py"'
        return response
    highlighted = highlight(result.source, PythonLexer(), HtmlFormatter(cssclass="highlight")) if result.ok else ""
    context = {
        "result": result,
        "highlighted": highlighted,
        "errors": [d for d in result.diagnostics if d.is_error],
        "urls": editor_urls(state),
        "workflow": state.workflow,
        "oob": False,
    }
    return render(request, "workflows/_code.html", context, status=200 if result.ok else UNPROCESSABLE)


def _restore(request: HttpRequest, state: EditorState, which: str) -> HttpResponse:
    number = getattr(state.history, which)
    if number is None:
        return render_update(request, state, status=UNPROCESSABLE, notice=f"Nothing to {which}.")
    edit(request, state, revision_restore, number=number)
    return render_update(request, state.reloaded(), notice=f"{which.capitalize()}: back to revision {number}.")


@graph_edit
def undo(request: HttpRequest, state: EditorState) -> HttpResponse:
    return _restore(request, state, "undo")


@graph_edit
def redo(request: HttpRequest, state: EditorState) -> HttpResponse:
    return _restore(request, state, "redo")
