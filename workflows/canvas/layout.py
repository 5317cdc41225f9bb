"""A layered (Sugiyama-style) layout of a workflow graph with nested containers.

Why our own layout instead of Graphviz `dot` (see docs/decisions.md): edges
only connect nodes of the same container slot, so a clustered layout
decomposes into one small, independent layered layout per slot; a container
is then just a big box in its parent's layout. That is a few hundred lines of
pure Python, deterministic, with no binary to install on every web host, and
fast enough (a 300-node graph lays out in a few milliseconds).

Each slot is laid out top to bottom by workflows/canvas/layered.py; this
module sizes containers from their slots (innermost first), then places
everything absolutely (outermost first). The input is the workflow JSON document (workflows.documents), so the layout
needs no database access and can be cached per workflow version.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from workflows.node_types import DECLARATION_TYPES, NODE_TYPES
from workflows.node_types.drawing import CARD_SIZE

from .layered import NODE_GAP, EdgePath, LayeredSlot, SlotLayout

PADDING = 16
HEADER = 40
SLOT_HEADER = 22
EMPTY_SLOT = (176, 48)
DECLARATION_GAP = 64


@dataclass
class SlotBox:
    """One slot of a container (a retry block has body and remediation)."""

    name: str
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0


@dataclass
class NodeBox:
    key: str
    type: str
    label: str
    config: dict
    depth: int = 0
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    slots: list[SlotBox] = field(default_factory=list)
    folded: int = 0  # a folded container: how many nodes it hides (it is drawn as a card)

    @property
    def is_container(self) -> bool:
        return bool(self.slots)

    @property
    def cx(self) -> float:
        return self.x + self.width / 2


@dataclass
class Layout:
    width: float
    height: float
    nodes: list[NodeBox]  # containers before their children: later ones draw on top
    edges: list[EdgePath]

    def node(self, key: str) -> NodeBox | None:
        return next((n for n in self.nodes if n.key == key), None)


class _Graph:
    """Index of the document: members of each slot, edges of each slot."""

    def __init__(self, document: dict, folded: frozenset[str] = frozenset()) -> None:
        self.boxes: dict[str, NodeBox] = {}
        self.members: dict[tuple[str | None, str], list[str]] = defaultdict(list)
        parents: dict[str, str | None] = {}
        slots_of: dict[str, tuple[str | None, str]] = {}
        ordered = sorted(document["nodes"], key=lambda n: (n.get("position", 0), n["key"]))
        inside = _folded_away(ordered, folded)
        ordered = [raw for raw in ordered if raw["key"] not in inside]
        for raw in ordered:
            node_type = NODE_TYPES.get(raw["type"])
            box = NodeBox(raw["key"], raw["type"], raw.get("label") or raw["key"], raw.get("config") or {})
            box.slots = [SlotBox(name) for name in (node_type.slots if node_type else ())]
            if box.slots and box.key in folded:
                box.slots, box.folded = [], sum(1 for hidden in inside.values() if hidden == box.key)
            self.boxes[box.key] = box
            parents[box.key] = raw.get("parent")
            slots_of[box.key] = (raw.get("parent"), raw.get("slot") or "body")
        for raw in ordered:
            parent, slot = slots_of[raw["key"]]
            if parent is not None and parent not in self.boxes:
                parent, slot = None, "body"  # orphan: show it rather than lose it
            self.members[(parent, slot)].append(raw["key"])
        self.edges: dict[tuple[str | None, str], list[tuple[str, str, str]]] = defaultdict(list)
        for edge in document["edges"]:
            source, target = edge["source"], edge["target"]
            if source in slots_of and target in slots_of and slots_of[source] == slots_of[target]:
                self.edges[slots_of[source]].append((source, target, edge.get("kind", "next")))


def _folded_away(ordered: list[dict], folded: frozenset[str]) -> dict[str, str]:
    """{key: the outermost folded container it is inside} for every node a folded container hides."""
    parent = {raw["key"]: raw.get("parent") for raw in ordered}
    hidden: dict[str, str] = {}
    for key in parent:
        outermost, seen, above = None, {key}, parent[key]
        while above in parent and above not in seen:  # `seen`: a broken document may loop
            seen.add(above)
            if above in folded:
                outermost = above
            above = parent[above]
        if outermost is not None:
            hidden[key] = outermost
    return hidden


def layout_document(document: dict, folded: frozenset[str] = frozenset()) -> Layout:
    """Absolute positions of every node, container slot and edge of the document.

    folded: keys of containers drawn folded, as one card that says how many
    nodes it holds; the nodes inside are left out, the container's own edges stay.
    """
    graph = _Graph(document, folded)
    slots: dict[tuple[str | None, str], SlotLayout] = {}
    top_level = graph.members[(None, "body")]
    flow = [key for key in top_level if graph.boxes[key].type not in DECLARATION_TYPES]
    declarations = [key for key in top_level if graph.boxes[key].type in DECLARATION_TYPES]
    main = _layout_slot(graph, None, "body", flow, slots)
    nodes: list[NodeBox] = []
    edges: list[EdgePath] = []
    _place(graph, (None, "body"), main, PADDING, PADDING, 0, slots, nodes, edges)
    width, height = main.width + 2 * PADDING, main.height + 2 * PADDING
    if declarations:
        x, y = width + DECLARATION_GAP - PADDING, PADDING
        for key in declarations:
            box = graph.boxes[key]
            box.width, box.height = _size(box)
            box.x, box.y = x, y
            nodes.append(box)
            y += box.height + NODE_GAP / 2
        width = x + max(graph.boxes[k].width for k in declarations) + PADDING
        height = max(height, y - NODE_GAP / 2 + PADDING)
    return Layout(width=width, height=height, nodes=nodes, edges=edges)


def _size(box: NodeBox) -> tuple[float, float]:
    """The node type's size on the canvas (a card for a type no longer registered)."""
    node_type = NODE_TYPES.get(box.type)
    return node_type.drawing.size if node_type and not box.folded else CARD_SIZE


def _layout_slot(graph: _Graph, parent: str | None, slot: str, members: list[str], slots: dict) -> SlotLayout:
    """Lay out one slot, first sizing the containers inside it (recursively)."""
    for key in members:
        box = graph.boxes[key]
        if box.is_container:
            _size_container(graph, box, slots)
        else:
            box.width, box.height = _size(box)
    if not members:
        result = SlotLayout(EMPTY_SLOT[0], EMPTY_SLOT[1], {}, [])
    else:
        result = LayeredSlot(graph.boxes, members, graph.edges[(parent, slot)]).run()
    slots[(parent, slot)] = result
    return result


def _size_container(graph: _Graph, box: NodeBox, slots: dict) -> None:
    """Slots side by side under a header; the container wraps them."""
    inner = [_layout_slot(graph, box.key, s.name, graph.members[(box.key, s.name)], slots) for s in box.slots]
    labelled = len(box.slots) > 1 or box.slots[0].name != "body"
    slot_header = SLOT_HEADER if labelled else 0
    x = PADDING
    for slot_box, laid in zip(box.slots, inner, strict=True):
        slot_box.x, slot_box.y = x, HEADER
        slot_box.width, slot_box.height = laid.width + 2 * PADDING, laid.height + slot_header + PADDING
        x += slot_box.width + PADDING
    box.width = max(x, CARD_SIZE[0] + 2 * PADDING)
    box.height = HEADER + max(s.height for s in box.slots) + PADDING


def _place(graph, slot_key, laid: SlotLayout, ox, oy, depth, slots, nodes, edges) -> None:
    """Turn relative offsets into absolute coordinates, parents before children."""
    for key, (dx, dy) in laid.offsets.items():
        box = graph.boxes[key]
        box.x, box.y, box.depth = ox + dx, oy + dy, depth
        nodes.append(box)
        if box.is_container:
            labelled = len(box.slots) > 1 or box.slots[0].name != "body"
            for slot_box in box.slots:
                slot_box.x += box.x
                slot_box.y += box.y
                child = slots[(key, slot_box.name)]
                inner_x = slot_box.x + PADDING
                inner_y = slot_box.y + (SLOT_HEADER if labelled else 0)
                _place(graph, (key, slot_box.name), child, inner_x, inner_y, depth + 1, slots, nodes, edges)
    for edge in laid.edges:
        edge.points = [(ox + x, oy + y) for x, y in edge.points]
        if edge.label_box:
            x, y, width, height = edge.label_box
            edge.label_box = (ox + x, oy + y, width, height)
        edges.append(edge)
