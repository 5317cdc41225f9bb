"""The node types by name: the built-in ones (builtin/), and any registered later.

Everything that asks "what can a node of type X do" asks here. The sets of
container and declaration type names are live views of the registry, so a
type registered later (a plug-in, a test's throwaway type) is in them too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Set

from .builtin import BUILTIN_TYPES
from .node_type import NodeType

# Every kind of edge a graph may hold; a type's `out_edges` choose among them.
EDGE_KINDS = ("next", "true", "false", "error")

NODE_TYPES: dict[str, NodeType] = {}
# Bumped by every (un)registration, so the name sets below know when to recount.
_generation = 0


def register(node_type: NodeType) -> NodeType:
    """Make a node type known to the validator, the compiler, the canvas and the editor."""
    if node_type.name in NODE_TYPES:
        raise ValueError(f"node type {node_type.name!r} is already registered")
    unknown = sorted(set(node_type.out_edges) - set(EDGE_KINDS))
    if unknown:
        raise ValueError(f"node type {node_type.name!r}: unknown edge kinds {unknown} (known: {EDGE_KINDS})")
    NODE_TYPES[node_type.name] = node_type
    _changed()
    return node_type


def unregister(name: str) -> None:
    """Forget a registered type (a test's throwaway type)."""
    del NODE_TYPES[name]
    _changed()


def _changed() -> None:
    global _generation
    _generation += 1


def get_node_type(name: str) -> NodeType | None:
    return NODE_TYPES.get(name)


class TypeNames(Set):
    """The names of the registered types that pass `test`, always as registered now.

    The set is recounted only after a registration changed, because the
    validator asks it once per node and edge of graphs of thousands of nodes.
    """

    def __init__(self, test: Callable[[NodeType], bool]) -> None:
        self._test = test
        self._names: frozenset[str] = frozenset()
        self._counted_at = -1

    def _current(self) -> frozenset[str]:
        if self._counted_at != _generation:
            self._names = frozenset(name for name, node_type in NODE_TYPES.items() if self._test(node_type))
            self._counted_at = _generation
        return self._names

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._current()

    def __iter__(self) -> Iterator[str]:
        return (name for name in NODE_TYPES if name in self._current())

    def __len__(self) -> int:
        return len(self._current())


CONTAINER_TYPES = TypeNames(lambda node_type: node_type.is_container)
# Nodes that describe the workflow rather than a step in its flow.
DECLARATION_TYPES = TypeNames(lambda node_type: node_type.is_declaration)

for _builtin in BUILTIN_TYPES:
    register(_builtin)
