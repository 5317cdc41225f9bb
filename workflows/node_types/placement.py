"""Where a node may stand and how edges may join nodes: the container rules, worded once.

The models' `clean()`, the document import (workflows/documents.py) and the
compiler's validator (compiler/validate/structure.py) all refuse a node in a
slot its container does not have, inside a node that is not a container, or
inside itself; and an edge from a node to itself, to or from a declaration,
across containers, or of a kind its source type cannot have. They ask this
module, so the editor, the importer and the validation panel say the same
thing about the same mistake. It reads only the registry; the graph domain
never imports the compiler.
"""

from __future__ import annotations

from dataclasses import dataclass

from .registry import CONTAINER_TYPES, DECLARATION_TYPES, NODE_TYPES

TOP_LEVEL_SLOT = "body"


@dataclass(frozen=True)
class PlacementProblem:
    """Why a node cannot stand where it is (or an edge join two nodes): the field to change, the message, what to do."""

    field: str
    message: str
    hint: str
    # For an edge: the end the problem is about, if it is about one (a self-loop, a declaration).
    node: str | None = None


@dataclass(frozen=True)
class EdgeEnd:
    """What the edge rules need to know of a node, whichever layer holds it (model, document, IR)."""

    key: str
    type: str
    parent: str | None
    slot: str


def title(type_name: str) -> str:
    """The node type's title (`Timer`), or the raw name of an unknown type."""
    node_type = NODE_TYPES.get(type_name)
    return node_type.title if node_type else type_name


def with_article(text: str) -> str:
    return f"{'an' if text[:1].lower() in 'aeiou' else 'a'} {text}"


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def slot_problem(parent_key: str | None, parent_type: str | None, slot: str) -> PlacementProblem | None:
    """Whether a node may sit in `slot` of the node `parent_key` (of type `parent_type`; None: the top level)."""
    if parent_key is None:
        if slot == TOP_LEVEL_SLOT:
            return None
        return PlacementProblem(
            "slot",
            f"Top-level nodes sit in the '{TOP_LEVEL_SLOT}' slot, not '{slot}'",
            f"set the slot to {TOP_LEVEL_SLOT}",
        )
    node_type = NODE_TYPES.get(parent_type) if isinstance(parent_type, str) else None
    slots = node_type.slots if node_type else ()
    if not slots:
        return PlacementProblem(
            "parent",
            f"'{parent_key}' is {with_article(title(str(parent_type)))} node and cannot hold other nodes",
            f"containers are: {', '.join(sorted(CONTAINER_TYPES))}",
        )
    if slot not in slots:
        return PlacementProblem(
            "slot",
            f"{capitalized(with_article(node_type.title))} holds nodes in {', '.join(slots)}, not in '{slot}'",
            f"set the slot to {slots[0]}",
        )
    return None


def missing_parent(key: str, parent_key: str) -> PlacementProblem:
    """A node inside a container that is not part of its workflow."""
    return PlacementProblem(
        "parent",
        f"'{key}' is inside '{parent_key}', which is not a node of this workflow",
        "move it to the top level or into an existing container",
    )


def inside_itself(chain: list[str]) -> PlacementProblem:
    """A node whose containers lead back to it; `chain` starts at the node, each key inside the next."""
    shown = " -> ".join([*chain, chain[0]])
    return PlacementProblem(
        "parent",
        f"'{chain[0]}' is inside itself: its containers form a loop ({shown}, each inside the next)",
        "move one of these nodes to the top level",
    )


def where(end: EdgeEnd) -> str:
    return "the top level" if end.parent is None else f"the {end.slot} of '{end.parent}'"


def edge_problem(name: str, source: EdgeEnd, target: EdgeEnd) -> PlacementProblem | None:
    """Whether an edge may join the two nodes at all (its kind aside); `name` is `source -kind-> target`."""
    if source.key == target.key:
        return PlacementProblem(
            "target",
            f"Edge {name} connects '{source.key}' to itself",
            "to repeat steps, put them inside a loop container",
            node=source.key,
        )
    for end in (source, target):
        if end.type in DECLARATION_TYPES:
            return PlacementProblem(
                "target" if end is target else "source",
                f"{title(end.type)} node '{end.key}' is a declaration and cannot have edges",
                "delete the edge; declarations are not steps",
                node=end.key,
            )
    if (source.parent, source.slot) != (target.parent, target.slot):
        return PlacementProblem(
            "target",
            f"Edge {name} crosses containers: '{source.key}' is in {where(source)} "
            f"and '{target.key}' is in {where(target)}",
            "edges connect nodes of the same container; move one node or delete the edge",
        )
    return None


def kind_problem(name: str, source: EdgeEnd, kind: str) -> PlacementProblem | None:
    """Whether an edge of this kind may leave a node of the source's type."""
    node_type = NODE_TYPES.get(source.type)
    if node_type is None or kind in node_type.out_edges:
        return None
    kind_text = capitalized(with_article(node_type.title))
    if kind == "error":
        message = f"{kind_text} node cannot fail, so it cannot have an error edge"
    elif not node_type.out_edges:
        message = f"{kind_text} node finishes the workflow and cannot have outgoing edges"
    else:
        message = f"{kind_text} node cannot have a '{kind}' edge (allowed: {', '.join(node_type.out_edges)})"
    return PlacementProblem("kind", message, f"delete the edge {name}", node=source.key)
