"""The output ports the editor draws on each node: drag from one to a node to connect them.

One port per kind of edge the node's type can start (`next` and `error` of
an activity, `true` and `false` of a condition), spread along the node's
lower edge (on a diamond's lower sides), so the kind of the new edge is
where the drag began. Declarations and final steps have none. Drawn by
`_canvas_svg.html` above the nodes, editors only; static/js/connect.js
turns a drag into the same edge request the inspector sends, and a click
into "click the target".

The markup is built here in one pass (escaped by format_html) rather than
in the template: a 300-node canvas has over 500 ports, and a template loop
over them cost a quarter of the canvas's render time.
"""

from __future__ import annotations

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from workflows.node_types import NODE_TYPES

PORT = (
    '<circle class="port port--{0}" cx="{1}" cy="{2}" r="6" data-node="{3}" data-port="{0}" role="button"'
    ' aria-label="Connect a {0} edge from {4}"/>'
)


def node_ports(nodes) -> list[dict]:
    """Port positions of the drawn nodes (NodeViews of workflows.canvas.svg), in drawing coordinates."""
    ports = []
    for node in nodes:
        node_type = NODE_TYPES.get(node.type)
        kinds = node_type.out_edges if node_type else ()
        for index, kind in enumerate(kinds):
            x = node.x + node.width * (index + 1) / (len(kinds) + 1)
            y = node.y + node.height
            if node.shape == "diamond":  # on the lower sides, not below the tip
                y -= abs(x - node.cx) * node.height / node.width
            ports.append({"node": node.key, "title": node.title, "kind": kind, "x": round(x), "y": round(y)})
    return ports


def ports_svg(nodes) -> SafeString:
    """The ports of the drawn nodes as SVG circles (see the module docstring)."""
    return format_html_join("", PORT, ((p["kind"], p["x"], p["y"], p["node"], p["title"]) for p in node_ports(nodes)))
