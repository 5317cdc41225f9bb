"""From a layout to what the SVG template draws, and the cached layout itself.

The template (`workflows/_canvas_svg.html`) only loops and prints: shapes,
paths, truncated labels and css classes are computed here, once, so the
template stays readable; the groups of the nodes that are not containers
are printed by `node_markup.py`, which is about twice as fast at 300 nodes.

The same drawing serves the editor (nodes open the inspector), the admin
preview (read-only) and, later, a run (a status per node colours it): the
`statuses` map is {node key: {"status": "running", "attempt": 2}} with the
statuses of the built-in `progress` query.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.core.cache import cache
from django.template.loader import render_to_string

from workflows.node_types import NODE_TYPES, Badge

from .badges import node_badges, node_subtitle
from .geometry import path_data
from .layout import SLOT_HEADER, Layout, NodeBox, layout_document
from .text import SMALL, fit, fit_label

# Bump when the layout's output changes, so cached layouts of old code are not reused.
LAYOUT_VERSION = 2
CHAR_WIDTH = 7.4
BADGE_CHAR_WIDTH = 6.0
CONTAINER_CHAR_WIDTH = 8.4  # the container's 13px bold label
STATUS_CHAR_WIDTH = 7.0  # the 11px bold status text of a run
STATUSES = ("pending", "running", "completed", "failed", "retrying", "skipped")


def layout_cache_key(workflow, folded: frozenset[str] = frozenset()) -> str:
    """Workflow id and version; the creation time guards against a reused id (a deleted, re-created workflow).

    A view with folded containers is another layout: its keys are part of the cache key.
    """
    created = workflow.created.timestamp() if workflow.created else 0
    key = f"canvas-layout:v{LAYOUT_VERSION}:{workflow.pk}:{created:.6f}:{workflow.version}"
    if folded:
        key += ":folded:" + hashlib.sha256(".".join(sorted(folded)).encode()).hexdigest()[:16]
    return key


def cached_layout(workflow, document: dict, folded: frozenset[str] = frozenset()) -> Layout:
    """The layout of this workflow version; computed once per version (versions never change)."""
    return _cached(layout_cache_key(workflow, folded), document, folded)


def _cached(key: str, document: dict, folded: frozenset[str] = frozenset()) -> Layout:
    layout = cache.get(key)
    if layout is None:
        layout = layout_document(document, folded)
        cache.set(key, layout, timeout=None)
    return layout


@dataclass
class BadgeView:
    text: str
    kind: str
    title: str
    x: float
    width: float


@dataclass
class NodeView:
    key: str
    type: str
    type_title: str
    label: str
    title: str
    subtitle: str
    x: int
    y: int
    width: int
    height: int
    classes: str
    shape: str  # pill, diamond, card, declaration, container
    points: str = ""
    badges: list[BadgeView] = field(default_factory=list)
    slots: list[dict] = field(default_factory=list)
    kicker: str = ""
    status_text: str = ""
    errors: list[str] = field(default_factory=list)
    label_lines: list[dict] = field(default_factory=list)  # {"text", "y"}: one or two lines of the label
    label_small: bool = False
    subtitle_y: int = 0

    @property
    def cx(self) -> int:
        return self.x + self.width // 2

    @property
    def cy(self) -> int:
        return self.y + self.height // 2

    @property
    def status_x(self) -> int:
        return self.x + self.width - 10


@dataclass
class EdgeView:
    source: str
    target: str
    kind: str
    path: str
    label: str
    label_x: float
    label_y: float
    classes: str


def _shape(node_type: str) -> str:
    spec = NODE_TYPES.get(node_type)
    return spec.drawing.shape if spec else "card"


def _badge_views(badges: list[Badge], x: float, room: float) -> list[BadgeView]:
    """As many badges as fit on one row, left to right."""
    views = []
    for badge in badges:
        text = fit(badge.text, min(room - 12, 150), BADGE_CHAR_WIDTH)  # 12: the badge's padding
        width = len(text) * BADGE_CHAR_WIDTH + 12
        if width > room:
            break
        views.append(BadgeView(text, badge.kind, badge.title or badge.text, round(x), round(width)))
        x += width + 4
        room -= width + 4
    return views


def _status_text(status: dict | None) -> str:
    if not status:
        return ""
    text = status.get("status", "")
    if text == "retrying" and status.get("attempt"):
        return f"retrying · attempt {status['attempt']}"
    return text


def node_view(box: NodeBox, *, selected, statuses, errors_by_node, has_error_edge) -> NodeView:
    """One node as drawn; coordinates rounded to whole pixels (crisp lines, short markup).

    A folded container is drawn as a card that says how many nodes it holds.
    """
    shape = "card" if box.folded else _shape(box.type)
    node_type = NODE_TYPES.get(box.type)
    type_title = node_type.title if node_type else box.type
    status = statuses.get(box.key) if statuses else None
    classes = [f"node node--{box.type} shape--{shape}"]
    if box.folded:
        classes.append("is-folded")
    if box.key in errors_by_node:
        classes.append("has-error")
    if box.key == selected:
        classes.append("is-selected")
    if status and status.get("status") in STATUSES:
        classes.append(f"status-{status['status']}")
    badges = node_badges(box.type, box.config, has_error_edge=has_error_edge)
    subtitle = node_subtitle(box.type, box.config)
    x, y, width, height = round(box.x), round(box.y), round(box.width), round(box.height)
    view = NodeView(
        key=box.key,
        type=box.type,
        type_title=type_title,
        title=box.label,
        x=x,
        y=y,
        width=width,
        height=height,
        classes=" ".join(classes),
        shape=shape,
        label="",
        subtitle="",
        status_text=_status_text(status),
        errors=errors_by_node.get(box.key, []),
    )
    if shape == "container":
        # The run status sits at the right end of the header row; the label comes first, badges after it.
        status_room = round(len(view.status_text) * STATUS_CHAR_WIDTH + 16) if view.status_text else 0
        _set_label(
            view,
            fit_label(f"{type_title}: {box.label}", width - 28 - status_room, CONTAINER_CHAR_WIDTH),
            [25],
        )
        label_room = round(len(view.label) * CONTAINER_CHAR_WIDTH * (SMALL if view.label_small else 1) + 24)
        view.badges = _badge_views(badges, x + label_room, width - label_room - 12 - status_room)
        labelled = len(box.slots) > 1 or box.slots[0].name != "body"
        view.slots = [
            {
                "name": s.name,
                "title": node_type.drawing.slot_title(s.name) if node_type else s.name,
                "x": round(s.x),
                "y": round(s.y),
                "width": round(s.width),
                "height": round(s.height),
                "labelled": labelled,
                "label_y": round(s.y) + SLOT_HEADER - 7,
            }
            for s in box.slots
        ]
    elif shape == "diamond":
        view.points = f"{view.cx},{y} {x + width},{view.cy} {view.cx},{y + height} {x},{view.cy}"
        fitted = fit_label(box.label, width * 0.58, CHAR_WIDTH, max_lines=2)
        two = len(fitted.lines) > 1
        _set_label(view, fitted, [height // 2 - 9, height // 2 + 5] if two else [height // 2 - 2])
        view.subtitle = fit(subtitle, width * (0.45 if two else 0.55), 6.4)
        view.subtitle_y = y + height // 2 + (19 if two else 14)
    elif shape == "pill":
        _set_label(view, fit_label(box.label, width - 24, CHAR_WIDTH), [20])
        view.subtitle = fit(badges[0].text if badges else subtitle, width - 24, 6.4)
        view.subtitle_y = y + 37
    else:
        detail = subtitle or (badges[0].text if shape == "declaration" and badges else "")
        if box.folded:
            detail = f"{box.folded} node{'s' if box.folded != 1 else ''} inside"
        view.kicker = fit(f"{type_title} · {detail}" if detail else type_title, width - 24, 6.4)
        if shape == "card":
            view.badges = _badge_views(badges, x + 10, width - 20)
        two_lines = shape == "card" and not view.badges  # the badge row is free for a second line
        fitted = fit_label(box.label, width - 24, CHAR_WIDTH, max_lines=2 if two_lines else 1)
        _set_label(view, fitted, [33, 49] if len(fitted.lines) > 1 else [35])
    return view


def _set_label(view: NodeView, fitted, offsets: list[int]) -> None:
    """The label's lines at their heights below the node's top (the full text stays in the title)."""
    view.label = fitted.text
    view.label_small = fitted.small
    view.label_lines = [{"text": line, "y": view.y + dy} for line, dy in zip(fitted.lines, offsets, strict=False)]


def _fold(box: NodeBox) -> dict:
    """The button that folds a container into a card, or unfolds it: on its top border at the right,
    so it takes no room from the header's label and badges."""
    return {
        "key": box.key,
        "folded": bool(box.folded),
        "label": box.label,
        "x": round(box.x + box.width) - 30,
        "y": round(box.y) - 8,
    }


def canvas_context(
    layout: Layout,
    *,
    selected: str | None = None,
    diagnostics=(),
    statuses: dict | None = None,
    marks: dict[str, str] | None = None,
) -> dict:
    """Everything `_canvas_svg.html` draws. diagnostics: compiler Diagnostics (outline their nodes).

    marks: {node key or edge name `source -kind-> target`: "added" / "changed" /
    "removed"}, drawn as a `diff-<mark>` class (a draft against its build).
    """
    marks = marks or {}
    errors_by_node: dict[str, list[str]] = {}
    for diagnostic in diagnostics:
        if diagnostic.node and diagnostic.is_error:
            errors_by_node.setdefault(diagnostic.node, []).append(diagnostic.message)
    with_error_edge = {edge.source for edge in layout.edges if edge.kind == "error"}
    nodes = [
        node_view(
            box,
            selected=selected,
            statuses=statuses,
            errors_by_node=errors_by_node,
            has_error_edge=box.key in with_error_edge,
        )
        for box in layout.nodes
    ]
    for view in nodes:
        if view.key in marks:
            view.classes += f" diff-{marks[view.key]}"
    edges = []
    for edge in layout.edges:
        label_x, label_y, _, label_height = edge.label_box or (0, 0, 0, 0)
        edges.append(
            EdgeView(
                source=edge.source,
                target=edge.target,
                kind=edge.kind,
                path=path_data(edge.points, edge.back),
                label=edge.label,
                label_x=round(label_x + 3, 1),
                label_y=round(label_y + label_height - 3.5, 1),
                classes=f"edge edge--{edge.kind}"
                + (" edge--back" if edge.back else "")
                + (f" diff-{mark}" if (mark := marks.get(f"{edge.source} -{edge.kind}-> {edge.target}")) else ""),
            )
        )
    return {
        "canvas_width": round(layout.width),
        "canvas_height": round(layout.height),
        "nodes": nodes,
        "folds": [_fold(box) for box in layout.nodes if box.is_container or box.folded],
        "edges": edges,
    }


def render_workflow_svg(workflow, *, document: dict | None = None, diagnostics=(), statuses=None) -> str:
    """A read-only SVG of the workflow (admin preview); 2 queries plus the cache."""
    from workflows.services import workflow_export

    document = document or workflow_export(workflow)
    return _render(cached_layout(workflow, document), workflow, diagnostics=diagnostics, statuses=statuses)


def render_document_svg(document: dict, *, statuses=None, marks=None) -> str:
    """A read-only SVG of a stored document (a run draws its build's graph, not the draft); no query."""
    return _render(document_layout(document), {"name": document.get("name", "")}, statuses=statuses, marks=marks)


def document_layout(document: dict) -> Layout:
    """The layout of a document, cached by its content (a build's document is not a workflow version)."""
    digest = hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()
    return _cached(f"canvas-layout:v{LAYOUT_VERSION}:document:{digest}", document)


def _render(layout: Layout, workflow, *, diagnostics=(), statuses=None, marks=None) -> str:
    context = canvas_context(layout, diagnostics=diagnostics, statuses=statuses, marks=marks)
    return render_to_string("workflows/_canvas_svg.html", {**context, "editable": False, "workflow": workflow})
