"""A node type's rules across the whole graph: what one type demands of its nodes together.

Some rules belong to one type but cannot be checked on one config: a
workflow has exactly one start, at the top level; a condition has both its
branches; no two handlers answer the same signal. The type declares them as
`graph_checks` (node_type.py), next to its fields, and the compiler's
validator (compiler/validate/type_rules.py) runs every registered type's
checks on each graph and turns each `GraphProblem` into a diagnostic pinned
to the node and field. A new type brings its own rules without a change to
the validator. The graph domain never imports the compiler, so a check sees
the graph through `GraphView`, plain data the validator fills in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

ERROR = "error"
WARNING = "warning"


class GraphNode(Protocol):
    """What a check reads of a node, whichever layer holds it (the compiler's IRNode)."""

    key: str
    type: str
    parent: str | None
    config: Any  # as stored: unchecked


@dataclass(frozen=True)
class GraphView:
    """One graph as a type's checks see it; `nodes` are the nodes of the checked type, in graph order."""

    nodes: tuple[GraphNode, ...]
    # The checked type's title, for messages ("Phase 'p' is empty").
    title: str
    # Each node's config as its type cleaned it (defaults filled in, bad fields left out), by key.
    configs: Mapping[str, Mapping[str, Any]]
    # Keys of the nodes whose container chain is valid: only they take part in the flow checks.
    placed: frozenset[str]
    # The kinds of the valid edges leaving each placed node, by key.
    out_kinds: Mapping[str, frozenset[str]]
    # The keys of the placed steps in each slot of each placed container (only slots that hold any), by key.
    slot_members: Mapping[str, Mapping[str, tuple[str, ...]]]


@dataclass(frozen=True)
class GraphProblem:
    """A rule the graph breaks: the message, what to do, and the node and field it is about (if any)."""

    message: str
    hint: str
    node: str | None = None
    field: str | None = None
    severity: str = ERROR


GraphCheck = Callable[[GraphView], Iterable[GraphProblem]]


def declared_once(field: str, what: str) -> GraphCheck:
    """A check: no two nodes of the type declare the same `field` (`what` names it: "Signal")."""

    def check(view: GraphView) -> Iterator[GraphProblem]:
        first: dict[str, str] = {}
        for node in view.nodes:
            name = view.configs[node.key].get(field)
            if not name:
                continue
            owner = first.setdefault(name, node.key)
            if owner != node.key:
                yield GraphProblem(
                    f"{what} '{name}' is declared twice (also by '{owner}')",
                    "rename or delete one of them",
                    node=node.key,
                    field=field,
                )

    return check


def empty_bodies(view: GraphView) -> Iterator[GraphNode]:
    """The type's placed containers whose `body` slot holds no step."""
    placed = (node for node in view.nodes if node.key in view.placed)
    return (node for node in placed if "body" not in view.slot_members.get(node.key, {}))


def empty_body(view: GraphView, node: GraphNode) -> GraphProblem:
    """The warning for a container with nothing in its body: harmless, but it does nothing (or is unfinished)."""
    return GraphProblem(
        f"{view.title} '{node.key}' is empty", "add steps to its body, or delete it", node=node.key, severity=WARNING
    )


def body_expected(view: GraphView) -> Iterator[GraphProblem]:
    """A check for containers whose body is their work (a phase, a retry block): an empty one is worth a warning."""
    return (empty_body(view, node) for node in empty_bodies(view))
