"""The shape of an edge, shared by the layout (where labels may go) and the SVG (the path drawn).

An edge is a list of points from the layout: its exit, then a pair of points
per rank it crosses (straight through the rank), then its entry. Between
ranks it is a vertical S-curve. The layout places edge labels by testing
boxes against the very curves the SVG draws, so both read the curves from
here, and the layout tests check the same geometry the user sees.
"""

from __future__ import annotations

Point = tuple[float, float]
Rect = tuple[float, float, float, float]  # x, y, width, height

CURVE_STEPS = 8  # straight pieces per curve when a curve is tested against boxes


def pieces(points: list[Point], back: bool) -> list[tuple[Point, ...]]:
    """(start, end) for a straight piece, (start, control, control, end) for a curve."""
    if back:
        return list(zip(points, points[1:], strict=False))
    result: list[tuple[Point, ...]] = []
    previous = points[0]
    rest = points[1:]
    for index, (x, y) in enumerate(rest):
        px, py = previous
        if index % 2 == 1 and index < len(rest) - 1:
            result.append((previous, (x, y)))  # straight through a rank a long edge crosses
        else:
            bend = max((y - py) / 2, 12)
            result.append((previous, (px, py + bend), (x, y - bend), (x, y)))
        previous = (x, y)
    return result


def path_data(points: list[Point], back: bool) -> str:
    """The SVG path of an edge."""
    (x0, y0) = points[0]
    parts = [f"M{x0:.1f},{y0:.1f}"]
    for piece in pieces(points, back):
        if len(piece) == 2:
            parts.append(f"L{piece[1][0]:.1f},{piece[1][1]:.1f}")
        else:
            _, (ax, ay), (bx, by), (x, y) = piece
            parts.append(f"C{ax:.1f},{ay:.1f} {bx:.1f},{by:.1f} {x:.1f},{y:.1f}")
    return " ".join(parts)


def polyline(points: list[Point], back: bool) -> list[Point]:
    """The drawn edge as straight pieces (each curve cut into CURVE_STEPS)."""
    line = [points[0]]
    for piece in pieces(points, back):
        if len(piece) == 2:
            line.append(piece[1])
            continue
        (x0, y0), (ax, ay), (bx, by), (x3, y3) = piece
        for step in range(1, CURVE_STEPS + 1):
            t = step / CURVE_STEPS
            u = 1 - t
            line.append(
                (
                    u**3 * x0 + 3 * u * u * t * ax + 3 * u * t * t * bx + t**3 * x3,
                    u**3 * y0 + 3 * u * u * t * ay + 3 * u * t * t * by + t**3 * y3,
                )
            )
    return line


def rects_overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def segment_hits_rect(p: Point, q: Point, rect: Rect) -> bool:
    """Whether the segment p-q passes through the rectangle (Liang-Barsky clipping)."""
    x, y, width, height = rect
    if max(p[0], q[0]) < x or min(p[0], q[0]) > x + width or max(p[1], q[1]) < y or min(p[1], q[1]) > y + height:
        return False
    dx, dy = q[0] - p[0], q[1] - p[1]
    low, high = 0.0, 1.0
    for edge_delta, distance in ((-dx, p[0] - x), (dx, x + width - p[0]), (-dy, p[1] - y), (dy, y + height - p[1])):
        if edge_delta == 0:
            if distance < 0:
                return False
            continue
        t = distance / edge_delta
        if edge_delta < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def bounding_box(line: list[Point]) -> Rect:
    xs, ys = [p[0] for p in line], [p[1] for p in line]
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


def line_hits_rect(line: list[Point], rect: Rect) -> bool:
    return any(segment_hits_rect(p, q, rect) for p, q in zip(line, line[1:], strict=False))
