"""The compiler's view of a workflow graph: plain frozen dataclasses.

Nothing here knows about Django, so validation, lowering and emitting can be
tested with hand-built graphs; `compiler.project_reader` is the one module
that reads the database into these classes (through `build_graph`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

T = TypeVar("T")
K = TypeVar("K")


@dataclass(frozen=True)
class IRNode:
    key: str
    type: str
    label: str
    config: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)
    parent: str | None = None
    slot: str = "body"
    position: int = 0


@dataclass(frozen=True)
class IREdge:
    source: str
    target: str
    kind: str = "next"

    @property
    def name(self) -> str:
        return f"{self.source} -{self.kind}-> {self.target}"


@dataclass(frozen=True)
class Graph:
    """A workflow graph; nodes in (position, key) order."""

    identifier: str
    name: str = ""
    description: str = ""
    nodes: tuple[IRNode, ...] = ()
    edges: tuple[IREdge, ...] = ()

    @cached_property
    def by_key(self) -> dict[str, IRNode]:
        return {node.key: node for node in self.nodes}

    @cached_property
    def _children(self) -> dict[tuple[str | None, str], list[IRNode]]:
        return _grouped(self.nodes, lambda node: (node.parent, node.slot))

    @cached_property
    def _outgoing(self) -> dict[str, list[IREdge]]:
        return _grouped(self.edges, lambda edge: edge.source)

    @cached_property
    def _incoming(self) -> dict[str, list[IREdge]]:
        return _grouped(self.edges, lambda edge: edge.target)

    def children(self, parent: str | None, slot: str = "body") -> list[IRNode]:
        """Nodes directly inside a container slot (parent None: the top level)."""
        return self._children.get((parent, slot), [])

    def outgoing(self, key: str) -> list[IREdge]:
        return self._outgoing.get(key, [])

    def incoming(self, key: str) -> list[IREdge]:
        return self._incoming.get(key, [])

    def of_type(self, *types: str) -> list[IRNode]:
        return [node for node in self.nodes if node.type in types]


def enclosing(node: IRNode, by_key: Mapping[str, IRNode]) -> Iterator[tuple[IRNode, IRNode]]:
    """Each container around `node`, innermost first, with the node on the way that sits in it directly
    (its `slot` says where); stops at a missing or repeated parent (the validator reports those)."""
    seen = {node.key}
    while node.parent is not None and node.parent not in seen:
        parent = by_key.get(node.parent)
        if parent is None:
            return
        yield parent, node
        seen.add(parent.key)
        node = parent


def _sort_key(node: IRNode) -> tuple[int, str]:
    return (node.position, node.key)


def build_graph(identifier: str, name: str, description: str, node_rows, edge_rows) -> Graph:
    nodes = sorted(
        (
            IRNode(
                key=r["key"],
                type=r["type"],
                label=r["label"],
                config=r["config"] or {},
                parent=r["parent__key"],
                slot=r["slot"],
                position=r["position"],
            )
            for r in node_rows
        ),
        key=_sort_key,
    )
    edges = sorted(
        (IREdge(source=r["source__key"], target=r["target__key"], kind=r["kind"]) for r in edge_rows),
        key=lambda e: (e.source, e.kind, e.target),
    )
    return Graph(identifier=identifier, name=name, description=description, nodes=tuple(nodes), edges=tuple(edges))


def _grouped(items: Iterable[T], key: Callable[[T], K]) -> dict[K, list[T]]:
    """The items in lists by `key`, each list in the items' order (an absent key has no list)."""
    groups: dict[K, list[T]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return dict(groups)
