"""Validation of update_handler declarations: each mistake pinned to the node and the field."""

from __future__ import annotations

from compiler.pipeline import compile_graph
from compiler.validate.graph import validate
from tests.compiler.documents import graph_from_document
from tests.compiler.execution import document
from workflows.canvas.badges import node_badges
from workflows.canvas.layout import layout_document
from workflows.canvas.svg import render_document_svg


def order(*handlers: dict) -> dict:
    nodes = [
        {"key": "start", "type": "start", "config": {}},
        {"key": "lines", "type": "state", "config": {"name": "lines", "type": "list"}},
        *handlers,
        {"key": "done", "type": "end", "config": {"result": "lines"}},
    ]
    return document("order", nodes, [("start", "done")])


def handler(key: str, **config) -> dict:
    return {"key": key, "type": "update_handler", "config": {"name": "add", **config}}


def errors(doc: dict) -> list[tuple[str, str, str]]:
    return [(d.node, d.field, d.message) for d in validate(graph_from_document(doc)) if d.is_error]


def test_a_valid_update_handler_compiles_to_an_update_and_its_validator():
    source = compile_graph(
        graph_from_document(order(handler("add", validator="len(lines) < 3", result="payload")))
    ).source

    assert "@workflow.update(name='add')" in source
    assert "@update_add.validator" in source and "if not len(self.state.lines) < 3:" in source


def test_an_update_name_declared_twice_is_an_error_on_the_second():
    assert errors(order(handler("add"), handler("again"))) == [
        ("again", "name", "Update 'add' is declared twice (also by 'add')")
    ]


def test_actions_and_expressions_are_checked_like_a_signal_handlers():
    found = errors(
        order(handler("add", actions=[{"op": "append", "var": "lnes", "value": "payload"}], validator="totl > 0"))
    )

    assert [(node, field) for node, field, _ in found] == [("add", "actions.1.var"), ("add", "validator")]
    assert "'lnes', which is not a declared state variable" in found[0][2]
    assert "totl" in found[1][2]


def test_payload_exists_only_in_the_handler():
    doc = order(handler("add"))
    doc["nodes"][-1]["config"]["result"] = "payload"

    assert [(node, field) for node, field, _ in errors(doc)] == [("done", "result")]


def test_the_canvas_draws_it_beside_the_flow_with_its_badge():
    doc = order(handler("add", validator="True"))
    box, flow = layout_document(doc).node("add"), layout_document(doc).node("done")

    assert box.type == "update_handler" and not box.is_container and box.x > flow.x + flow.width
    assert [badge.text for badge in node_badges("update_handler", {"name": "add", "validator": "True"})] == [
        "on update add",
        "validated",
    ]
    assert "node--update_handler shape--declaration" in render_document_svg(doc)
