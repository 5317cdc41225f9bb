"""Edits made of several writes (workflows/graph_edits.py): one revision each, all or nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_project, make_user, make_workflow_from_document, sample_document
from workflows.fragments import fragment_of
from workflows.graph_edits import edge_insert, node_add_after, node_delete_reconnect, nodes_paste
from workflows.services import DocumentInvalid, StaleEdit, workflow_export

pytestmark = pytest.mark.django_db

TIMER = {"type": "timer", "label": "Wait", "config": {"duration": "5"}}


@pytest.fixture
def workflow():
    return make_workflow_from_document(make_project(make_user()), sample_document("package-build"))


def insert(workflow, source: str, kind: str, target: str, *, version: int = 1, node: dict = TIMER):
    return edge_insert(
        workflow=workflow, user=None, expected_version=version, source_key=source, target_key=target, kind=kind, **node
    )


def edges(workflow) -> set[tuple[str, str, str]]:
    return {(e["source"], e["kind"], e["target"]) for e in workflow_export(workflow)["edges"]}


def test_insert_on_an_edge_splits_it_and_keeps_its_kind(workflow):
    node = insert(workflow, "exists", "true", "build")
    assert node.key == "wait" and node.parent is None
    assert {("exists", "true", "wait"), ("wait", "next", "build")} <= edges(workflow)
    assert ("exists", "true", "build") not in edges(workflow)
    workflow.refresh_from_db()
    assert workflow.version == 2
    assert workflow.revisions.get(number=2).message == "inserted wait on exists -true-> build"


def test_a_node_without_outgoing_edges_is_not_inserted_and_nothing_is_written(workflow):
    before = edges(workflow)
    with pytest.raises(ValidationError, match="End node has no outgoing edge"):
        insert(workflow, "start", "next", "prepare", node={"type": "end", "label": "Stop", "config": {}})
    with pytest.raises(ValidationError, match="There is no next edge start -> done"):
        insert(workflow, "start", "next", "done")
    assert edges(workflow) == before and not workflow.nodes.filter(type__in=["timer"]).exists()


def test_a_stale_insert_writes_nothing(workflow):
    with pytest.raises(StaleEdit):
        insert(workflow, "start", "next", "prepare", version=7)
    assert ("start", "next", "prepare") in edges(workflow)
    assert not workflow.nodes.filter(type="timer").exists()


def test_add_after_goes_onto_the_one_edge_of_that_kind(workflow):
    node, successor = node_add_after(
        workflow=workflow, user=None, expected_version=1, after_key="start", kind="next", **TIMER
    )
    assert successor == "prepare"
    assert {("start", "next", node.key), (node.key, "next", "prepare")} <= edges(workflow)
    assert workflow.revisions.count() == 2


def test_add_after_a_node_without_that_edge_appends_in_its_container(workflow):
    node, successor = node_add_after(
        workflow=workflow, user=None, expected_version=1, after_key="check", kind="next", **TIMER
    )
    assert successor is None
    assert node.parent.key == "prepare" and node.slot == "body"
    assert ("check", "next", node.key) in edges(workflow)
    with pytest.raises(ValidationError, match="cannot have a 'true' edge"):
        node_add_after(workflow=workflow, user=None, expected_version=2, after_key="check", kind="true", **TIMER)
    assert workflow.nodes.filter(type="timer").count() == 1


def test_delete_joins_the_single_predecessor_to_the_single_successor(workflow):
    insert(workflow, "exists", "true", "build")
    joined = node_delete_reconnect(workflow=workflow, user=None, expected_version=2, key="wait")
    assert str(joined) == "exists -true-> build"
    assert ("exists", "true", "build") in edges(workflow)
    assert workflow.revisions.get(number=3).message == "deleted wait, connected exists -true-> build"


def test_delete_is_plain_when_the_neighbours_are_ambiguous(workflow):
    assert node_delete_reconnect(workflow=workflow, user=None, expected_version=1, key="exists") is None
    assert not any("exists" in (source, target) for source, _, target in edges(workflow))
    assert not any(source == "prepare" for source, _, _ in edges(workflow))  # no guess between build and done


def test_copy_and_paste_a_container_with_its_contents_under_fresh_keys(workflow):
    fragment = fragment_of(workflow_export(workflow), ["build"])
    assert {n["key"] for n in fragment["nodes"]} == {"build", "compile", "fix"}
    pasted = nodes_paste(
        workflow=workflow, user=None, expected_version=1, fragment=fragment, parent_key=None, slot="body"
    )
    assert [n.key for n in pasted] == ["build-2", "compile-2", "fix-2"]
    by_key = {n.key: n for n in workflow.nodes.select_related("parent")}
    assert by_key["compile-2"].parent.key == "build-2" and by_key["fix-2"].slot == "remediation"
    assert by_key["build"].children.count() == 2  # the original is untouched
    assert workflow.revisions.get(number=2).message == "pasted 3 nodes"


def test_paste_into_another_workflow_and_into_a_container_slot(workflow):
    other = make_workflow_from_document(workflow.project, sample_document("other"))
    fragment = fragment_of(workflow_export(workflow), ["start", "prepare", "check", "exists", "nothing"])
    assert {n["key"] for n in fragment["nodes"]} == {"start", "prepare", "check", "exists"}
    assert fragment["edges"] == [
        {"source": "prepare", "target": "exists", "kind": "next"},
        {"source": "start", "target": "prepare", "kind": "next"},
    ]
    pasted = nodes_paste(
        workflow=other, user=None, expected_version=1, fragment=fragment, parent_key="build", slot="remediation"
    )
    assert {n.key for n in pasted} == {"start-2", "prepare-2", "check-2", "exists-2"}
    assert ("start-2", "next", "prepare-2") in edges(other)
    assert {n.parent.key for n in pasted if n.key != "check-2"} == {"build"}
    with pytest.raises(ValidationError, match="cannot hold other nodes"):
        nodes_paste(workflow=other, user=None, expected_version=2, fragment=fragment, parent_key="check", slot="body")


@pytest.mark.parametrize(
    ("fragment", "message"),
    [
        ("not a dict", "must be a JSON object"),
        ({"format": "workflow-studio/v1", "nodes": []}, "not a copied part of a workflow"),
        ({"format": "workflow-studio/fragment-v1", "nodes": []}, "has no nodes"),
        ({"format": "workflow-studio/fragment-v1", "nodes": [{"key": "x"}] * 1001}, "At most 1000 nodes"),
        ({"format": "workflow-studio/fragment-v1", "nodes": [{"key": "a", "type": "rm -rf"}]}, "Unknown node type"),
        ({"format": "workflow-studio/fragment-v1", "nodes": [{"key": "../a", "type": "timer"}]}, "key"),
        (
            {"format": "workflow-studio/fragment-v1", "nodes": [{"key": "a", "type": "timer", "parent": "a"}]},
            "inside itself",
        ),
        (
            {
                "format": "workflow-studio/fragment-v1",
                "nodes": [{"key": "a", "type": "timer", "config": {"duration": "5", "evil": 1}}],
            },
            "evil: is not a setting of Timer nodes",
        ),
        (
            {
                "format": "workflow-studio/fragment-v1",
                "nodes": [{"key": "a", "type": "timer"}],
                "edges": [{"source": "a", "target": "b", "kind": "next"}],
            },
            "no node 'b'",
        ),
    ],
)
def test_a_hostile_fragment_is_refused_with_a_message_and_writes_nothing(workflow, fragment, message):
    with pytest.raises(DocumentInvalid, match=message):
        nodes_paste(workflow=workflow, user=None, expected_version=1, fragment=fragment, parent_key=None, slot="body")
    workflow.refresh_from_db()
    assert workflow.version == 1 and workflow.nodes.count() == 11
