"""The "Adding a node type" recipe (docs/node-types.md) is all it takes: a throwaway type, added in this test only.

`repeat` runs its body a fixed number of times and binds `lap` (1, 2, ...)
for the expressions inside; `answer` is a declaration that answers a named
query with an expression. Both are declared and registered through the
public APIs alone (workflows.node_types.register, compiler.emit.registry),
then validated, lowered, emitted, drawn and run on the real Temporal server
without any change to the validator, lowering, the emit dispatch or the canvas.
"""

from __future__ import annotations

import ast

import pytest
from temporalio import activity

from compiler.emit.flow import sequence, suite
from compiler.emit.names import Scope
from compiler.emit.registry import declaration_emitter, emitter
from compiler.emit.registry import unregister as unregister_emitter
from compiler.emit.support import EmitContext, call, config_of, name, python_name
from compiler.ir import IRNode
from compiler.pipeline import compile_graph
from compiler.tree import Container
from tests.compiler.documents import graph_from_document
from tests.compiler.execution import activity_ids, document, load_documents, run_workflow
from workflows.canvas.layout import layout_document
from workflows.node_types import CONTAINER, DECLARATION, Drawing, Field, NodeType, register, unregister

REPEAT = NodeType(
    "repeat",
    "Repeat",
    "Runs its body a fixed number of times.",
    "containers",
    "repeat",
    fields=(Field("times", "int", default=2, minimum=1, maximum=10),),
    role=CONTAINER,
    slots=("body",),
    slot_names=("lap",),
    drawing=Drawing("container"),
)


def emit_repeat(ctx: EmitContext, item: Container) -> list[ast.stmt]:
    """`for lap_<key> in range(1, times + 1): <body>`; `lap` in the body reads the counter."""
    node = item.node
    counter = ctx.run_locals.local(f"lap_{python_name(node.key)}")
    with ctx.scope({"lap": name(counter)}):
        body = sequence(ctx, item.slots["body"])
    times = ctx.number(node, "times", config_of(node)["times"])
    laps = call("range", ast.Constant(1), ast.BinOp(times, ast.Add(), ast.Constant(1)))
    return ctx.step(node, [ast.For(ast.Name(counter, ast.Store()), laps, suite(body), [])])


ANSWER = NodeType(
    "answer",
    "Answer",
    "Answers a named query with an expression.",
    "signals",
    "eye",
    fields=(Field("name", "identifier", required=True), Field("value", "expression", required=True)),
    role=DECLARATION,
    out_edges=(),
    drawing=Drawing("declaration", (190, 52), subtitle="{name}"),
)


def emit_answers(ctx: EmitContext, nodes: list[IRNode], methods: Scope) -> list[ast.stmt]:
    """`@workflow.query(name=<name>) def answer_<name>(self): return <value>` per node."""
    statements: list[ast.stmt] = []
    for node in nodes:
        config = config_of(node)
        value = [ast.Return(ctx.expression(node, "value", config["value"]))]
        decorator = call("workflow.query", name=ast.Constant(config["name"]))
        arguments = ast.arguments([], [ast.arg("self")], None, [], [], None, [])
        method = methods.local(f"answer_{config['name']}")
        statements += [ctx.label(node), ast.FunctionDef(method, arguments, value, [decorator], name("Any"))]
    return statements


@pytest.fixture
def repeat_type():
    register(REPEAT)
    register(ANSWER)
    emitter("repeat")(emit_repeat)
    declaration_emitter("answer")(emit_answers)
    yield REPEAT
    for type_name in ("repeat", "answer"):
        unregister_emitter(type_name)
        unregister(type_name)


LAPS: list[int] = []


@activity.defn(name="record_lap")
async def record_lap(arguments: dict) -> int:
    LAPS.append(arguments["lap"])
    return arguments["lap"]


def repeating(result: str = "'done'", lap_expression: str = "lap") -> dict:
    return document(
        "repeating",
        [
            {"key": "start", "type": "start", "config": {}},
            {"key": "again", "type": "repeat", "label": "Three laps", "config": {"times": 3}},
            {
                "key": "record",
                "type": "activity",
                "parent": "again",
                "config": {"activity": "record_lap", "args": {"lap": lap_expression}, "result_var": "last_lap"},
            },
            {"key": "laps", "type": "answer", "config": {"name": "laps", "value": "last_lap"}},
            {"key": "end", "type": "end", "config": {"result": result}},
        ],
        [("start", "again"), ("again", "end")],
    )


def test_the_new_type_compiles_with_its_slot_names(repeat_type):
    result = compile_graph(graph_from_document(repeating()))

    assert result.source is not None, [d.line() for d in result.diagnostics]
    assert "for lap_again in range(1, 3 + 1):" in result.source
    assert "{'lap': lap_again}" in result.source
    assert "activity_id=self.progress.activity_id('record')" in result.source  # a repeating slot counts ids
    assert "@workflow.query(name='laps')\n    def answer_laps(self) -> Any:" in result.source


def test_its_slot_names_exist_only_inside_it(repeat_type):
    result = compile_graph(graph_from_document(repeating(result="lap")))

    assert result.source is None
    assert [(d.node, d.field) for d in result.diagnostics if d.is_error] == [("end", "result")]
    assert "lap" in next(d.message for d in result.diagnostics if d.is_error)


def test_the_canvas_draws_it_as_a_container_around_its_body(repeat_type):
    layout = layout_document(repeating())
    box, inner = layout.node("again"), layout.node("record")

    assert box.is_container and [slot.name for slot in box.slots] == ["body"]
    assert box.x < inner.x and inner.x + inner.width < box.x + box.width


@pytest.mark.temporal
def test_the_new_type_runs_on_the_server(repeat_type, temporal_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, repeating())
    LAPS.clear()

    result, history, answers = run_async(
        run_workflow(temporal_env, workflows, [record_lap], "repeating", queries=["progress", "laps"])
    )

    assert result == "done"
    assert LAPS == [1, 2, 3]
    assert activity_ids(history) == ["record-1", "record-2", "record-3"]
    assert answers["progress"]["nodes"]["again"] == "completed"
    assert answers["laps"] == 3
