"""diff_documents on hand-built documents: nodes by key, edges by name, the text diff."""

import copy

from tests.factories import sample_document
from workflows.document_diff import diff_documents


def diff(before: dict, after: dict) -> dict:
    return diff_documents(before, after, before_name="a", after_name="b")


def test_equal_documents_have_no_changes():
    document = sample_document("same")
    assert diff(document, copy.deepcopy(document)) == {
        "workflow": [],
        "nodes": {"added": [], "changed": [], "removed": []},
        "edges": {"added": [], "removed": []},
        "text": "",
    }


def test_key_order_does_not_make_a_text_change():
    """A JSON column may return keys in another order (jsonb); the text diff prints them sorted."""
    document = sample_document("same")
    reordered = {name: document[name] for name in reversed(list(document))}
    reordered["nodes"] = [{name: node[name] for name in reversed(list(node))} for node in document["nodes"]]
    assert diff(document, reordered)["text"] == ""


def test_a_changed_edge_kind_is_one_edge_removed_and_another_added():
    before = sample_document("flip")
    after = copy.deepcopy(before)
    after["edges"][2]["kind"] = "false"
    after["edges"][3]["kind"] = "true"
    edges = diff(before, after)["edges"]
    assert [e["name"] for e in edges["added"]] == ["exists -false-> build", "exists -true-> done"]
    assert [e["name"] for e in edges["removed"]] == ["exists -false-> done", "exists -true-> build"]


def test_config_changes_are_named_per_setting_and_a_missing_setting_reads_as_null():
    before = sample_document("cfg")
    after = copy.deepcopy(before)
    check = next(n for n in after["nodes"] if n["key"] == "check")
    check["config"]["args"] = {"package": "input.name"}
    del check["config"]["result_var"]
    check["config"]["start_to_close_timeout"] = 30
    changes = diff(before, after)["nodes"]["changed"]
    assert changes == [
        {
            "key": "check",
            "changes": [
                {"field": "config.args", "before": {"package": "input.package"}, "after": {"package": "input.name"}},
                {"field": "config.result_var", "before": "exists", "after": None},
                {"field": "config.start_to_close_timeout", "before": None, "after": 30},
            ],
        }
    ]


def test_moving_a_node_changes_its_parent_slot_and_position():
    before = sample_document("move")
    after = copy.deepcopy(before)
    fix = next(n for n in after["nodes"] if n["key"] == "fix")
    fix.update(parent=None, slot="body", position=99)
    assert diff(before, after)["nodes"]["changed"] == [
        {
            "key": "fix",
            "changes": [
                {"field": "parent", "before": "build", "after": None},
                {"field": "slot", "before": "remediation", "after": "body"},
                {"field": "position", "before": None, "after": 99},
            ],
        }
    ]


def test_renaming_the_workflow_is_a_workflow_change_with_a_text_hunk():
    before = sample_document("named")
    after = {**before, "name": "Renamed"}
    result = diff(before, after)
    assert result["workflow"] == [{"field": "name", "before": "Named", "after": "Renamed"}]
    assert result["text"].startswith("--- a\n+++ b\n")
    assert '-  "name": "Named",\n+  "name": "Renamed",\n' in result["text"]
