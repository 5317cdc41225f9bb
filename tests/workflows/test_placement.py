"""The container and slot rules say the same thing in the importer, the model and the validator."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from compiler.ir import Graph, IREdge, IRNode
from compiler.validate.graph import validate
from tests.factories import make_project, make_user, make_workflow_from_document
from workflows.documents import check_document
from workflows.models import Edge, Node

pytestmark = pytest.mark.django_db

# (parent type, slot) -> the message every layer gives for a node placed there under parent 'box'.
CASES = {
    ("timer", "body"): ("parent", "'box' is a Timer node and cannot hold other nodes"),
    ("phase", "remediation"): ("slot", "A Phase holds nodes in body, not in 'remediation'"),
    ("retry_block", "on_complete"): ("slot", "A Retry block holds nodes in body, remediation, not in 'on_complete'"),
}


def document_messages(parent_type: str, slot: str) -> list[tuple[str, str]]:
    document = {
        "identifier": "placing",
        "nodes": [
            {"key": "start", "type": "start"},
            {"key": "box", "type": parent_type, "config": {"duration": "1"} if parent_type == "timer" else {}},
            {"key": "inner", "type": "end", "parent": "box", "slot": slot},
        ],
    }
    _, problems = check_document(document)
    return [(p["field"], p["message"]) for p in problems if p["node"] == "inner"]


def model_messages(parent_type: str, slot: str) -> list[tuple[str, str]]:
    project = make_project(make_user())
    workflow = make_workflow_from_document(project)
    config = {"duration": "1"} if parent_type == "timer" else {}
    box = Node.objects.create(workflow=workflow, key="box", type=parent_type, config=config)
    inner = Node(workflow=workflow, key="inner", label="Inner", type="end", parent=box, slot=slot)
    with pytest.raises(ValidationError) as refused:
        inner.full_clean()
    return [(field, message) for field, messages in refused.value.message_dict.items() for message in messages]


def validator_messages(parent_type: str, slot: str) -> list[tuple[str, str]]:
    nodes = (
        IRNode("start", "start", "Start", {}),
        IRNode("box", parent_type, "Box", {}),
        IRNode("inner", "end", "Inner", {}, parent="box", slot=slot),
    )
    found = validate(Graph("placing", "placing", nodes=nodes, edges=()))
    return [(d.field, d.message) for d in found if d.node == "inner"]


@pytest.mark.parametrize(("parent_type", "slot"), list(CASES))
def test_import_model_and_validator_word_a_slot_rule_the_same(parent_type, slot):
    expected = [CASES[(parent_type, slot)]]
    assert document_messages(parent_type, slot) == expected
    assert model_messages(parent_type, slot) == expected
    assert validator_messages(parent_type, slot) == expected


def test_a_top_level_node_outside_the_body_is_worded_the_same():
    expected = ("slot", "Top-level nodes sit in the 'body' slot, not 'remediation'")
    document = {"identifier": "top", "nodes": [{"key": "start", "type": "start", "slot": "remediation"}]}
    _, problems = check_document(document)
    assert [(p["field"], p["message"]) for p in problems] == [expected]
    workflow = make_workflow_from_document(make_project(make_user()))
    with pytest.raises(ValidationError) as refused:
        Node(workflow=workflow, key="stray", label="Stray", type="end", slot="remediation").full_clean()
    assert refused.value.message_dict == {expected[0]: [expected[1]]}
    found = validate(Graph("top", "top", nodes=(IRNode("start", "start", "Start", {}, slot="remediation"),), edges=()))
    assert (expected[0], expected[1]) in [(d.field, d.message) for d in found if d.node == "start"]


def test_containers_inside_each_other_are_worded_the_same():
    expected = ("parent", "'a' is inside itself: its containers form a loop (a -> b -> a, each inside the next)")
    document = {
        "identifier": "loop",
        "nodes": [
            {"key": "start", "type": "start"},
            {"key": "a", "type": "phase", "parent": "b"},
            {"key": "b", "type": "phase", "parent": "a"},
        ],
    }
    _, problems = check_document(document)
    assert expected in [(p["field"], p["message"]) for p in problems if p["node"] == "a"]
    workflow = make_workflow_from_document(make_project(make_user()))
    phase = {"type": "phase", "config": {"name": "p"}}
    a = Node.objects.create(workflow=workflow, key="a", label="A", **phase)
    b = Node.objects.create(workflow=workflow, key="b", label="B", parent=a, **phase)
    a.parent = b
    with pytest.raises(ValidationError) as refused:
        a.full_clean()
    assert refused.value.message_dict == {expected[0]: [expected[1]]}
    nodes = (
        IRNode("start", "start", "Start", {}),
        IRNode("a", "phase", "A", {}, parent="b"),
        IRNode("b", "phase", "B", {}, parent="a"),
    )
    found = validate(Graph("loop", "loop", nodes=nodes, edges=()))
    assert expected in [(d.field, d.message) for d in found if d.node == "a"]


def test_an_edge_across_containers_or_of_a_kind_its_source_cannot_have_is_worded_the_same():
    crossing = (
        "Edge start -next-> inner crosses containers: 'start' is in the top level and 'inner' is in the body of 'box'"
    )
    from_end = "An End node finishes the workflow and cannot have outgoing edges"
    nodes = [
        {"key": "start", "type": "start"},
        {"key": "box", "type": "phase", "config": {"name": "Box"}},
        {"key": "inner", "type": "timer", "config": {"duration": "1"}, "parent": "box"},
        {"key": "done", "type": "end"},
    ]
    for source, target, expected in (("start", "inner", crossing), ("done", "box", from_end)):
        document = {"identifier": "edges", "nodes": nodes, "edges": [{"source": source, "target": target}]}
        _, problems = check_document(document)
        assert [p["message"] for p in problems] == [expected]
        workflow = make_workflow_from_document(make_project(make_user()), {**document, "edges": []})
        edge = Edge(workflow=workflow, source=workflow.nodes.get(key=source), target=workflow.nodes.get(key=target))
        with pytest.raises(ValidationError) as refused:
            edge.full_clean()
        assert expected in [m for messages in refused.value.message_dict.values() for m in messages]
        ir_nodes = tuple(
            IRNode(n["key"], n["type"], n["key"], n.get("config", {}), parent=n.get("parent")) for n in nodes
        )
        found = validate(Graph("edges", "edges", nodes=ir_nodes, edges=(IREdge(source, target),)))
        assert expected in [d.message for d in found if d.edge == f"{source} -next-> {target}"]
