"""The dependency view of a run: a spawner's or dependency_graph's items as a layered DAG and a timeline.

The numbers come from `compiler.runs.dependencies.dependency_view` (Temporal
is the source of truth); this module turns them into what the templates
draw: item boxes placed by the editor canvas's own layered layout (one
slot, items as nodes, dependency -> dependent as edges, so a layout rank is
a dependency layer), and one timeline row per item with a bar per child run
on a shared time axis, under a strip showing how many ran at once. Viewers
may look; non-members get 404; Temporal being away is a 503 page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from compiler import temporal
from compiler.runs.control import RunNotFound
from compiler.runs.dependencies import DEPENDENCY_NODE_TYPES, DependencyItem, DependencyView, dependency_view
from compiler.runs.history import RunDetail, describe_run
from projects.models import Project
from projects.permissions import get_project_for
from workflows.canvas.layered import LayeredSlot
from workflows.canvas.layout import NodeBox
from workflows.models import Workflow

SERVICE_UNAVAILABLE = 503
MARGIN = 16
ITEM_SIZE = (170, 46)
LAYER_LABEL_WIDTH = 70
CHAR_WIDTH = 7.2
ROW_HEIGHT = 22
ROW_LABEL_WIDTH = 160
AXIS_WIDTH = 640
STRIP_HEIGHT = 40
AXIS_HEIGHT = 22
TICKS = 5


def dependency_links(project: Project, detail: RunDetail) -> list[dict[str, Any]]:
    """The spawner and dependency_graph nodes of the run's graph with the URL of their dependency view."""
    if detail.graph is None:
        return []
    with_steps = detail.steps_by_key()
    nodes = detail.graph.of_type(*DEPENDENCY_NODE_TYPES)
    return [
        {
            "key": node.key,
            "label": node.label or node.key,
            "has_steps": node.key in with_steps,
            "url": reverse("workflows:run-dependencies", args=(project.slug, detail.workflow_id, node.key))
            + f"?run={detail.run_id}",
        }
        for node in nodes
    ]


@login_required
@require_GET
def run_dependencies(request: HttpRequest, slug: str, workflow_id: str, node_key: str) -> HttpResponse:
    """The page; HTMX polls the live part every 2 s while the run is open."""
    project, membership = get_project_for(request.user, slug)
    run_id = request.GET.get("run") or None
    context: dict[str, Any] = {
        "project": project,
        "membership": membership,
        "workflow_id": workflow_id,
        "node_key": node_key,
    }
    try:
        detail = describe_run(project, workflow_id, run_id)
    except RunNotFound:
        raise Http404(f"No run '{workflow_id}' in this project.") from None
    except temporal.TemporalUnavailable as error:
        context["problem"] = f"The dependency view reads the run from Temporal, which cannot be reached: {error}"
        return render(request, "workflows/run_dependencies.html", context, status=SERVICE_UNAVAILABLE)
    workflow = Workflow.objects.filter(project=project, identifier=detail.workflow).first()
    try:
        view = dependency_view(detail, detail.graph, node_key)
    except ValueError as error:
        raise Http404(str(error)) from None
    context.update(
        detail=detail,
        workflow=workflow,
        view=view,
        dag=dag_drawing(view),
        timeline=timeline_drawing(view),
        other_views=[link for link in dependency_links(project, detail) if link["key"] != node_key],
        run_url=reverse("workflows:run-detail", args=(slug, detail.workflow_id)) + f"?run={detail.run_id}",
        live_url=reverse("workflows:run-dependencies", args=(slug, detail.workflow_id, node_key))
        + f"?run={detail.run_id}",
    )
    template = "workflows/_run_dependencies.html" if request.htmx else "workflows/run_dependencies.html"
    return render(request, template, context)


def _fit(text: str, width: float) -> str:
    room = max(int(width / CHAR_WIDTH), 4)
    return text if len(text) <= room else text[: room - 1] + "…"


def _item_note(item: DependencyItem) -> str:
    """The second line of an item box: its status, and how long its (latest) child ran."""
    child = item.child
    if child and child.duration is not None:
        return f"{item.status} · {child.duration:.1f} s"
    return item.status


def dag_drawing(view: DependencyView) -> dict[str, Any]:
    """Item boxes, dependency edges and layer labels, in pixels; empty when there are no items."""
    if not view.items:
        return {}
    width, height = ITEM_SIZE
    boxes = {item.key: NodeBox(item.key, "item", item.key, {}, width=width, height=height) for item in view.items}
    laid = LayeredSlot(boxes, list(boxes), [(dep, key, "next") for dep, key in view.edges]).run()
    left, top = MARGIN + (LAYER_LABEL_WIDTH if view.layers else 0), MARGIN
    nodes = []
    for item in view.items:
        x, y = laid.offsets[item.key]
        x, y = round(left + x), round(top + y)
        title = " — ".join(part for part in (item.key, item.status, item.reason) if part)
        nodes.append(
            {
                "key": item.key,
                "label": _fit(item.key, width - 20),
                "note": _fit(_item_note(item), width - 20),
                "title": title,
                "status": item.status,
                "x": x,
                "y": y,
                "cx": x + width // 2,
            }
        )
    ys = {node["key"]: node["y"] for node in nodes}
    layers = [{"label": f"layer {n + 1}", "y": ys[layer[0]] + height // 2 + 4} for n, layer in enumerate(view.layers)]
    edges = [
        {
            "source": edge.source,
            "target": edge.target,
            "path": " ".join(
                f"{'L' if i else 'M'}{left + x:.1f},{top + y:.1f}" for i, (x, y) in enumerate(edge.points)
            ),
        }
        for edge in laid.edges
    ]
    return {
        "width": round(left + laid.width + MARGIN),
        "height": round(top + laid.height + MARGIN),
        "item_width": width,
        "item_height": height,
        "nodes": nodes,
        "edges": edges,
        "layers": layers,
        "layer_x": MARGIN,
    }


def timeline_drawing(view: DependencyView) -> dict[str, Any]:
    """One row per item (first started first), a bar per child run, a concurrency strip and time ticks."""
    if view.start is None or view.end is None:
        return {}
    total = max((view.end - view.start).total_seconds(), 0.001)

    def x_of(at) -> float:
        return round(ROW_LABEL_WIDTH + (at - view.start).total_seconds() / total * AXIS_WIDTH, 1)

    started = sorted((item for item in view.items if item.children), key=lambda item: item.children[0].start)
    waiting = [item for item in view.items if not item.children]
    rows = []
    for index, item in enumerate([*started, *waiting]):
        y = STRIP_HEIGHT + AXIS_HEIGHT + index * ROW_HEIGHT
        bars = [
            {
                "x": x_of(child.start),
                "width": max(x_of(child.close or view.end) - x_of(child.start), 2),
                "status": child.status,
                "title": f"{item.key}: {child.workflow_id}, {child.status}"
                + (f", {child.duration:.2f} s" if child.duration is not None else ", running"),
            }
            for child in item.children
        ]
        note = "" if bars else ": ".join(part for part in (item.status, item.reason) if part)
        rows.append(
            {"key": item.key, "label": _fit(item.key, ROW_LABEL_WIDTH - 12), "y": y, "bars": bars, "note": note}
        )
    most = max(view.max_running, 1)
    strip = [
        {
            "x": x_of(start),
            "width": max(x_of(end) - x_of(start), 1),
            "height": round(count / most * (STRIP_HEIGHT - 10), 1),
            "y": round(STRIP_HEIGHT - count / most * (STRIP_HEIGHT - 10), 1),
            "title": f"{count} running",
        }
        for start, end, count in view.concurrency
    ]
    ticks = [
        {"x": round(ROW_LABEL_WIDTH + AXIS_WIDTH * n / (TICKS - 1), 1), "label": f"{total * n / (TICKS - 1):.1f} s"}
        for n in range(TICKS)
    ]
    return {
        "width": ROW_LABEL_WIDTH + AXIS_WIDTH + MARGIN * 3,
        "height": STRIP_HEIGHT + AXIS_HEIGHT + len(rows) * ROW_HEIGHT + MARGIN // 2,
        "rows": rows,
        "strip": strip,
        "ticks": ticks,
        "axis_y": STRIP_HEIGHT + 4,
        "label_x": ROW_LABEL_WIDTH - 8,
        "row_height": ROW_HEIGHT - 6,
        "end_x": ROW_LABEL_WIDTH + AXIS_WIDTH,
    }
