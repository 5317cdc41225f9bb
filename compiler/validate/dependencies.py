"""Dependency cycles in static data, found before anything runs.

When a dependency_graph's or spawner's `items` is a literal list of dicts and
its key / depends_on expressions are the plain `item['name']` / `item.name`
form, the build order is known at compile time; a cycle there would only
fail (dependency_graph) or deadlock (spawner) at run time. The items text is
read with `ast.literal_eval`, which evaluates literals only: nothing the user
wrote is executed.

`dependency_layers` (on `graphlib.TopologicalSorter`) is also what the run
page draws a dependency view with (compiler/runs/dependencies.py).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from graphlib import CycleError, TopologicalSorter

from compiler.diagnostics import Diagnostic, error, warning
from compiler.ir import IRNode


class DependencyCycle(ValueError):
    """Items depend on each other in a loop; `cycle` follows "depends on" from its smallest key, repeated at the end."""

    def __init__(self, cycle: list[str]) -> None:
        self.cycle = cycle
        super().__init__("dependency cycle: " + " -> ".join(cycle))


def dependency_layers(dependencies: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Items grouped into build layers, each sorted: an item's dependencies are all in earlier layers.

    A dependency that is not an item is left out (`unknown_dependency` finds
    it); raises `DependencyCycle` when no order exists.
    """
    known = {key: [dep for dep in depends_on if dep in dependencies] for key, depends_on in dependencies.items()}
    sorter = TopologicalSorter(known)
    try:
        sorter.prepare()
    except CycleError as found:
        loop = found.args[1][:0:-1]  # the sorter lists each dependency before its dependent
        start = loop.index(min(loop))
        raise DependencyCycle([*loop[start:], *loop[:start], loop[start]]) from None
    layers = []
    while ready := sorter.get_ready():
        layers.append(sorted(ready))
        sorter.done(*ready)
    return layers


def unknown_dependency(dependencies: Mapping[str, Iterable[str]]) -> tuple[str, str] | None:
    """The first (item, dependency) pair whose dependency is not among the items, or None."""
    return next(((key, dep) for key, deps in dependencies.items() for dep in deps if dep not in dependencies), None)


def _literal(source) -> object:
    if not isinstance(source, str):
        return None
    try:
        return ast.literal_eval(source.strip())
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def item_field(source) -> str | None:
    """'name' for `item['name']`, `item["name"]` or `item.name`; None for anything else."""
    if not isinstance(source, str):
        return None
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if isinstance(tree, ast.Attribute) and isinstance(tree.value, ast.Name) and tree.value.id == "item":
        return tree.attr
    if (
        isinstance(tree, ast.Subscript)
        and isinstance(tree.value, ast.Name)
        and tree.value.id == "item"
        and isinstance(tree.slice, ast.Constant)
        and isinstance(tree.slice.value, str)
    ):
        return tree.slice.value
    return None


def static_dependencies(config: dict) -> dict[str, list[str]] | None:
    """Item key -> keys it depends on, when the config pins them down statically; else None."""
    items = _literal(config.get("items"))
    key_field, depends_field = item_field(config.get("item_key")), item_field(config.get("depends_on"))
    if not isinstance(items, (list, tuple)) or key_field is None or depends_field is None:
        return None
    dependencies: dict[str, list[str]] = {}
    for item in items:
        if not isinstance(item, dict):
            return None
        key, depends_on = item.get(key_field), item.get(depends_field, [])
        if not isinstance(key, str) or not isinstance(depends_on, (list, tuple)):
            return None
        if not all(isinstance(dep, str) for dep in depends_on):
            return None
        dependencies[key] = list(depends_on)
    return dependencies


def check_static_dependencies(nodes: list[IRNode], configs: dict[str, dict]) -> Iterator[Diagnostic]:
    for node in nodes:
        if node.type not in ("dependency_graph", "spawner"):
            continue
        dependencies = static_dependencies(configs[node.key])
        if dependencies is None:
            continue
        unknown = unknown_dependency(dependencies)
        if unknown is not None:
            yield _unknown(node, *unknown)
            continue
        try:
            dependency_layers(dependencies)
        except DependencyCycle as cycle:
            yield error(
                f"The items depend on each other in a cycle: {' -> '.join(cycle.cycle)}",
                node=node.key,
                field="items",
                hint="remove one of these dependencies; items in a cycle can never start",
            )


def _unknown(node: IRNode, item: str, missing: str) -> Diagnostic:
    """An error; a warning for a spawner, whose items may still arrive at run time (queued by a signal)."""
    message = f"Item '{item}' depends on '{missing}', which is not among the items"
    if node.type == "spawner":
        hint = f"'{item}' will wait forever; add '{missing}' or remove it"
        return warning(message, node=node.key, field="items", hint=hint)
    return error(message, node=node.key, field="items", hint=f"add '{missing}' or remove it")
