"""Node groups printed in Python (workflows/canvas/node_markup.py) keep every user text as text."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from workflows.canvas.layout import layout_document
from workflows.canvas.node_markup import node_group
from workflows.canvas.svg import canvas_context

HOSTILE = "\"'><script>alert(1)</script>&amp; — ünïcode"


def _document(shape_type: str) -> dict:
    config = {"expression": "True"} if shape_type == "condition" else {}
    return {
        "nodes": [
            {"key": "start", "type": "start", "label": HOSTILE, "config": {}},
            {"key": "k", "type": shape_type, "label": HOSTILE, "config": config},
        ],
        "edges": [{"source": "start", "target": "k", "kind": "next"}],
    }


@pytest.mark.parametrize("shape_type", ["activity", "condition", "end", "state"])
@pytest.mark.parametrize("connect", [None, {"source": HOSTILE, "kind": HOSTILE}])
def test_every_text_of_a_node_group_stays_text(shape_type, connect):
    views = canvas_context(layout_document(_document(shape_type)), statuses={"k": {"status": HOSTILE}})["nodes"]
    for view in views:
        view.errors = [HOSTILE]
        markup = node_group(view, editable=True, connect=connect, urls={"inspector": "/i/", "edge_add": "/e/"})
        assert "<script>" not in markup
        group = ElementTree.fromstring(markup)  # noqa: S314 - our own markup: well-formed, no text broke out
        assert group.get("data-key") == view.key
        assert group.get("aria-label").startswith(f"{view.type_title}: {view.title}")
        assert HOSTILE in group.findtext("title")
