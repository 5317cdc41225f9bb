"""Build pages of a project: the builds, two builds compared, a workflow's draft against the newest build.

The builds page lists every build with who, when, its status, each
workflow's revision and the replay report. Two builds compare side by side
(`?from=<id>&to=<id>`): per workflow the graph's changes and the generated
code's diff; a workflow's draft compares with the newest build the same way,
both graphs drawn. Editors roll back from the builds page: an earlier build
becomes the newest again (compiler.builds.deploy.rollback_project, as
`manage.py deploy --build`) and the page says what the rollback did.
The project page loads a card of each workflow's state from here. Viewers
see everything else; non-members get 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import DiffLexer

from compiler import temporal
from compiler.builds.compare import compare_builds, compare_draft
from compiler.builds.deploy import rollback_project
from compiler.builds.draft_status import project_states
from compiler.builds.listing import project_builds
from projects.models import Role
from projects.permissions import get_project_for
from workflows.canvas.svg import render_document_svg
from workflows.models import Workflow
from workflows.runs.views import SERVICE_UNAVAILABLE, error_lines


def _page(request: HttpRequest, project, membership, *, result=None, problem: str = "", status: int = 200):
    context = {
        "project": project,
        "membership": membership,
        "builds": project_builds(project),
        "can_edit": membership.allows(Role.EDITOR),
        "result": result,
        "problem": problem,
    }
    return render(request, "workflows/builds.html", context, status=status)


@login_required
@require_GET
def builds(request: HttpRequest, slug: str) -> HttpResponse:
    project, membership = get_project_for(request.user, slug)
    return _page(request, project, membership)


@login_required
@require_POST
def build_rollback(request: HttpRequest, slug: str, build_id: str) -> HttpResponse:
    """Make `build_id` the newest build again; the page says what happened (400 when it could not)."""
    project, membership = get_project_for(request.user, slug, Role.EDITOR)
    try:
        result = rollback_project(project, request.user, build_id)
    except temporal.TemporalUnavailable as error:
        return _page(request, project, membership, problem=f"Not rolled back: {error}", status=SERVICE_UNAVAILABLE)
    return _page(request, project, membership, result=result, status=200 if result.ok else 400)


@login_required
@require_GET
def builds_compare(request: HttpRequest, slug: str) -> HttpResponse:
    """What changed from build `from` to build `to` (400 naming a build the project does not have)."""
    project, membership = get_project_for(request.user, slug)
    before, after = request.GET.get("from", ""), request.GET.get("to", "")
    context = {"project": project, "before": before, "after": after, "comparisons": [], "errors": []}
    try:
        comparisons = compare_builds(project, before, after)
    except ValidationError as error:
        context["errors"] = error_lines(error)
        return render(request, "workflows/builds_compare.html", context, status=400)
    context["comparisons"] = [(c, _highlighted(c)) for c in comparisons]
    return render(request, "workflows/builds_compare.html", context)


@login_required
@require_GET
def draft_changes(request: HttpRequest, slug: str, identifier: str) -> HttpResponse:
    """The draft against the newest build: both graphs drawn, what changed in the graph and in the code."""
    project, membership = get_project_for(request.user, slug)
    workflow = get_object_or_404(Workflow, project=project, identifier=identifier)
    found = compare_draft(project, identifier)
    graph = found.comparison.graph
    context = {
        "project": project,
        "workflow": workflow,
        "found": found,
        "comparison": found.comparison,
        "highlighted": _highlighted(found.comparison),
        "deployed_svg": render_document_svg(found.deployed, marks=_marks(graph, "removed")) if found.deployed else "",
        "draft_svg": render_document_svg(found.draft, marks=_marks(graph, "added", "changed")),
    }
    return render(request, "workflows/draft_changes.html", context)


def _marks(graph: dict, *kinds: str) -> dict[str, str]:
    """The canvas marks (workflows/canvas/svg.py) for the nodes and edges of `kinds` in a graph comparison."""
    marks = {node["key"]: kind for kind in kinds for node in graph["nodes"].get(kind, [])}
    marks.update({edge["name"]: kind for kind in kinds for edge in graph["edges"].get(kind, [])})
    return marks


def _highlighted(comparison) -> str:
    if not comparison.code_diff:
        return ""
    return highlight(comparison.code_diff, DiffLexer(), HtmlFormatter(cssclass="highlight"))


@login_required
@require_GET
def workflow_states(request: HttpRequest, slug: str) -> HttpResponse:
    """The project page's deploy card: each workflow deployed, changed since deploy, with errors, or never deployed."""
    project, _ = get_project_for(request.user, slug)
    context = {"project": project, "states": project_states(project), "loaded": True}
    return render(request, "projects/_deploy_states.html", context)
