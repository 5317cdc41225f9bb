"""A layered (Sugiyama-style) layout of a workflow graph with nested containers.

Why our own layout instead of Graphviz `dot` (see docs/decisions.md): edges
only connect nodes of the same container slot, so a clustered layout
decomposes into one small, independent layered layout per slot; a container
is then just a big box in its parent's layout. That is a few hundred lines of
pure Python, deterministic, with no binary to install on every web host, and
fast enough (a 300-node graph lays out in a few milliseconds).

Each slot is laid out top to bottom:
1. back edges (cycles, which only a broken graph has) are found by DFS and
   drawn at the side instead of ranking;
2. ranks by longest path, with a dummy point on every rank a long edge
   crosses, so edges bend around nodes instead of through them;
3. order within a rank by a few barycenter sweeps (fewer crossings);
4. x by pulling each node towards its neighbours, then pushing apart.
The input is the workflow JSON document (workflows.documents), so the layout
needs no database access and can be cached per workflow version.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from workflows.node_types import DECLARATION_TYPES, NODE_TYPES

RANK_GAP = 44
NODE_GAP = 28
PADDING = 16
HEADER = 40
SLOT_HEADER = 22
DUMMY_WIDTH = 12
EMPTY_SLOT = (176, 48)
DECLARATION_GAP = 64
SWEEPS = 4
KIND_ORDER = {"true": 0, "next": 1, "false": 2, "error": 3}

SIZES = {
    "start": (150, 48),
    "end": (150, 48),
    "condition": (190, 84),
    "state": (190, 52),
    "signal_handler": (190, 52),
    "query": (190, 52),
}
STEP_SIZE = (210, 68)


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

    @property
    def is_container(self) -> bool:
        return bool(self.slots)

    @property
    def cx(self) -> float:
        return self.x + self.width / 2


@dataclass
class EdgePath:
    source: str
    target: str
    kind: str
    points: list[tuple[float, float]]
    back: bool = False


@dataclass
class Layout:
    width: float
    height: float
    nodes: list[NodeBox]  # containers before their children: later ones draw on top
    edges: list[EdgePath]

    def node(self, key: str) -> NodeBox | None:
        return next((n for n in self.nodes if n.key == key), None)


@dataclass
class _Slot:
    """A slot laid out relative to its own origin: member offsets and edge points."""

    width: float
    height: float
    offsets: dict[str, tuple[float, float]]
    edges: list[EdgePath]


class _Graph:
    """Index of the document: members of each slot, edges of each slot."""

    def __init__(self, document: dict) -> None:
        self.boxes: dict[str, NodeBox] = {}
        self.members: dict[tuple[str | None, str], list[str]] = defaultdict(list)
        parents: dict[str, str | None] = {}
        slots_of: dict[str, tuple[str | None, str]] = {}
        ordered = sorted(document["nodes"], key=lambda n: (n.get("position", 0), n["key"]))
        for raw in ordered:
            node_type = NODE_TYPES.get(raw["type"])
            box = NodeBox(raw["key"], raw["type"], raw.get("label") or raw["key"], raw.get("config") or {})
            box.slots = [SlotBox(name) for name in (node_type.slots if node_type else ())]
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


def layout_document(document: dict) -> Layout:
    """Absolute positions of every node, container slot and edge of the document."""
    graph = _Graph(document)
    slots: dict[tuple[str | None, str], _Slot] = {}
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
    return SIZES.get(box.type, STEP_SIZE)


def _layout_slot(graph: _Graph, parent: str | None, slot: str, members: list[str], slots: dict) -> _Slot:
    """Lay out one slot, first sizing the containers inside it (recursively)."""
    for key in members:
        box = graph.boxes[key]
        if box.is_container:
            _size_container(graph, box, slots)
        else:
            box.width, box.height = _size(box)
    if not members:
        result = _Slot(EMPTY_SLOT[0], EMPTY_SLOT[1], {}, [])
    else:
        result = _Layered(graph, members, graph.edges[(parent, slot)]).run()
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
    box.width = max(x, STEP_SIZE[0] + 2 * PADDING)
    box.height = HEADER + max(s.height for s in box.slots) + PADDING


def _place(graph, slot_key, laid: _Slot, ox, oy, depth, slots, nodes, edges) -> None:
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
        edges.append(edge)


class _Layered:
    """The layered layout of one slot's members (see the module docstring)."""

    def __init__(self, graph: _Graph, members: list[str], slot_edges: list[tuple[str, str, str]]) -> None:
        self.boxes = graph.boxes
        self.members = members
        inside = set(members)
        self.edges = sorted(
            (e for e in slot_edges if e[0] in inside and e[1] in inside),
            key=lambda e: (KIND_ORDER.get(e[2], 9), e[0], e[1]),
        )
        self.out: dict[str, list[str]] = defaultdict(list)
        for source, target, _ in self.edges:
            self.out[source].append(target)

    def run(self) -> _Slot:
        back = self._back_edges()
        forward = [e for e in self.edges if (e[0], e[1]) not in back]
        rank = self._ranks(forward)
        layers, chains, widths = self._layers(forward, rank)
        self._order(layers, chains)
        xs = self._x_positions(layers, chains, widths)
        return self._result(layers, chains, xs, widths, rank, back)

    def _back_edges(self) -> set[tuple[str, str]]:
        """Edges that close a cycle in DFS order (iterative: graphs can be deep)."""
        state: dict[str, int] = {}
        back: set[tuple[str, str]] = set()
        for root in self.members:
            if root in state:
                continue
            state[root] = 1
            stack = [(root, iter(self.out[root]))]
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    state[node] = 2
                    stack.pop()
                elif state.get(child) == 1:
                    back.add((node, child))
                elif child not in state:
                    state[child] = 1
                    stack.append((child, iter(self.out[child])))
        return back

    def _ranks(self, forward) -> dict[str, int]:
        """Longest path from the sources (Kahn's order over the acyclic edges)."""
        incoming = {key: 0 for key in self.members}
        successors: dict[str, list[str]] = defaultdict(list)
        for source, target, _ in forward:
            incoming[target] += 1
            successors[source].append(target)
        rank = {key: 0 for key in self.members}
        ready = [key for key in self.members if incoming[key] == 0]
        while ready:
            node = ready.pop(0)
            for target in successors[node]:
                rank[target] = max(rank[target], rank[node] + 1)
                incoming[target] -= 1
                if incoming[target] == 0:
                    ready.append(target)
        return rank

    def _layers(self, forward, rank):
        """Members and dummy points per rank; each forward edge's chain of points."""
        layers: list[list[str]] = [[] for _ in range(max(rank.values()) + 1)]
        widths: dict[str, float] = {}
        for key in self._visit_order(forward):
            layers[rank[key]].append(key)
            widths[key] = self.boxes[key].width
        chains: list[tuple[tuple[str, str, str], list[str]]] = []
        for index, edge in enumerate(forward):
            source, target, _ = edge
            chain = [source]
            for r in range(rank[source] + 1, rank[target]):
                dummy = f"\0{index}:{r}"
                layers[r].append(dummy)
                widths[dummy] = DUMMY_WIDTH
                chain.append(dummy)
            chain.append(target)
            chains.append((edge, chain))
        return layers, chains, widths

    def _visit_order(self, forward) -> list[str]:
        """Depth-first from the entries, so branches start out grouped (true left of false)."""
        seen: set[str] = set()
        order: list[str] = []
        successors: dict[str, list[str]] = defaultdict(list)
        for source, target, _ in forward:
            successors[source].append(target)
        for root in self.members:
            stack = [root]
            while stack:
                node = stack.pop()
                if node in seen:
                    continue
                seen.add(node)
                order.append(node)
                stack.extend(reversed(successors[node]))
        return order

    def _order(self, layers, chains) -> None:
        """Barycenter sweeps down and up; ties keep the current order (stable sort)."""
        up: dict[str, list[str]] = defaultdict(list)
        down: dict[str, list[str]] = defaultdict(list)
        for _, chain in chains:
            for a, b in zip(chain, chain[1:], strict=False):
                down[a].append(b)
                up[b].append(a)
        for sweep in range(SWEEPS):
            downward = sweep % 2 == 0
            indices = range(1, len(layers)) if downward else range(len(layers) - 2, -1, -1)
            for r in indices:
                neighbours = up if downward else down
                other = layers[r - 1] if downward else layers[r + 1]
                where = {key: i for i, key in enumerate(other)}
                current = {key: i for i, key in enumerate(layers[r])}

                def barycenter(key, neighbours=neighbours, where=where, current=current):
                    linked = [where[n] for n in neighbours[key] if n in where]
                    return sum(linked) / len(linked) if linked else current[key]

                layers[r].sort(key=barycenter)

    def _x_positions(self, layers, chains, widths) -> dict[str, float]:
        """Centre x of each member: pulled towards neighbours, then pushed apart."""
        neighbours: dict[str, list[str]] = defaultdict(list)
        for _, chain in chains:
            for a, b in zip(chain, chain[1:], strict=False):
                neighbours[a].append(b)
                neighbours[b].append(a)
        xs: dict[str, float] = {}
        for layer in layers:
            x = 0.0
            for key in layer:
                xs[key] = x + widths[key] / 2
                x += widths[key] + NODE_GAP
        for sweep in range(SWEEPS):
            ordered = layers if sweep % 2 == 0 else layers[::-1]
            for layer in ordered:
                for key in layer:
                    linked = neighbours[key]
                    if linked:
                        xs[key] = sum(xs[n] for n in linked) / len(linked)
                _separate(layer, xs, widths)
        left = min(xs[k] - widths[k] / 2 for layer in layers for k in layer)
        return {key: x - left for key, x in xs.items()}

    def _result(self, layers, chains, xs, widths, rank, back) -> _Slot:
        heights = [max((self.boxes[k].height for k in layer if k in self.boxes), default=0) for layer in layers]
        tops, y = [], 0.0
        for height in heights:
            tops.append(y)
            y += height + RANK_GAP
        offsets: dict[str, tuple[float, float]] = {}
        for key in self.members:
            box = self.boxes[key]
            r = rank[key]
            offsets[key] = (xs[key] - box.width / 2, tops[r] + (heights[r] - box.height) / 2)
        width = max(xs[k] + widths[k] / 2 for layer in layers for k in layer)
        height = y - RANK_GAP
        edges = []
        for (source, target, kind), chain in chains:
            points = [self._exit_point(source, kind, xs[source], offsets[source][1])]
            for dummy in chain[1:-1]:
                r = int(dummy.rsplit(":", 1)[1])
                points += [(xs[dummy], tops[r]), (xs[dummy], tops[r] + heights[r])]
            points.append((xs[target], offsets[target][1]))
            edges.append(EdgePath(source, target, kind, points))
        side = width + NODE_GAP / 2
        for source, target, kind in self.edges:
            if (source, target) in back:
                (sx, sy), (tx, ty) = offsets[source], offsets[target]
                sy += self.boxes[source].height / 2
                ty += self.boxes[target].height / 2
                sx += self.boxes[source].width
                tx += self.boxes[target].width
                edges.append(EdgePath(source, target, kind, [(sx, sy), (side, sy), (side, ty), (tx, ty)], back=True))
        if any(edge.back for edge in edges):
            width = side + NODE_GAP / 2
        return _Slot(width, height, offsets, edges)

    def _exit_point(self, key: str, kind: str, cx: float, top: float) -> tuple[float, float]:
        """Bottom centre; a condition's true and false edges leave from its left and right corners."""
        box = self.boxes[key]
        if box.type == "condition" and kind in ("true", "false"):
            side = -1 if kind == "true" else 1
            return (cx + side * box.width / 2, top + box.height / 2)
        return (cx, top + box.height)


def _separate(layer: list[str], xs: dict[str, float], widths: dict[str, float]) -> None:
    """Keep the layer's order and gaps: push right, then pull back left by half the overshoot."""
    if len(layer) < 2:
        return
    wanted = [xs[k] for k in layer]
    for i in range(1, len(layer)):
        a, b = layer[i - 1], layer[i]
        least = xs[a] + (widths[a] + widths[b]) / 2 + NODE_GAP
        xs[b] = max(xs[b], least)
    shift = sum(xs[k] - w for k, w in zip(layer, wanted, strict=True)) / len(layer)
    for key in layer:
        xs[key] -= shift
