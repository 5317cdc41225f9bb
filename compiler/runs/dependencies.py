"""`dependency_view`: a spawner's or dependency_graph's items in one run: DAG, layers, statuses, children.

A run's variables are not stored anywhere but in Temporal, so the view is
pieced together from what `describe_run` read (a RunDetail), never by
running user code:

- items and dependencies: the node's `items`, `item_key` and `depends_on`
  expressions, resolved over the values the history shows: the workflow
  input, completed activities' results (their result variable) and the
  arguments of activities that are a plain variable name (the value it had
  when the activity was called). Only paths (`plan.to_build`, `item['name']`)
  are resolved, by walking the data; anything else (a function call, a
  state queue that signals fill) cannot be recovered after the fact, and the
  view falls back to the keys it knows from statuses and children, without
  edges, saying so in `notes`.
- statuses: the progress query's `items` (while the run is open or its build
  still has a worker), else the spawner's result variable when the history
  shows it (an argument of a later activity, or the run's result), else the
  children's own outcomes.
- children: the child workflow steps of the node (started with the node's
  label as summary), matched to items by child id: the longest item key the
  id ends with (`build-<build id>-<package>`, `<parent id>-<spawner>-<key>`).
  Times are from the history: initiated to closed.
- layers: `dependency_layers` over the items; a dependency that is not an
  item is listed as missing, not layered.
"""

from __future__ import annotations

import ast
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from compiler.ir import Graph, IRNode
from compiler.runs.history import RunDetail
from compiler.validate.dependencies import DependencyCycle, dependency_layers

DEPENDENCY_NODE_TYPES = ("spawner", "dependency_graph")
DEFAULT_KEYS = {"spawner": "item", "dependency_graph": "item['name']"}
DEFAULT_DEPENDS_ON = {"spawner": "", "dependency_graph": "item['dependencies']"}
NODE_TO_ITEM_STATUS = {"completed": "completed", "failed": "failed", "running": "running"}


@dataclass
class ChildRun:
    """One child workflow execution the node started, as the history shows it."""

    workflow_id: str
    status: str
    start: datetime
    close: datetime | None
    error: str = ""

    @property
    def duration(self) -> float | None:
        return (self.close - self.start).total_seconds() if self.close else None


@dataclass
class DependencyItem:
    key: str
    status: str
    depends_on: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # dependencies that are not items
    layer: int | None = None
    reason: str = ""
    children: list[ChildRun] = field(default_factory=list)  # in start order; more than one in a loop

    @property
    def child(self) -> ChildRun | None:
        return self.children[-1] if self.children else None


@dataclass
class DependencyView:
    node_key: str
    node_type: str
    label: str
    node_status: str
    items: list[DependencyItem]
    layers: list[list[str]]
    max_concurrency: str = ""  # the node's expression, as written
    problem: str = ""
    notes: list[str] = field(default_factory=list)
    unmatched: list[ChildRun] = field(default_factory=list)
    max_running: int = 0
    concurrency: list[tuple[datetime, datetime, int]] = field(default_factory=list)  # children running over time
    start: datetime | None = None  # the time axis: first child started ...
    end: datetime | None = None  # ... to the last closed (now, while one runs)

    @property
    def edges(self) -> list[tuple[str, str]]:
        """(dependency, dependent) pairs between items."""
        return [(dep, item.key) for item in self.items for dep in item.depends_on if dep not in item.missing]

    def children(self) -> list[tuple[str, ChildRun]]:
        """Every child run with its item key, by start time (what the timeline draws)."""
        runs = [(item.key, child) for item in self.items for child in item.children]
        return sorted(runs, key=lambda pair: pair[1].start)


class _Unresolved(Exception):
    """An expression that is not a path over the values the history shows."""


def dependency_view(detail: RunDetail, graph: Graph, node_key: str, now: datetime | None = None) -> DependencyView:
    """The view of one spawner or dependency_graph node; ValueError for any other key."""
    node = graph.by_key.get(node_key)
    if node is None or node.type not in DEPENDENCY_NODE_TYPES:
        raise ValueError(f"{graph.identifier} has no spawner or dependency graph node '{node_key}'.")
    now = now or datetime.now(UTC)
    values = observed_values(detail, graph)
    view = DependencyView(node_key, node.type, node.label or node_key, _node_status(detail, node, values), [], [])
    items = _resolve_items(node, values, view.notes)
    if node.type == "spawner":
        view.max_concurrency = str(node.config.get("max_concurrency") or "4")
        _spawner_items(detail, node, values, items, view)
    else:
        _graph_items(node, values, items, view)
    _layer(view)
    _timeline(view, detail.close if not detail.is_open else now)
    return view


def _node_status(detail: RunDetail, node: IRNode, values: dict[str, Any]) -> str:
    """The run page's status, unless only the history speaks and it shows the node's variable assigned.

    From the history alone a spawner has the status of its latest child and a
    dependency_graph (no Temporal call of its own) none; a result or output
    variable the history shows was assigned means the step got that far.
    """
    status = detail.statuses.get(node.key, {}).get("status", "pending")
    variable = node.config.get("result_var" if node.type == "spawner" else "output_var")
    if node.key in detail.items or not variable or variable not in values:
        return status
    report = values[variable] if isinstance(values[variable], dict) else {}
    failed = any(isinstance(entry, dict) and entry.get("status") == "failed" for entry in report.values())
    return "failed" if failed and node.config.get("on_failure") == "fail_fast" else "completed"


def observed_values(detail: RunDetail, graph: Graph) -> dict[str, Any]:
    """Variable -> the latest value the history shows for it (see the module docstring)."""
    values: dict[str, Any] = {"input": detail.input}
    for step in detail.steps:
        node = graph.by_key.get(step.key or "")
        if node is None:
            continue
        if step.kind == "activity" and isinstance(step.input, dict):
            for arg, expression in (node.config.get("args") or {}).items():
                if isinstance(expression, str) and expression.strip().isidentifier() and arg in step.input:
                    values[expression.strip()] = step.input[arg]
        if step.status != "completed":
            continue
        if node.type == "agent" and node.config.get("output_var") and isinstance(step.output, dict):
            values[node.config["output_var"]] = step.output.get("output")
        elif node.type in ("activity", "child_workflow") and node.config.get("result_var"):
            values[node.config["result_var"]] = step.output
    ends = graph.of_type("end")
    returned = str(ends[0].config.get("result") or "").strip() if len(ends) == 1 else ""
    if detail.status == "completed" and returned.isidentifier():
        values[returned] = detail.result
    return values


def _resolve_path(source: str, names: dict[str, Any]) -> Any:
    """The value of a path expression (`a.b`, `a['b']`, `a[0]`) over `names`; `_Unresolved` otherwise."""
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError:
        raise _Unresolved(source) from None
    return _walk(tree, names)


def _walk(tree: ast.expr, names: dict[str, Any]) -> Any:
    if isinstance(tree, ast.Name) and tree.id in names:
        return names[tree.id]
    if isinstance(tree, ast.Attribute):
        return _index(_walk(tree.value, names), tree.attr)
    if isinstance(tree, ast.Subscript) and isinstance(tree.slice, ast.Constant):
        return _index(_walk(tree.value, names), tree.slice.value)
    raise _Unresolved(ast.unparse(tree))


def _index(value: Any, key: Any) -> Any:
    try:
        return value[key]
    except (KeyError, IndexError, TypeError):
        raise _Unresolved(str(key)) from None


def _item_key(value: Any) -> str:
    """Item keys as the runtime writes them (compiler.runtime.spawn): text, numbers written out."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _Unresolved(repr(value))
    return str(value)


def _resolve_items(node: IRNode, values: dict[str, Any], notes: list[str]) -> dict[str, list[str]] | None:
    """Item key -> dependencies from the node's expressions, or None when the history does not show them."""
    config = node.config
    try:
        items = _resolve_path(str(config.get("items") or ""), values)
        if not isinstance(items, list):
            raise _Unresolved("items")
        key_of = config.get("item_key") or DEFAULT_KEYS[node.type]
        keys = [_item_key(_resolve_path(key_of, {**values, "item": item})) for item in items]
    except _Unresolved:
        notes.append(
            f"The items ({config.get('items')}) cannot be read back from the history: "
            "only the items with a status or a child are shown, without dependencies."
        )
        return None
    depends_on = str(config.get("depends_on") or DEFAULT_DEPENDS_ON[node.type]).strip()
    resolved: dict[str, list[str]] = {}
    for key, item in zip(keys, items, strict=True):
        try:
            deps = _resolve_path(depends_on, {**values, "item": item}) if depends_on else []
            if not isinstance(deps, list | None):
                raise _Unresolved(depends_on)
            resolved[key] = [_item_key(dep) for dep in deps or []]
        except _Unresolved:
            notes.append(f"The dependencies ({depends_on}) cannot be read back from the history; none are drawn.")
            return {key: [] for key in keys}
    return resolved


def _spawner_items(detail: RunDetail, node: IRNode, values: dict, items: dict | None, view: DependencyView) -> None:
    """Items, statuses and children of a spawner (sources in the module docstring)."""
    progress = detail.items.get(node.key) or {}
    report = values.get(node.config.get("result_var") or "")
    report = report if isinstance(report, dict) and all(isinstance(v, dict) for v in report.values()) else {}
    keys = dict.fromkeys([*(items or {}), *progress, *report])
    children = _children(detail, node)
    by_key: dict[str, list[ChildRun]] = {}
    for child in children:
        key = _match(child.workflow_id, keys)
        default_prefix = f"{detail.workflow_id}-{node.key}-"
        if key is None and child.workflow_id.startswith(default_prefix):
            key = child.workflow_id.removeprefix(default_prefix)
            keys[key] = None
        if key is None:
            view.unmatched.append(child)
        else:
            by_key.setdefault(key, []).append(child)
    if progress:
        view.notes.append("Statuses from the run's progress query.")
    elif report:
        view.notes.append(f"Statuses from the result variable '{node.config.get('result_var')}' in the history.")
    else:
        view.notes.append("Statuses from the children in the history (no progress query answer, no result yet).")
    for key in keys:
        entry = report.get(key) or {}
        runs = by_key.get(key, [])
        status = progress.get(key) or entry.get("status") or _status_without_report(runs, detail, view.node_status)
        reason = entry.get("reason") or entry.get("error") or (runs[-1].error if runs else "")
        deps = (items or {}).get(key, [])
        view.items.append(DependencyItem(key, status, deps, [d for d in deps if d not in keys], reason=reason or ""))
        view.items[-1].children = runs


def _status_without_report(runs: list[ChildRun], detail: RunDetail, node_status: str) -> str:
    if runs:
        return runs[-1].status
    return "pending" if detail.is_open and node_status in ("pending", "running") else "skipped"


def _graph_items(node: IRNode, values: dict, items: dict | None, view: DependencyView) -> None:
    """A dependency_graph runs no children: its items share the step's status; layers may come from its output."""
    if items is None:
        layers = values.get(node.config.get("output_var") or "")
        items = {key: [] for layer in layers for key in layer} if isinstance(layers, list) else {}
    status = NODE_TO_ITEM_STATUS.get(view.node_status, "pending")
    view.notes.append("A dependency graph only orders its items: each shows the status of the step that layered them.")
    for key, deps in items.items():
        view.items.append(DependencyItem(key, status, deps, [d for d in deps if d not in items]))


def _children(detail: RunDetail, node: IRNode) -> list[ChildRun]:
    """The node's child workflow steps; the name is "<workflow type> (<child id>)" (runs_history)."""
    prefix = f"{node.config.get('workflow') or ''} ("
    runs = []
    for step in detail.steps:
        if step.kind != "child_workflow" or step.key != node.key:
            continue
        child_id = (
            step.name[len(prefix) : -1] if step.name.startswith(prefix) and step.name.endswith(")") else step.name
        )
        runs.append(ChildRun(child_id, step.status, step.start, step.close, step.error))
    return runs


def _match(child_id: str, keys: Container[str]) -> str | None:
    """The longest key the child id is, or ends with after a separator.

    Looks each possible suffix up instead of testing every key: a spawner
    over thousands of items has thousands of children (issue 16).
    """
    for start in range(len(child_id) + 1):
        if (start == 0 or not child_id[start - 1].isalnum()) and child_id[start:] in keys:
            return child_id[start:]
    return None


def _layer(view: DependencyView) -> None:
    """Layers over the items (missing dependencies left out); a cycle is the view's problem, named."""
    try:
        view.layers = dependency_layers(
            {item.key: [d for d in item.depends_on if d not in item.missing] for item in view.items}
        )
    except DependencyCycle as cycle:
        view.problem = f"The items cannot be layered: {cycle}."
        return
    index = {key: number for number, layer in enumerate(view.layers) for key in layer}
    for item in view.items:
        item.layer = index[item.key]
    view.items.sort(key=lambda item: (item.layer, item.key))


def _timeline(view: DependencyView, end: datetime | None) -> None:
    """Time axis, children running over time and the most running at once (ends count before starts)."""
    runs = [child for _, child in view.children()]
    if not runs:
        return
    view.start = runs[0].start
    closes = [child.close for child in runs if child.close]
    view.end = max(closes + [end or runs[0].start] if len(closes) < len(runs) else closes)
    edges = sorted(
        [(child.start, 1) for child in runs] + [(child.close or view.end, -1) for child in runs],
        key=lambda event: (event[0], event[1]),
    )
    running = 0
    for (at, change), (following, _) in zip(edges, [*edges[1:], (view.end, 0)], strict=True):
        running += change
        view.max_running = max(view.max_running, running)
        if running and following > at:
            view.concurrency.append((at, following, running))
