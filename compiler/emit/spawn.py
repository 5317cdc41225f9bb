"""Spawner and dependency_graph nodes: concurrent child workflows over a list of items.

A spawner over a list expression becomes (static mode)

    spawn_builds = Spawn('builds', 'skip_dependents', self.progress, max_concurrency=lambda: <max_concurrency>)
    for item in <items>:
        spawn_builds.add(<item_key>, item, <depends_on>)
    spawn_builds.check_dependencies()          # a cycle fails here, named
    async def on_complete_spawn_builds(item, result, child_status, error):
        <on_complete>
    while True:
        for key, item in spawn_builds.ready():  # evaluates max_concurrency now
            spawn_builds.start(key, self._children.run(workflow.start_child_workflow(...)))
        if not spawn_builds.running():        # children and on_complete tasks
            break
        await workflow.wait(spawn_builds.running(), return_when=FIRST_COMPLETED)
        for key, item, result, child_status, error in spawn_builds.finished(completing=True):
            spawn_builds.complete(key, on_complete_spawn_builds(item, result, child_status, error))
    self.state.<result_var> = spawn_builds.report()

`start()` runs each child as a task of its own, so every child that may
start is started in the same workflow task and completions are handled as
they come, as in a hand-written sliding-window batch workflow
(benchmarks/reference_batch.py). Each finished child's on_complete steps
run in a task of their own too, so a long one (a back-off, a rebuild) holds
up neither the other completions nor starts in the other slots. Until its steps are done a child keeps its slot
and counts as running: its dependents start after them (continuous-builder
marks a package published there). The round ends when the children and
these tasks are all done.

When `items` is the bare name of a state variable (a queue that signals
fill), the spawner consumes it as a work queue instead: `take()` removes the
items to start from the list (highest priority first), and the race is a
`workflow.wait_condition` that also wakes when the queue or the limit change;
once the server suggests continue-as-new it starts nothing new, so an
enclosing loop can carry the rest of the queue over. The bookkeeping lives
in compiler/runtime/spawn.py.

A static spawner reached through phases only (not inside a loop, a branch
or a retry block; compiler/emit/resume.py) keeps each run's history short:
once the run has `continue_as_new_events` events, `ready()` starts nothing
new, the open children finish, and the workflow continues as new carrying
its state and the spawner's (compiler/runtime/loop.py says how). The new
run skips the steps before the spawner (`resumes_at`), and `resume()` takes
the carried items back instead of adding them again:

    if not spawn_builds.resume(self.input):
        for item in <items>: ...
    while True: ...                            # as above
    if spawn_builds.continues_as_new():
        await workflow.wait_condition(workflow.all_handlers_finished)
        workflow.continue_as_new({**self.input, '__state__': asdict(self.state), '__spawn__': spawn_builds.to_state()})

A dependency_graph node becomes
`self.state.<output_var> = dependency_order({<item_key>: <depends_on> for item in <items>})`,
which fails the step with the cycle's name.
"""

from __future__ import annotations

import ast

from compiler.emit.flow import sequence
from compiler.emit.registry import emitter, step_emitter
from compiler.emit.resume import continue_as_new, resumable, work_queue
from compiler.emit.support import EmitContext, attr, call, config_of, name, python_name
from compiler.ir import IRNode
from compiler.runtime.loop import CARRIED_SPAWN
from compiler.tree import Container, Sequence, Step, blocks
from vocabulary import FAILURE_POLICIES, ITEM_NAME
from vocabulary import SPAWN_COMPLETION_NAMES as ON_COMPLETE_NAMES


@emitter("spawner")
def spawner(ctx: EmitContext, block: Container) -> list[ast.stmt]:
    node, config = block.node, config_of(block.node)
    on_complete_slot = block.slots["on_complete"]
    # compiler/validate/on_complete.py refuses a spawner among another's on_complete steps (it would shadow them).
    assert "child_status" not in ctx.locals, f"spawner {node.key!r} in on_complete steps: the graph was not validated"
    wanted = python_name(node.key)
    helper = ctx.run_locals.local(wanted if wanted.startswith("spawn") else f"spawn_{wanted}")
    on_failure = config.get("on_failure")
    assert on_failure in FAILURE_POLICIES, f"on_failure of {node.key!r}: the graph was not validated"
    ctx.uses.update({"Spawn"})
    limit = ctx.expression(node, "max_concurrency", config.get("max_concurrency"))
    resumes = resumable(ctx, node)
    history_limit = {}
    if resumes:
        history_limit["continue_as_new_after"] = ctx.number(
            node, "continue_as_new_events", config["continue_as_new_events"]
        )
    create = call(
        "Spawn",
        ast.Constant(node.key),
        ast.Constant(on_failure),
        attr("self.progress"),
        max_concurrency=ast.Lambda(_arguments(), limit),
        **history_limit,
    )
    with ctx.scope({ITEM_NAME: name(ITEM_NAME)}):
        key = ctx.expression(node, "item_key", config.get("item_key"))
        depends_on = ctx.expression(node, "depends_on", config["depends_on"]) if config.get("depends_on") else None
        start = _start_child(ctx, node, config, helper)
    with ctx.scope({local: name(local) for local in ON_COMPLETE_NAMES}):
        on_complete = sequence(ctx, on_complete_slot)
    _assert_no_ends(on_complete_slot)
    if on_complete:
        steps = ctx.run_locals.local(f"on_complete_{helper}")
        run_steps = call(f"{helper}.complete", name("key"), call(steps, *map(name, ON_COMPLETE_NAMES)))
        handle_finished = [
            ctx.comment(f"{node.label or node.key}: once per finished child, in a task of its own"),
            ast.For(
                _targets("key", *ON_COMPLETE_NAMES),
                call(f"{helper}.finished", completing=ast.Constant(True)),
                [ast.Expr(run_steps)],
                [],
            ),
        ]
        steps_function = [ast.AsyncFunctionDef(steps, _arguments(*ON_COMPLETE_NAMES), on_complete, [], None)]
    else:
        handle_finished = [ast.Expr(call(f"{helper}.finished"))]
        steps_function = []
    queue = work_queue(ctx, node)
    if queue is None:
        setup, starts, wait = _static(ctx, node, config, helper, key, depends_on, start)
    else:
        setup, starts, wait = _work_queue(ctx, helper, queue, key, depends_on, start)
    rounds = ast.While(
        ast.Constant(True),
        [
            *starts,
            ast.If(ast.UnaryOp(ast.Not(), call(f"{helper}.running")), [ast.Break()], []),
            wait,
            *handle_finished,
        ],
        [],
    )
    if resumes:
        setup = [ast.If(ast.UnaryOp(ast.Not(), call(f"{helper}.resume", attr("self.input"))), setup, [])]
    statements = [ast.Assign([ast.Name(helper, ast.Store())], create), *setup, *steps_function, rounds]
    if resumes:
        carried = {CARRIED_SPAWN: call(f"{helper}.to_state")}
        comment = "Continue as new with the input, the state and the items left"
        statements.append(ast.If(call(f"{helper}.continues_as_new"), continue_as_new(ctx, comment, carried), []))
    variable = config.get("result_var")
    if variable and ctx.identifier(node, "result_var", variable):
        statements.append(ast.Assign([ctx.target(variable)], call(f"{helper}.report")))
    if on_failure == "fail_fast":
        statements.append(ast.Expr(call(f"{helper}.raise_if_failed")))
    return ctx.step(node, statements)


def _assert_no_ends(steps: Sequence) -> None:
    """compiler/validate/on_complete.py refuses end nodes here: one would end only its own on_complete task."""
    ends = [step.node.key for step in blocks(steps) if isinstance(step, Step) and step.node.type == "end"]
    assert not ends, f"end nodes {ends} in on_complete steps: the graph was not validated"


def _static(ctx, node, config, helper, key, depends_on, start):
    """Items evaluated once, started when their dependencies completed; a first-completed race."""
    ctx.uses.add("FIRST_COMPLETED")
    items = ctx.expression(node, "items", config.get("items"))
    add = call(f"{helper}.add", key, name(ITEM_NAME), *([depends_on] if depends_on is not None else []))
    setup = [
        ast.For(ast.Name(ITEM_NAME, ast.Store()), items, [ast.Expr(add)], []),
        ast.Expr(call(f"{helper}.check_dependencies")),
    ]
    starts = [ast.For(_targets("key", ITEM_NAME), call(f"{helper}.ready"), start, [])]
    race = call("workflow.wait", call(f"{helper}.running"), return_when=name("FIRST_COMPLETED"))
    return setup, starts, ast.Expr(ast.Await(race))


def _work_queue(ctx, helper, queue, key, depends_on, start):
    """Items taken out of a state list as they start; wake on a finished child or a changed queue/limit."""
    keywords = {"key": _lambda_of_item(key)}
    if depends_on is not None:
        keywords["depends_on"] = _lambda_of_item(depends_on)
    keywords["stop"] = call(ast.Attribute(call("workflow.info"), "is_continue_as_new_suggested", ast.Load()))
    take = call(f"{helper}.take", queue, **keywords)
    starts = [
        ctx.comment("Take what can start from the queue; nothing new once continue-as-new is suggested"),
        ast.Assign([ast.Name("ready", ast.Store())], take),
        ast.For(_targets("key", ITEM_NAME), name("ready"), start, []),
    ]
    woken = ast.BoolOp(ast.Or(), [call(f"{helper}.has_finished"), call(f"{helper}.changed", queue)])
    wait = call("workflow.wait_condition", ast.Lambda(_arguments(), woken))
    return [], starts, ast.Expr(ast.Await(wait))


def _start_child(ctx: EmitContext, node: IRNode, config: dict, helper: str) -> list[ast.stmt]:
    """`<helper>.start(key, self._children.run(workflow.start_child_workflow(...)))`: not awaited here.

    `self._children` (compiler/runtime/children.py) is where `cancel_children`
    finds the running children. The default child id is
    `<parent workflow id>-<node key>-<item key>`; any id goes through
    `in_project` (compiler/runtime/project_ids.py), so children stay in the project.
    """
    if config.get("child_id"):
        child_id = ctx.expression(node, "child_id", config["child_id"])
    else:
        parent_id = ast.Attribute(call("workflow.info"), "workflow_id", ast.Load())
        prefix = ast.BinOp(parent_id, ast.Add(), ast.Constant(f"-{node.key}-"))
        child_id = ast.BinOp(prefix, ast.Add(), name("key"))
    ctx.uses.add("in_project")
    child_input = ctx.expression(node, "input", config.get("input"))
    workflow = config.get("workflow")
    assert isinstance(workflow, str) and workflow, f"workflow of {node.key!r}: the graph was not validated"
    start = call(
        "workflow.start_child_workflow",
        ast.Constant(str(workflow or "")),
        child_input,
        id=call("in_project", child_id),
        static_summary=ast.Constant(node.label or node.key),
    )
    return [ast.Expr(call(f"{helper}.start", name("key"), call("self._children.run", start)))]


@step_emitter("dependency_graph")
def dependency_graph(ctx: EmitContext, node: IRNode) -> list[ast.stmt]:
    """Layers of the items (each sorted); a cycle or unknown dependency fails the step, named."""
    config = config_of(node)
    ctx.uses.add("dependency_order")
    items = ctx.expression(node, "items", config.get("items"))
    with ctx.scope({ITEM_NAME: name(ITEM_NAME)}):
        key = ctx.expression(node, "item_key", config.get("item_key"))
        depends_on = ctx.expression(node, "depends_on", config.get("depends_on"))
    mapping = ast.DictComp(key, depends_on, [ast.comprehension(ast.Name(ITEM_NAME, ast.Store()), items, [], 0)])
    value = call("dependency_order", mapping)
    variable = config.get("output_var")
    if variable and ctx.identifier(node, "output_var", variable):
        return [ast.Assign([ctx.target(variable)], value)]
    return [ast.Expr(value)]


def _targets(*names: str) -> ast.Tuple:
    return ast.Tuple([ast.Name(local, ast.Store()) for local in names], ast.Store())


def _arguments(*names: str) -> ast.arguments:
    return ast.arguments([], [ast.arg(local) for local in names], None, [], [], None, [])


def _lambda_of_item(body: ast.expr) -> ast.Lambda:
    return ast.Lambda(_arguments(ITEM_NAME), body)
