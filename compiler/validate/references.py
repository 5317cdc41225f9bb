"""Checks of what a node points to outside itself: activities, other workflows, schedules.

Each check only runs when the caller passes what it needs (the activity
registry, the project's graphs), so a graph can be validated on its own.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping

from compiler.diagnostics import Diagnostic, Severity, error, warning
from compiler.ir import Graph, IRNode
from compiler.validate.declarations import did_you_mean
from workflows.node_types.cron import describe_cron
from workflows.node_types.fields import must_be_given

# Not in a workflow id users give: '/' breaks the run page's URL, ':' is the
# project prefix's separator (compiler/runtime/project_ids.py). Also refused at start (compiler/runs/control.py).
FORBIDDEN_IN_RUN_IDS = ("/", ":")
# Node types that call a built-in activity under the hood, and when.
BUILT_IN_ACTIVITIES = {"agent": "agent", "signal_send": "signal_with_start"}


def _listing(names, what: str) -> str:
    shown = sorted(names)
    if not shown:
        return f"no {what} are available"
    return f"{what}: {', '.join(shown[:12])}{', ...' if len(shown) > 12 else ''}"


def _not_found(severity, message: str, name: str, known, listing: str, *, node: IRNode, field: str) -> Diagnostic:
    """A name that is none of the `known` ones, with the nearest of them (or the list of them) as the hint."""
    return severity(message, node=node.key, field=field, hint=did_you_mean(name, known, _listing(known, listing)))


def check_activities(nodes: list[IRNode], configs: dict[str, dict], activities: Mapping) -> Iterator[Diagnostic]:
    for node in nodes:
        config = configs[node.key]
        built_in = BUILT_IN_ACTIVITIES.get(node.type)
        if built_in and (node.type == "agent" or config.get("start_if_missing")) and built_in not in activities:
            yield error(
                f"The built-in activity '{built_in}' that this node calls is not registered",
                node=node.key,
                hint="load compiler.activities in the worker's activity modules",
            )
        name = config.get("activity") if node.type in ("activity", "map") else None
        if not name:
            continue
        spec = activities.get(name)
        if spec is None:
            yield _not_found(
                error,
                f"Unknown activity '{name}'",
                name,
                activities,
                "registered activities",
                node=node,
                field="activity",
            )
            continue
        yield from _check_arguments(node, spec)


def _check_arguments(node: IRNode, spec) -> Iterator[Diagnostic]:
    raw_args = node.config.get("args") if isinstance(node.config, dict) else None
    given = {name for name in raw_args if isinstance(name, str)} if isinstance(raw_args, dict) else set()
    known = {arg.name for arg in spec.args}
    for name in sorted(given - known):
        message = f"Activity '{spec.name}' has no argument '{name}'"
        yield _not_found(error, message, name, known, "it takes", node=node, field=f"args.{name}")
    missing = [arg.name for arg in spec.args if arg.required and arg.name not in given]
    if missing:
        yield error(
            f"Activity '{spec.name}' needs the argument(s) {', '.join(missing)}",
            node=node.key,
            field="args",
            hint="add a value for each of them",
        )


def check_workflow_references(
    graph: Graph,
    nodes: list[IRNode],
    configs: dict[str, dict],
    project_graphs: Mapping[str, Graph] | None,
) -> Iterator[Diagnostic]:
    """Child workflow / spawner / signal-with-start targets, the signals they handle, the input children need."""
    for node in nodes:
        if node.type not in ("child_workflow", "spawner", "signal_send"):
            continue
        target = configs[node.key].get("workflow")
        if not target:
            continue
        if node.type != "signal_send" and target == graph.identifier:
            yield warning(
                f"'{node.key}' starts this same workflow ('{target}') as its child",
                node=node.key,
                field="workflow",
                hint="make sure the recursion stops, e.g. with a condition before it",
            )
        if project_graphs is None:
            continue
        target_graph = project_graphs.get(target)
        if target_graph is None:
            message = f"Unknown workflow '{target}' in this project"
            yield _not_found(error, message, target, project_graphs, "workflows", node=node, field="workflow")
        elif node.type == "signal_send":
            yield from _check_signal_target(node, configs[node.key].get("signal"), target_graph)
        else:
            yield from _check_child_input(node, configs[node.key].get("input"), target_graph)


def _check_child_input(node: IRNode, source, target: Graph) -> Iterator[Diagnostic]:
    """The child's input against the fields its start node declares, when the input is a dict literal.

    A child that declares no fields takes any input. Other expressions (a
    variable, a call) are only known at run time, where the child itself
    refuses a missing required field.
    """
    fields = _input_fields(target)
    required = [name for name, field in fields.items() if must_be_given(field)]
    if not isinstance(source, str) or not source.strip():
        given: set[str] | None = set()
    else:
        given = _literal_keys(source)
    if given is None:
        return
    missing = [name for name in required if name not in given]
    if missing:
        yield error(
            f"Workflow '{target.identifier}' needs the input field(s) {', '.join(missing)}",
            node=node.key,
            field="input",
            hint="add them to the input dict",
        )
    for name in sorted(given - set(fields)) if fields else ():  # a child without declared fields takes any input
        message = f"Workflow '{target.identifier}' has no input field '{name}'"
        yield _not_found(warning, message, name, fields, "input fields", node=node, field="input")


def _input_fields(graph: Graph) -> dict[str, dict]:
    start = next(iter(graph.of_type("start")), None)
    declared = start.config.get("input_fields") if start and isinstance(start.config, dict) else None
    if not isinstance(declared, list):
        return {}
    return {f["name"]: f for f in declared if isinstance(f, dict) and isinstance(f.get("name"), str)}


def _literal_keys(source: str) -> set[str] | None:
    """The keys of a dict literal with plain text keys (`{'a': x, 'b': 1}`), or None for any other expression."""
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None  # the expression checks report it
    if not isinstance(tree, ast.Dict) or not all(
        isinstance(key, ast.Constant) and isinstance(key.value, str) for key in tree.keys
    ):
        return None
    return {key.value for key in tree.keys}


def _check_signal_target(node: IRNode, signal: str | None, target: Graph) -> Iterator[Diagnostic]:
    handled = {
        n.config["signal"]
        for n in target.nodes
        if n.type == "signal_handler" and isinstance(n.config, dict) and isinstance(n.config.get("signal"), str)
    }
    if signal and signal not in handled:
        message = f"Workflow '{target.identifier}' has no handler for signal '{signal}'"
        yield _not_found(warning, message, signal, handled, "its signals", node=node, field="signal")


def check_schedules(nodes: list[IRNode], configs: dict[str, dict]) -> Iterator[Diagnostic]:
    for node in nodes:
        if node.type != "start":
            continue
        config = configs[node.key]
        fixed_id = config.get("workflow_id")
        for character in FORBIDDEN_IN_RUN_IDS:
            if isinstance(fixed_id, str) and character in fixed_id:
                yield error(
                    f"A fixed workflow id may not contain '{character}'",
                    node=node.key,
                    field="workflow_id",
                    hint="':' separates the project prefix and '/' the run page's URL; use '-' instead",
                )
        cron = config.get("cron")
        if not cron:
            continue
        if config.get("trigger") != "cron":
            yield warning(
                f"The cron '{cron}' is ignored because the trigger is manual",
                node=node.key,
                field="cron",
                hint="set the trigger to cron, or clear the cron",
            )
            continue
        description = describe_cron(cron)
        if description:
            yield Diagnostic(
                Severity.INFO,
                f"Schedule '{cron}': {description} ({config.get('timezone', 'UTC')})",
                node=node.key,
                field="cron",
            )
