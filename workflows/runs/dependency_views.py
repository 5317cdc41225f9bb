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

from collections import Counter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
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
ITEMS_PER_PAGE = 200  # rows of the items table; a spawner over thousands of items pages it
TIMELINE_ROWS = 200  # the timeline draws the first-started items; the table has them all
WIDEST_LAYER = 12  # item boxes drawn per layer, the last of them "+ N more" when there are more


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
    page = Paginator(view.items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    page_url = reverse("workflows:run-dependencies", args=(slug, detail.workflow_id, node_key))
    page_url += f"?run={detail.run_id}"
    context.update(
        detail=detail,
        workflow=workflow,
        view=view,
        page=page,
        page_url=page_url,
        dag=dag_drawing(view),
        timeline=timeline_drawing(view),
        other_views=[link for link in dependency_links(project, detail) if link["key"] != node_key],
        run_url=reverse("workflows:run-detail", args=(slug, detail.workflow_id)) + f"?run={detail.run_id}",
        live_url=page_url + (f"&page={page.number}" if page.number > 1 else ""),
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


def _collapsed(view: DependencyView) -> tuple[dict[str, str], dict[str, list[DependencyItem]]]:
    """Item key -> the box that draws it, and the items of each "more" box.

    A layer wider than WIDEST_LAYER draws its first items and one box for
    the rest: a spawner over thousands of packages can put hundreds in one
    layer, which no page can draw (the items table lists them all).
    """
    by_key = {item.key: item for item in view.items}
    drawn_as = {item.key: item.key for item in view.items}
    hidden: dict[str, list[DependencyItem]] = {}
    for number, layer in enumerate(view.layers):
        if len(layer) > WIDEST_LAYER:
            rest = layer[WIDEST_LAYER - 1 :]
            box = f"layer-{number + 1}-more"
            hidden[box] = [by_key[key] for key in rest]
            drawn_as.update(dict.fromkeys(rest, box))
    return drawn_as, hidden


def _more_box(key: str, items: list[DependencyItem], width: int) -> dict[str, Any]:
    counts = Counter(item.status for item in items)
    summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
    return {
        "key": key,
        "label": f"+ {len(items)} more",
        "note": _fit(summary, width - 20),
        "title": f"{len(items)} more items in this layer: {summary} (all are in the items table)",
        "status": "collapsed",
    }


def dag_drawing(view: DependencyView) -> dict[str, Any]:
    """Item boxes, dependency edges and layer labels, in pixels; empty when there are no items.

    Wide layers are collapsed (see `_collapsed`); an edge to or from a
    collapsed item is drawn once to or from its layer's "more" box.
    """
    if not view.items:
        return {}
    width, height = ITEM_SIZE
    drawn_as, hidden = _collapsed(view)
    drawn = {key: None for key in drawn_as.values()}
    links = {(drawn_as[dep], drawn_as[key]): None for dep, key in view.edges if drawn_as[dep] != drawn_as[key]}
    boxes = {key: NodeBox(key, "item", key, {}, width=width, height=height) for key in drawn}
    laid = LayeredSlot(boxes, list(boxes), [(dep, key, "next") for dep, key in links]).run()
    left, top = MARGIN + (LAYER_LABEL_WIDTH if view.layers else 0), MARGIN
    by_key = {item.key: item for item in view.items}
    nodes = []
    for key in drawn:
        x, y = laid.offsets[key]
        x, y = round(left + x), round(top + y)
        if key in hidden:
            node = _more_box(key, hidden[key], width)
        else:
            item = by_key[key]
            node = {
                "key": key,
                "label": _fit(key, width - 20),
                "note": _fit(_item_note(item), width - 20),
                "title": " — ".join(part for part in (key, item.status, item.reason) if part),
                "status": item.status,
            }
        nodes.append({**node, "x": x, "y": y, "cx": x + width // 2})
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
    """One row per item (first started first; at most TIMELINE_ROWS), a bar per child run, a strip and time ticks."""
    if view.start is None or view.end is None:
        return {}
    total = max((view.end - view.start).total_seconds(), 0.001)

    def x_of(at) -> float:
        return round(ROW_LABEL_WIDTH + (at - view.start).total_seconds() / total * AXIS_WIDTH, 1)

    started = sorted((item for item in view.items if item.children), key=lambda item: item.children[0].start)
    waiting = [item for item in view.items if not item.children]
    rows = []
    for index, item in enumerate([*started, *waiting][:TIMELINE_ROWS]):
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
        "more_rows": len(view.items) - len(rows),
    }
