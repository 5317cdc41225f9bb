"""Names in generated code: one allocator (compiler/emit/names.py), so no name means two things.

The regression tests run the generated code on the real server, where the
clashes showed: a workflow class that took an imported helper's name, and
two retry blocks whose keys differ only in `-`/`_` sharing one variable.
"""

from __future__ import annotations

import ast
import asyncio

import pytest
from temporalio import activity
from temporalio.client import WorkflowFailureError
from temporalio.exceptions import ApplicationError

from compiler.emit.names import Names
from compiler.pipeline import compile_graph
from tests.compiler.documents import graph_from_document
from tests.compiler.execution import document, load_documents, run_workflow

# Seconds a run may take before a test calls it hung (a recursing workflow task retries forever).
RUN_LIMIT = 60


CALLS: list[dict] = []


@activity.defn(name="always_fails")
async def always_fails(arguments: dict) -> dict:
    CALLS.append(arguments)
    raise ApplicationError(f"failed at outer attempt {arguments['outer']}, inner {arguments['inner']}")


def _run(env, run_async, workflows, identifier, activities=()):
    return run_async(asyncio.wait_for(run_workflow(env, workflows, list(activities), identifier), RUN_LIMIT))


@pytest.mark.temporal
def test_a_workflow_named_children_runs_without_shadowing_the_children_helper(temporal_env, run_async, tmp_path):
    doc = document(
        "children",
        [{"key": "start", "type": "start"}, {"key": "done", "type": "end", "config": {"result": "'finished'"}}],
        [("start", "done")],
    )
    workflows = load_documents(tmp_path, doc)

    result, _, _ = _run(temporal_env, run_async, workflows, "children")

    assert result == "finished"
    assert workflows["children"].__name__ != "Children"


def _nested_retries() -> dict:
    """Outer block `fix-a` (2 attempts) around inner block `fix_a` (3 attempts) around a step that always fails."""
    no_backoff = {"backoff": "none", "initial_interval": 0}
    return document(
        "nested-retries",
        [
            {"key": "start", "type": "start"},
            {"key": "fix-a", "type": "retry_block", "label": "Outer", "config": {"max_attempts": 2, **no_backoff}},
            {
                "key": "fix_a",
                "type": "retry_block",
                "label": "Inner",
                "parent": "fix-a",
                "config": {"max_attempts": 3, **no_backoff},
            },
            {
                "key": "work",
                "type": "activity",
                "parent": "fix_a",
                "config": {
                    "activity": "always_fails",
                    "args": {"outer": "0", "inner": "attempt"},
                    "retry": {"max_attempts": 1},
                },
            },
            {"key": "done", "type": "end"},
        ],
        [("start", "fix-a"), ("fix-a", "done")],
    )


@pytest.mark.temporal
def test_nested_retry_blocks_whose_keys_differ_in_dash_and_underscore_count_their_own_attempts(
    time_skipping_env, run_async, tmp_path
):
    workflows = load_documents(tmp_path, _nested_retries())
    CALLS.clear()

    with pytest.raises(WorkflowFailureError) as raised:
        _run(time_skipping_env, run_async, workflows, "nested-retries", [always_fails])

    assert [call["inner"] for call in CALLS] == [1, 2, 3, 1, 2, 3]
    assert raised.value.cause.message.startswith("Outer: gave up after 2 attempts; last error: Inner: gave up after 3")


def test_nested_retry_blocks_get_one_variable_each():
    module = ast.parse(compile_graph(graph_from_document(_nested_retries())).source)

    variables = {
        statement.value.args[1].value: statement.targets[0].id
        for statement in ast.walk(module)
        if isinstance(statement, ast.Assign) and getattr(statement.value.func, "id", None) == "RetryBlock"
    }
    assert variables == {"fix-a": "retry_fix_a", "fix_a": "retry_fix_a_2"}


class TestNames:
    def test_a_wanted_name_that_is_free_is_given_as_is(self):
        assert Names(imported=()).module_name("PackageBuild") == "PackageBuild"

    def test_an_imported_name_is_never_given(self):
        names = Names(imported=("Children",))

        assert names.module_name("Children") == "Children_2"

    def test_alternatives_are_tried_before_numbering(self):
        names = Names(imported=("Children",))

        assert names.module_name("Children", "ChildrenWorkflow") == "ChildrenWorkflow"

    @pytest.mark.parametrize("taken", ["None", "TypeError", "match", "len", "class"])
    def test_keywords_soft_keywords_and_builtins_are_never_given(self, taken):
        assert Names(imported=()).module_name(taken) == f"{taken}_2"
        assert Names(imported=()).scope().local(taken) == f"{taken}_2"

    def test_a_name_is_given_once(self):
        names = Names(imported=())
        scope = names.scope()

        assert [scope.local("retry_fix_a"), scope.local("retry_fix_a")] == ["retry_fix_a", "retry_fix_a_2"]

    def test_locals_and_module_names_never_meet(self):
        names = Names(imported=())
        scope = names.scope()

        assert scope.local("spawn_a") == "spawn_a"
        assert names.module_name("spawn_a") == "spawn_a_2"
        assert scope.local("UP_TO_3_ATTEMPTS") == "UP_TO_3_ATTEMPTS"
        assert names.module_name("UP_TO_3_ATTEMPTS") == "UP_TO_3_ATTEMPTS_2"

    def test_fixed_locals_of_a_scope_are_never_given(self):
        scope = Names(imported=()).scope(fixed=("item", "failure"))

        assert scope.local("item") == "item_2"
