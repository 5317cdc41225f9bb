"""Emitters of the parallel and map nodes: concurrent steps inside one workflow, as asyncio tasks.

A parallel node with two branches becomes

    async def fan_branch_1():
        <branch 1>
    async def fan_branch_2():
        <branch 2>
    await run_branches([fan_branch_1(), fan_branch_2()])

and a map node

    async def map_fetch(item):
        return await workflow.execute_activity('fetch', {'url': item}, activity_id=..., ...)
    self.state.pages = await map_items('fetch', <items>, map_fetch, max_concurrency=5, on_failure='fail_fast')

compiler/runtime/concurrent.py runs them (the first failure cancels the
rest; a map keeps the item order). A map's arguments see `item`, and its
calls get counted activity ids (`fetch-1`, `fetch-2`, ...).
"""

from __future__ import annotations

import ast

from compiler.emit.flow import sequence, suite
from compiler.emit.registry import emitter, step_emitter
from compiler.emit.steps import activity_call, arguments_of
from compiler.emit.support import EmitContext, call, config_of, name, python_name
from compiler.ir import IRNode
from compiler.tree import Container
from vocabulary import ITEM_NAME, MAP_FAILURE_POLICIES, PARALLEL_BRANCHES


@emitter("parallel")
def parallel(ctx: EmitContext, item: Container) -> list[ast.stmt]:
    """One `async def` per used branch, run side by side by `run_branches`."""
    node = item.node
    count = config_of(node).get("branches")
    # compiler/validate/concurrent.py refuses steps in the slots beyond the count.
    assert isinstance(count, int) and 2 <= count <= len(PARALLEL_BRANCHES), f"{node.key!r}: not validated"
    ctx.uses.add("run_branches")
    functions: list[ast.stmt] = []
    starts: list[ast.expr] = []
    for slot in PARALLEL_BRANCHES[:count]:
        function = ctx.run_locals.local(f"{python_name(node.key)}_{slot}")
        body = sequence(ctx, item.slots[slot])
        functions += [
            ctx.comment(slot.replace("_", " ")),
            ast.AsyncFunctionDef(function, _arguments(), suite(body), [], None),
        ]
        starts.append(call(function))
    run = ast.Expr(ast.Await(call("run_branches", ast.List(starts, ast.Load()))))
    return ctx.step(node, [*functions, run])


@step_emitter("map")
def map_node(ctx: EmitContext, node: IRNode) -> list[ast.stmt]:
    """An `async def` that calls the activity for one item, and `map_items` over the list."""
    config = config_of(node)
    activity = config.get("activity")
    assert isinstance(activity, str) and activity, f"activity of {node.key!r}: the graph was not validated"
    on_failure = config.get("on_failure")
    assert on_failure in MAP_FAILURE_POLICIES, f"on_failure of {node.key!r}: the graph was not validated"
    ctx.uses.add("map_items")
    items = ctx.expression(node, "items", config.get("items"))
    with ctx.scope({ITEM_NAME: name(ITEM_NAME)}):
        one_call = activity_call(ctx, node, activity, arguments_of(ctx, node, "args"))
    function = ctx.run_locals.local(f"map_{python_name(node.key)}")
    per_item = ast.AsyncFunctionDef(function, _arguments(ITEM_NAME), [ast.Return(one_call)], [], None)
    value = ast.Await(
        call(
            "map_items",
            ast.Constant(node.key),
            items,
            name(function),
            max_concurrency=ctx.number(node, "max_concurrency", config.get("max_concurrency")),
            on_failure=ast.Constant(on_failure),
        )
    )
    variable = config.get("result_var")
    if variable and ctx.identifier(node, "result_var", variable):
        return [per_item, ast.Assign([ctx.target(variable)], value)]
    return [per_item, ast.Expr(value)]


def _arguments(*names: str) -> ast.arguments:
    return ast.arguments([], [ast.arg(local) for local in names], None, [], [], None, [])
