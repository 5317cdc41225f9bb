"""Where an edge's label goes: beside its edge, near the start, on a spot nothing else covers.

A condition's `true` under its own curve, or two labels on top of each other,
cannot be read. So each label tries spots along its edge, nearest the start
first (that is where a reader looks for which branch is which), on the side
its edge leaves to, and takes the first spot that no node, other label or
edge covers. Labels are placed per slot: a label inside a slot never reaches
another slot's drawing, because containers enclose their slots.
"""

from __future__ import annotations

import math

from .geometry import Point, Rect, bounding_box, line_hits_rect, rects_overlap

LABEL_CHAR_WIDTH = 6.6  # the 11px semi-bold edge label
LABEL_HEIGHT = 14
LABEL_GAP = 4
NODE_CLEARANCE = 3
SIDE_MARGIN = 12  # a label may use the slot's padding, not beyond
DISTANCES = (10, 20, 32, 46, 62, 80, 100, 124, 150, 180, 220)
LEFT_FIRST = {"true"}


def label_text(kind: str) -> str:
    """The words on an edge: its kind, except for the plain `next`."""
    return "" if kind == "next" else kind


def label_size(text: str) -> tuple[float, float]:
    return len(text) * LABEL_CHAR_WIDTH + 6, LABEL_HEIGHT


def place_labels(labelled: list, lines: list[list[Point]], nodes: list[Rect], bounds: Rect) -> None:
    """Set `label_box` on each edge of `labelled`; `lines` are every edge of the slot as drawn."""
    nodes = [
        (x - NODE_CLEARANCE, y - NODE_CLEARANCE, w + 2 * NODE_CLEARANCE, h + 2 * NODE_CLEARANCE) for x, y, w, h in nodes
    ]
    taken: list[Rect] = []
    lines = [(line, _touching(bounding_box(line))) for line in lines]
    for edge, line in labelled:
        width, height = label_size(label_text(edge.kind))
        best_fallback = None
        chosen = None
        for box in _candidates(line, width, height, edge.kind in LEFT_FIRST):
            if not _within(box, bounds):
                continue
            if any(rects_overlap(box, other) for other in nodes) or any(rects_overlap(box, t) for t in taken):
                continue
            if best_fallback is None:
                best_fallback = box
            if not any(rects_overlap(bbox, box) and line_hits_rect(other, box) for other, bbox in lines):
                chosen = box
                break
        box = chosen or best_fallback or next(iter(_candidates(line, width, height, edge.kind in LEFT_FIRST)))
        edge.label_box = box
        taken.append((box[0] - 2, box[1] - 2, box[2] + 4, box[3] + 4))


def _touching(box: Rect) -> Rect:
    """A bounding box that a flat line (a straight vertical edge) still overlaps."""
    return box[0] - 0.5, box[1] - 0.5, box[2] + 1, box[3] + 1


def _within(box: Rect, bounds: Rect) -> bool:
    x, y, width, height = bounds
    return (
        x - SIDE_MARGIN <= box[0]
        and box[0] + box[2] <= x + width + SIDE_MARGIN
        and y <= box[1]
        and box[1] + box[3] <= y + height
    )


def _candidates(line: list[Point], width: float, height: float, left_first: bool):
    """Boxes beside points along the line, nearest the start first, the preferred side first."""
    total = sum(math.dist(p, q) for p, q in zip(line, line[1:], strict=False))
    for distance in [d for d in DISTANCES if d < total * 0.9] or [total / 2]:
        px, py = _point_at(line, distance)
        middle, above, below = py - height / 2, py - height - LABEL_GAP, py + LABEL_GAP
        right = [(px + LABEL_GAP, y, width, height) for y in (middle, above, below)]
        left = [(px - LABEL_GAP - width, y, width, height) for y in (middle, below, above)]
        yield from (left + right) if left_first else (right + left)


def _point_at(line: list[Point], distance: float) -> Point:
    for p, q in zip(line, line[1:], strict=False):
        step = math.dist(p, q)
        if step >= distance and step > 0:
            t = distance / step
            return p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t
        distance -= step
    return line[-1]
