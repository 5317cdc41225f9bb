"""Editor render time for 10, 100 and 300 nodes, uncached (layout included).

Run: .venv/bin/python benchmarks/editor_render.py

Prints, per graph size, the median of several runs of:
- layout: workflows.canvas.layout.layout_document
- canvas: layout + SVG view model + the _canvas_svg.html template (target: < 150 ms at 300 nodes)
- page:   the whole editor page through Django's test client (queries, validation, every panel)
The graphs are built from a realistic segment (a phase holding an activity,
a condition whose branches are an activity and a retry block with a
remediation agent, and a join), repeated.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from workflows.canvas.layout import layout_document  # noqa: E402
from workflows.canvas.svg import canvas_context  # noqa: E402

RUNS = 7
TARGET_MS = 150


def synthetic_document(nodes: int) -> dict:
    """About `nodes` nodes: start, end and 10-node segments (trimmed to the exact count)."""
    document_nodes = [{"key": "start", "type": "start", "label": "Start", "config": {}}]
    edges = []
    previous = "start"
    segment = 0
    while len(document_nodes) + 10 <= nodes - 1 or segment == 0:
        segment += 1
        p = f"s{segment}"
        add = [
            (f"{p}", "phase", None, "body", {"name": f"PHASE {segment}"}),
            (f"{p}-fetch", "activity", p, "body", {"activity": "http_request", "args": {"url": "'https://x'"}}),
            (f"{p}-ok", "condition", p, "body", {"expression": "True"}),
            (f"{p}-use", "activity", p, "body", {"activity": "http_request"}),
            (f"{p}-retry", "retry_block", p, "body", {"max_attempts": 3}),
            (f"{p}-build", "activity", f"{p}-retry", "body", {"activity": "http_request"}),
            (f"{p}-test", "activity", f"{p}-retry", "body", {"activity": "http_request"}),
            (f"{p}-fix", "agent", f"{p}-retry", "remediation", {"prompt": "Fix it"}),
            (f"{p}-join", "activity", p, "body", {"activity": "http_request"}),
            (f"{p}-nap", "timer", p, "body", {"duration": "1"}),
        ]
        for key, type_, parent, slot, config in add:
            document_nodes.append(
                {
                    "key": key,
                    "type": type_,
                    "label": key.replace("-", " ").title(),
                    "config": config,
                    "parent": parent,
                    "slot": slot,
                }
            )
        edges += [
            (previous, p, "next"),
            (f"{p}-fetch", f"{p}-ok", "next"),
            (f"{p}-ok", f"{p}-use", "true"),
            (f"{p}-ok", f"{p}-retry", "false"),
            (f"{p}-use", f"{p}-join", "next"),
            (f"{p}-retry", f"{p}-join", "next"),
            (f"{p}-join", f"{p}-nap", "next"),
            (f"{p}-build", f"{p}-test", "next"),
        ]
        previous = p
    while len(document_nodes) < nodes - 1:
        key = f"extra-{len(document_nodes)}"
        document_nodes.append({"key": key, "type": "activity", "label": key, "config": {"activity": "http_request"}})
        edges.append((previous, key, "next"))
        previous = key
    document_nodes.append({"key": "done", "type": "end", "label": "Done", "config": {}})
    edges.append((previous, "done", "next"))
    return {
        "format": "workflow-studio/v1",
        "identifier": f"bench-{nodes}",
        "name": f"Bench {nodes}",
        "nodes": document_nodes,
        "edges": [{"source": s, "target": t, "kind": k} for s, t, k in edges],
    }


def median_ms(fn) -> float:
    times = []
    for _ in range(RUNS):
        cache.clear()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def render_canvas(document: dict) -> str:
    context = canvas_context(layout_document(document))
    return render_to_string(
        "workflows/_canvas_svg.html",
        {**context, "editable": True, "urls": {"inspector": "/"}, "workflow": {"name": document["name"]}},
    )


def main() -> None:
    from tests.factories import make_project, make_user
    from workflows.services import workflow_import

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    owner = make_user("bench")
    project = make_project(owner, name="Bench")
    client = Client()
    client.force_login(owner)
    render_canvas(synthetic_document(10))  # compile the templates once, as a running server has
    print(f"{'nodes':>6} {'layout ms':>10} {'canvas ms':>10} {'page ms':>9}")
    canvas_300 = None
    for size in (10, 100, 300):
        document = synthetic_document(size)
        workflow = workflow_import(project=project, user=owner, document=document)
        url = reverse("workflows:editor", args=(project.slug, workflow.identifier))
        layout = median_ms(lambda document=document: layout_document(document))
        canvas = median_ms(lambda document=document: render_canvas(document))
        page = median_ms(lambda url=url: client.get(url))
        canvas_300 = canvas
        print(f"{len(document['nodes']):>6} {layout:>10.1f} {canvas:>10.1f} {page:>9.1f}")
    verdict = "within" if canvas_300 < TARGET_MS else "OVER"
    print(f"canvas at 300 nodes: {canvas_300:.1f} ms, {verdict} the {TARGET_MS} ms target (layout included, uncached)")


if __name__ == "__main__":
    main()
