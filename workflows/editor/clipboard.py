"""Copy and paste in the editor (Ctrl/Cmd+C, Ctrl/Cmd+V): a clipboard kept in the user's session.

Copy stores a fragment (workflows.fragments) of the nodes the user picked,
so a paste works in this workflow or in any other the user can edit, in any
project. A paste may instead post a `document` (the JSON of a fragment, e.g.
from the API or a browser clipboard): that text is hostile and is checked as
an import is, with a 400 naming the node at fault. See docs/decisions.md.
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from compiler.project_reader import graph_document
from workflows.editor.state import EditorState
from workflows.editor.views import (
    CLIPBOARD_SESSION_KEY,
    UNPROCESSABLE,
    chosen_place,
    edit,
    graph_edit,
    load_state,
    render_update,
    validation_text,
)
from workflows.fragments import fragment_of
from workflows.graph_edits import nodes_paste
from workflows.services import DocumentInvalid

BAD_REQUEST = 400
MAX_DOCUMENT_CHARACTERS = 1_000_000


@login_required
@require_POST
def copy(request: HttpRequest, slug: str, identifier: str) -> HttpResponse:
    """Copy the posted nodes (with what is inside them) to the clipboard; viewers may copy too."""
    state = load_state(request, slug, identifier)
    keys = [key for key in request.POST.getlist("node") if state.node(key)]
    if not keys:
        notice = "Select a node to copy (click it, or Tab to it and press Enter), then press Ctrl+C."
        return render_update(request, state, status=UNPROCESSABLE, notice=notice)
    fragment = fragment_of(graph_document(state.graph), keys)
    request.session[CLIPBOARD_SESSION_KEY] = fragment
    count = len(fragment["nodes"])
    notice = f"Copied {count} node{'s' if count != 1 else ''}: Ctrl+V pastes here or in another workflow."
    return render_update(request, state, selected=keys[0], notice=notice)


@graph_edit
def paste(request: HttpRequest, state: EditorState) -> HttpResponse:
    """Paste the clipboard (or a posted fragment) into the palette's "Into" container under fresh keys."""
    fragment, problem = _pasted(request)
    if problem:
        return render_update(request, state, status=BAD_REQUEST, notice=f"Not pasted: {problem}")
    parent_key, slot = chosen_place(request.POST.get("into", ""))
    try:
        nodes = edit(request, state, nodes_paste, fragment=fragment, parent_key=parent_key, slot=slot)
    except DocumentInvalid as error:
        problems = "; ".join(
            f"{p['node'] or p['edge']}: {p['message']}" if p["node"] or p["edge"] else p["message"]
            for p in error.problems[:5]
        )
        return render_update(request, state, status=BAD_REQUEST, notice=f"Not pasted: {problems}")
    except ValidationError as error:
        return render_update(request, state, status=UNPROCESSABLE, notice=f"Not pasted: {validation_text(error)}")
    keys = ", ".join(node.key for node in nodes[:5]) + (", ..." if len(nodes) > 5 else "")
    count = len(nodes)
    notice = f"Pasted {count} node{'s' if count != 1 else ''} ({keys}); connect them by dragging from a port."
    return render_update(request, state.reloaded(), selected=nodes[0].key, notice=notice)


def _pasted(request: HttpRequest) -> tuple[object, str]:
    """The fragment to paste and why there is none: a posted `document`, else this session's clipboard."""
    text = request.POST.get("document", "")
    if not text:
        fragment = request.session.get(CLIPBOARD_SESSION_KEY)
        return fragment, "" if fragment else "nothing is copied yet: select a node and press Ctrl+C first."
    if len(text) > MAX_DOCUMENT_CHARACTERS:
        return None, f"the pasted text is longer than {MAX_DOCUMENT_CHARACTERS:,} characters."
    try:
        return json.loads(text), ""
    except (ValueError, RecursionError):
        return None, "the pasted text is not JSON copied from the editor."
