"""The layered layout of one container slot (see workflows/canvas/layout.py for the whole picture).

1. back edges (cycles, which only a broken graph has) are found by DFS and
   drawn at the side instead of ranking;
2. ranks by longest path, with a dummy point on every rank a long edge
   crosses, so edges bend around nodes instead of through them;
3. order within a rank by a few barycenter sweeps (fewer crossings);
4. x in two steps: pull each node towards its neighbours for a wanted
   position, then straighten: a node with one predecessor that has no other
   successor sits on its predecessor's axis (a vertical "block", as in
   Brandes and Köpf), and blocks are packed left and right of their wanted
   place without overlap (the mean of both packings keeps the gaps), so a
   sequence of steps or containers never drifts into a staircase;
5. error edges take no part in 3 and 4: they run down lanes at the slot's
   right side as one bundle, so recovery paths never bend the main flow;
6. ports: a node's incoming edges enter its top side apart from each other
   (error edges at the right), so parallel edges never lie on top of each
   other; then labels go where nothing covers them (labels.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from workflows.node_types import NODE_TYPES

from .geometry import polyline
from .labels import label_text, place_labels

RANK_GAP = 44
NODE_GAP = 28
DUMMY_WIDTH = 12
LANE_GAP = 10  # between the error lanes of a bundle
PORT_GAP = 16  # between edges entering one node
SWEEPS = 5  # odd: the last sweep goes down, so branch order wins
BRANCH_BIAS = {"true": -0.3, "false": 0.3}
KIND_ORDER = {"true": 0, "next": 1, "false": 2, "error": 3}


@dataclass
class EdgePath:
    source: str
    target: str
    kind: str
    points: list[tuple[float, float]]
    back: bool = False
    label_box: tuple[float, float, float, float] | None = None  # x, y, width, height

    @property
    def label(self) -> str:
        return label_text(self.kind)


@dataclass
class SlotLayout:
    """A slot laid out relative to its own origin: member offsets and edge points."""

    width: float
    height: float
    offsets: dict[str, tuple[float, float]]
    edges: list[EdgePath]


class LayeredSlot:
    """The layered layout of one slot's members (see the module docstring)."""

    def __init__(self, boxes: dict, members: list[str], slot_edges: list[tuple[str, str, str]]) -> None:
        self.boxes = boxes
        self.members = members
        inside = set(members)
        self.edges = sorted(
            (e for e in slot_edges if e[0] in inside and e[1] in inside),
            key=lambda e: (KIND_ORDER.get(e[2], 9), e[0], e[1]),
        )
        self.out: dict[str, list[str]] = defaultdict(list)
        for source, target, _ in self.edges:
            self.out[source].append(target)

    def run(self) -> SlotLayout:
        if len(self.members) == 1 and not self.edges:  # most slots of a big graph: one step in a container
            box = self.boxes[self.members[0]]
            return SlotLayout(box.width, box.height, {box.key: (0.0, 0.0)}, [])
        back = self._back_edges()
        forward = [e for e in self.edges if (e[0], e[1]) not in back]
        rank = self._ranks(forward)
        flow = [e for e in forward if e[2] != "error"]
        layers, chains, widths = self._layers(forward, flow, rank)
        self._order(layers, chains)
        xs = self._x_positions(layers, chains, widths)
        errors = [e for e in forward if e[2] == "error"]
        return self._result(layers, chains, errors, xs, widths, rank, back)

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

    def _layers(self, forward, flow, rank):
        """Members and dummy points per rank; each flow edge's chain of points (error edges get lanes)."""
        layers: list[list[str]] = [[] for _ in range(max(rank.values()) + 1)]
        widths: dict[str, float] = {}
        for key in self._visit_order(forward):
            layers[rank[key]].append(key)
            widths[key] = self.boxes[key].width
        chains: list[tuple[tuple[str, str, str], list[str]]] = []
        for index, edge in enumerate(flow):
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
        """Barycenter sweeps, ending with a downward one; ties keep the current order (stable sort).

        A condition's true edge counts as leaving slightly left of it and its
        false edge slightly right, so branches start on the side of their
        label instead of crossing under the diamond.
        """
        up: dict[str, list[tuple[str, float]]] = defaultdict(list)
        down: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for (source, _, kind), chain in chains:
            bias = BRANCH_BIAS.get(kind, 0.0) if _diamond(self.boxes[source].type) else 0.0
            for index, (a, b) in enumerate(zip(chain, chain[1:], strict=False)):
                down[a].append((b, 0.0))
                up[b].append((a, bias if index == 0 else 0.0))
        for sweep in range(SWEEPS):
            downward = sweep % 2 == 0
            indices = range(1, len(layers)) if downward else range(len(layers) - 2, -1, -1)
            for r in indices:
                neighbours = up if downward else down
                other = layers[r - 1] if downward else layers[r + 1]
                where = {key: i for i, key in enumerate(other)}
                current = {key: i for i, key in enumerate(layers[r])}

                def barycenter(key, neighbours=neighbours, where=where, current=current):
                    linked = [where[n] + bias for n, bias in neighbours[key] if n in where]
                    return sum(linked) / len(linked) if linked else current[key]

                layers[r].sort(key=barycenter)

    def _x_positions(self, layers, chains, widths) -> dict[str, float]:
        """Centre x of each member: the wanted place (pulled towards neighbours), then straightened blocks."""
        upper: dict[str, list[str]] = defaultdict(list)
        lower: dict[str, list[str]] = defaultdict(list)
        for _, chain in chains:
            for a, b in zip(chain, chain[1:], strict=False):
                lower[a].append(b)
                upper[b].append(a)
        linked = {key: upper[key] + lower[key] for layer in layers for key in layer}
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
                    if linked[key]:
                        xs[key] = sum(xs[n] for n in linked[key]) / len(linked[key])
                _separate(layer, xs, widths)
        xs = _straighten(layers, upper, lower, xs, widths)
        left = min(xs[k] - widths[k] / 2 for layer in layers for k in layer)
        return {key: x - left for key, x in xs.items()}

    def _result(self, layers, chains, errors, xs, widths, rank, back) -> SlotLayout:
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
        lanes = 0
        for source, target, kind in self._error_lanes(errors, rank, xs):
            points = [self._exit_point(source, kind, xs[source], offsets[source][1])]
            if rank[target] - rank[source] > 1:  # a long error edge gets its own lane; a short one goes straight
                lanes += 1
                for r in range(rank[source] + 1, rank[target]):
                    points += [(width + lanes * LANE_GAP, tops[r]), (width + lanes * LANE_GAP, tops[r] + heights[r])]
            points.append((xs[target], offsets[target][1]))
            edges.append(EdgePath(source, target, kind, points))
        if lanes:
            width += (lanes + 1) * LANE_GAP
        self._spread_entries(edges, xs)
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
        self._place_labels(edges, offsets, width, height)
        return SlotLayout(width, height, offsets, edges)

    @staticmethod
    def _error_lanes(errors, rank, xs) -> list[tuple[str, str, str]]:
        """Error edges inner lane first: those that end higher, then those that start lower (no crossings)."""
        return sorted(errors, key=lambda e: (rank[e[1]], xs[e[1]], -rank[e[0]], -xs[e[0]], e[0]))

    def _spread_entries(self, edges: list[EdgePath], xs: dict[str, float]) -> None:
        """Edges into one node enter its top apart: the flow centred in order of where it comes from,
        error edges at the right (the outermost lane rightmost), so none lies on another."""
        into: dict[str, list[EdgePath]] = defaultdict(list)
        for edge in edges:
            into[edge.target].append(edge)
        for target, arriving in into.items():
            box = self.boxes[target]
            if _diamond(box.type) or len(arriving) < 2:
                continue
            flow = sorted((e for e in arriving if e.kind != "error"), key=lambda e: e.points[-2][0])
            errors = sorted((e for e in arriving if e.kind == "error"), key=lambda e: e.points[-2][0])
            gap = min(PORT_GAP, (box.width - 48) / max(len(arriving) - 1, 1))
            for index, edge in enumerate(flow):
                edge.points[-1] = (xs[target] + (index - (len(flow) - 1) / 2) * gap, edge.points[-1][1])
            start = xs[target] + max((len(flow) - 1) / 2 * gap, 0) + gap
            room = xs[target] + box.width / 2 - 16 - start  # up to the top right corner: closer when many
            step = min(gap, room / max(len(errors) - 1, 1))
            for index, edge in enumerate(errors):
                edge.points[-1] = (start + index * step, edge.points[-1][1])

    def _place_labels(self, edges: list[EdgePath], offsets, width: float, height: float) -> None:
        lines = [polyline(edge.points, edge.back) for edge in edges]
        labelled = [(edge, line) for edge, line in zip(edges, lines, strict=True) if edge.label]
        if not labelled:
            return
        nodes = [(x, y, self.boxes[key].width, self.boxes[key].height) for key, (x, y) in offsets.items()]
        place_labels(labelled, lines, nodes, (0.0, 0.0, width, height))

    def _exit_point(self, key: str, kind: str, cx: float, top: float) -> tuple[float, float]:
        """Bottom centre; a condition's true and false edges leave from its left and right corners,
        an error edge from the bottom right, towards its lane."""
        box = self.boxes[key]
        if _diamond(box.type) and kind in ("true", "false"):
            side = -1 if kind == "true" else 1
            return (cx + side * box.width / 2, top + box.height / 2)
        if kind == "error":
            return (cx + min(box.width / 2 - 16, 2 * PORT_GAP), top + box.height)
        return (cx, top + box.height)


def _straighten(layers, upper, lower, wanted, widths) -> dict[str, float]:
    """One x per block (a node with one predecessor that has no other successor joins its block),
    packed without overlap around each block's wanted place."""
    root = {key: key for layer in layers for key in layer}
    position = {key: i for layer in layers for i, key in enumerate(layer)}
    for layer in layers[1:]:
        last = -1
        for key in layer:
            above = upper[key]
            if len(above) == 1 and len(lower[above[0]]) == 1 and position[above[0]] > last:
                root[key] = root[above[0]]
                last = position[above[0]]
    members: dict[str, list[str]] = defaultdict(list)
    for layer in layers:
        for key in layer:
            members[root[key]].append(key)
    want = {block: sum(wanted[k] for k in keys) / len(keys) for block, keys in members.items()}
    after: dict[str, dict[str, float]] = defaultdict(dict)
    before: dict[str, dict[str, float]] = defaultdict(dict)
    for layer in layers:
        for a, b in zip(layer, layer[1:], strict=False):
            gap = (widths[a] + widths[b]) / 2 + NODE_GAP
            ra, rb = root[a], root[b]
            after[ra][rb] = before[rb][ra] = max(after[ra].get(rb, 0.0), gap)
    order = _topological(list(members), before, after)
    left: dict[str, float] = {}
    for block in order:
        left[block] = max([want[block]] + [left[a] + gap for a, gap in before[block].items() if a in left])
    right: dict[str, float] = {}
    for block in reversed(order):
        right[block] = min([want[block]] + [right[c] - gap for c, gap in after[block].items() if c in right])
    return {key: (left[root[key]] + right[root[key]]) / 2 for key in root}


def _topological(blocks: list[str], before, after) -> list[str]:
    """Blocks left to right (Kahn's order; blocks never cross, so every block is reached)."""
    waiting = {block: len(before[block]) for block in blocks}
    ready = [block for block in blocks if waiting[block] == 0]
    order = []
    while ready:
        block = ready.pop(0)
        order.append(block)
        for successor in after[block]:
            waiting[successor] -= 1
            if waiting[successor] == 0:
                ready.append(successor)
    return order + [block for block in blocks if waiting[block] > 0]


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


def _diamond(node_type: str) -> bool:
    """A diamond (a condition): its true and false edges leave from its corners."""
    spec = NODE_TYPES.get(node_type)
    return spec is not None and spec.drawing.shape == "diamond"
