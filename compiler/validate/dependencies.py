"""Dependency cycles in static data, found before anything runs.

When a dependency_graph's or spawner's `items` is a literal list of dicts and
its key / depends_on expressions are the plain `item['name']` / `item.name`
form, the build order is known at compile time; a cycle there would only
fail (dependency_graph) or deadlock (spawner) at run time. The items text is
read with `ast.literal_eval`, which evaluates literals only: nothing the user
wrote is executed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from compiler.diagnostics import Diagnostic, error, warning
from compiler.ir import IRNode
from compiler.runtime.scheduling import DependencyCycleError, UnknownDependencyError, dependency_layers


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
        try:
            dependency_layers(dependencies)
        except DependencyCycleError as cycle:
            yield error(
                f"The items depend on each other in a cycle: {' -> '.join(cycle.cycle)}",
                node=node.key,
                field="items",
                hint="remove one of these dependencies; items in a cycle can never start",
            )
        except UnknownDependencyError as unknown:
            message = f"Item '{unknown.item}' depends on '{unknown.missing}', which is not among the items"
            if node.type == "spawner":
                yield warning(
                    message,
                    node=node.key,
                    field="items",
                    hint=f"'{unknown.item}' will wait forever; add '{unknown.missing}' or remove it",
                )
            else:
                yield error(message, node=node.key, field="items", hint=f"add '{unknown.missing}' or remove it")
