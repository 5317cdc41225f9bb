"""The SVG group of one node, printed in Python rather than by the template.

Why: a 300-node canvas made the template resolve some 11,000 variables,
most of them in the node groups (benchmarks/editor_render.py); printing a
group here takes a fraction of that. Every text that is not one of our
numbers goes through `text()` (the standard library's HTML escape, quotes
included), so user labels stay text; Django's `format_html` was measured
too and costs most of what the template did. Containers, edges and folds
stay in `_canvas_svg.html`; their attributes for opening the inspector
(`node_attributes`) are shared with the groups printed here.
"""

from __future__ import annotations

import html
from urllib.parse import quote

from django.utils.safestring import SafeString, mark_safe

from .svg import NodeView


def text(value) -> str:
    """`value` as attribute-safe HTML text."""
    return html.escape(str(value), quote=True)


def node_attributes(node: NodeView, *, connect: dict | None, urls: dict) -> SafeString:
    """A node's button attributes: open the inspector, or finish an edge while connecting."""
    label = f"{node.type_title}: {node.title}"
    if node.errors:
        label += " (has errors)"
    if node.status_text:
        label += f" ({node.status_text})"
    if connect:
        values = ", ".join(
            f'"{name}": "{text(value)}"'
            for name, value in (("source", connect["source"]), ("target", node.key), ("kind", connect["kind"]))
        )
        action = (
            f"hx-post=\"{text(urls['edge_add'])}\" hx-vals='{{{values}}}'"
            ' hx-include="#workflow-version, #palette-container"'
        )
    else:
        action = f'hx-get="{text(urls["inspector"])}?node={text(quote(node.key, safe="/"))}"'
    return mark_safe(  # noqa: S308 - every text above went through text()
        f'tabindex="0" role="button" aria-label="{text(label)}" {action}'
        ' hx-trigger="click, keyup[key==\'Enter\']" hx-swap="none"'
    )


def node_group(node: NodeView, *, editable: bool, connect: dict | None, urls: dict) -> SafeString:
    """The `<g>` of a node that is not a container: its shape, label lines, subtitle or badges, status."""
    attributes = f" {node_attributes(node, connect=connect, urls=urls)}" if editable else ""
    errors = "".join(f" — {error}" for error in node.errors)
    parts = [
        f'<g class="{text(node.classes)}" id="node-{text(node.key)}" data-key="{text(node.key)}"'
        f' data-x="{node.cx}" data-y="{node.y}"{attributes}>',
        f"<title>{text(node.type_title)}: {text(node.title)}{text(errors)}</title>",
        _shape(node),
    ]
    if node.status_text:
        parts.append(
            f'<text class="status-text" x="{node.status_x}" y="{node.y - 4}" text-anchor="end">'
            f"{text(node.status_text)}</text>"
        )
    parts.append("</g>")
    return mark_safe("\n".join(parts))  # noqa: S308 - every text above went through text()


def _label(node: NodeView, x: int, anchor: str) -> str:
    """The label's one or two lines (`<tspan>`s), smaller when it had to shrink to fit."""
    lines = "".join(f'<tspan x="{x}" y="{line["y"]}">{text(line["text"])}</tspan>' for line in node.label_lines)
    return f'<text class="node-label{" is-small" if node.label_small else ""}"{anchor}>{lines}</text>'


def _subtitle(node: NodeView) -> str:
    return (
        f'<text class="node-sub" x="{node.cx}" y="{node.subtitle_y}" text-anchor="middle">{text(node.subtitle)}</text>'
    )


def _box(node: NodeView, corner: int) -> str:
    return f'<rect class="shape" x="{node.x}" y="{node.y}" width="{node.width}" height="{node.height}" rx="{corner}"/>'


def _shape(node: NodeView) -> str:
    if node.shape == "diamond":
        return "\n".join(
            (
                f'<polygon class="shape" points="{text(node.points)}"/>',
                _label(node, node.cx, ' text-anchor="middle"'),
                _subtitle(node),
            )
        )
    if node.shape == "pill":
        label = (
            f'<text class="node-label{" is-small" if node.label_small else ""}" x="{node.cx}" y="{node.y + 20}"'
            f' text-anchor="middle">{text(node.label)}</text>'
        )
        return "\n".join((_box(node, 24), label, _subtitle(node)))
    badges = "".join(
        f'<g class="badge badge--{text(b.kind)}"><title>{text(b.title)}</title>'
        f'<rect x="{b.x}" y="{node.y + 43}" width="{b.width}" height="18" rx="9"/>'
        f'<text x="{b.x + 6}" y="{node.y + 56}">{text(b.text)}</text></g>'
        for b in node.badges
    )
    kicker = f'<text class="node-type" x="{node.x + 12}" y="{node.y + 16}">{text(node.kicker)}</text>'
    return "\n".join((_box(node, 8), kicker, _label(node, node.x + 12, ""), badges))
