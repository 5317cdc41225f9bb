"""Each node type carries its own facts: the editor, the canvas and the registry read them from the type."""

from __future__ import annotations

import pytest

from workflows.canvas.badges import node_badges, node_subtitle
from workflows.node_types import (
    CONTAINER_TYPES,
    DECLARATION_TYPES,
    NODE_TYPES,
    Drawing,
    Field,
    NodeType,
    register,
    unregister,
)
from workflows.node_types.drawing import SHAPES
from workflows.node_types.fields import InputFieldsError, clean_input_fields

TYPES = sorted(NODE_TYPES)


@pytest.mark.parametrize("name", TYPES)
def test_a_new_node_of_each_type_saves_with_the_types_example_config(name):
    """The editor adds a node with `starter_config()`: every required field has an example that is valid."""
    node_type = NODE_TYPES[name]
    config, errors = node_type.clean_config(node_type.starter_config())

    assert errors == {}
    assert all(spec.name in config for spec in node_type.fields if spec.required)


@pytest.mark.parametrize("name", TYPES)
def test_each_type_says_how_the_canvas_draws_it(name):
    drawing = NODE_TYPES[name].drawing
    width, height = drawing.size

    assert drawing.shape in SHAPES and width > 0 and height > 0
    assert (drawing.shape == "container") == NODE_TYPES[name].is_container
    # Badges and the subtitle render from the defaults and from an empty config alike.
    assert all(badge.text for badge in node_badges(name, {}))
    assert isinstance(node_subtitle(name, NODE_TYPES[name].starter_config()), str)


def test_result_fields_name_identifier_fields():
    with_results = {name: t.result_field for name, t in NODE_TYPES.items() if t.result_field}

    assert with_results == {
        "activity": "result_var",
        "agent": "output_var",
        "child_workflow": "result_var",
        "spawner": "result_var",
        "map": "result_var",
        "dependency_graph": "output_var",
        "assign": "values",
    }
    kinds = {NODE_TYPES[name].field(field).kind for name, field in with_results.items()}
    assert kinds == {"identifier", "expression_map"}  # a variable's name, or variables -> expressions (assign)


def test_badges_are_templates_over_the_config_with_the_types_defaults():
    assert [b.text for b in node_badges("child_workflow", {"workflow": "build"})] == ["→ build"]
    assert [b.text for b in node_badges("child_workflow", {"workflow": "build", "wait": False})] == [
        "→ build · fire and forget"
    ]
    assert [b.text for b in node_badges("signal_send", {"signal": "go"})] == ["signal go"]
    assert node_badges("retry_block", {"on_exhausted": "error_edge"})[-1].text == "exhausted → error edge"
    assert "exhausted → error edge" not in [b.text for b in node_badges("retry_block", {"on_exhausted": "fail"})]
    # A badge shown for one value of a choice (`when=(field, value)`).
    assert "collects failures" in [b.text for b in node_badges("map", {"on_failure": "collect"})]
    assert "collects failures" not in [b.text for b in node_badges("map", {"on_failure": "fail_fast"})]
    # An activity without a retry setting shows the policy it gets: the type's default.
    assert node_badges("activity", {})[0].text == "retry 3× 1s ×2"
    assert node_subtitle("state", {"name": "queue", "type": "list"}) == "queue: list"
    assert node_subtitle("end", {}) == ""


def test_a_types_edges_and_size_follow_from_its_role_and_shape():
    """A declaration or a final step has no outgoing edges, another step a `next` one; a shape has one size."""
    note = NodeType("test_note", "Note", "", "data", "box", role="declaration", drawing=Drawing("declaration"))
    halt = NodeType("test_halt", "Halt", "", "flow", "stop", ends_run=True, drawing=Drawing("pill"))
    step = NodeType("test_step", "Step", "", "flow", "bolt")

    assert (note.out_edges, halt.out_edges, step.out_edges) == ((), (), ("next",))
    assert note.drawing.size == NODE_TYPES["query"].drawing.size == NODE_TYPES["state"].drawing.size
    assert halt.drawing.size == NODE_TYPES["end"].drawing.size == NODE_TYPES["fail"].drawing.size
    assert step.drawing.size == NODE_TYPES["activity"].drawing.size != halt.drawing.size


def test_a_registered_type_joins_the_live_sets_and_leaves_them_again():
    box = NodeType(
        "test_box",
        "Test box",
        "A container only this test knows.",
        "containers",
        "box",
        fields=(Field("name", "text", required=True, example="box"),),
        role="container",
        slots=("body",),
        drawing=Drawing("container"),
    )
    register(box)
    try:
        assert "test_box" in CONTAINER_TYPES and "test_box" not in DECLARATION_TYPES
        with pytest.raises(ValueError, match="already registered"):
            register(box)
    finally:
        unregister("test_box")
    assert "test_box" not in CONTAINER_TYPES


def test_a_type_with_an_unknown_edge_kind_is_refused():
    with pytest.raises(ValueError, match="unknown edge kinds"):
        register(NodeType("test_jump", "Jump", "", "flow", "bolt", out_edges=("next", "sideways")))
    assert "test_jump" not in NODE_TYPES


def test_input_fields_report_every_bad_entry_pinned_to_it_and_defaults_must_match_the_type():
    fields = [
        {"name": "count", "type": "int", "default": "3"},
        {"name": "ok", "type": "float", "default": 2},
        {"name": "1st", "type": "str"},
        {"name": "ok", "type": "str"},
    ]
    with pytest.raises(InputFieldsError) as raised:
        clean_input_fields(fields)
    assert raised.value.rows == {
        0: ["field 'count': the default must be an integer, not text"],
        2: ["field 3: '1st' is not a valid field name"],
        3: ["field 'ok' is declared twice"],
    }
    assert str(raised.value).startswith("field 'count': the default must be an integer, not text; field 3:")
    assert clean_input_fields([{"name": "n", "type": "float", "default": 2}])[0]["default"] == 2
