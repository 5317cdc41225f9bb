"""Where a node may stand: the container and slot rules, worded once.

The model's `clean()`, the document import (workflows/documents.py) and the
compiler's validator (compiler/validate_structure.py) all refuse a node in a
slot its container does not have, inside a node that is not a container, or
inside itself. They ask this module, so the editor, the importer and the
validation panel say the same thing about the same mistake. It reads only
the registry; the graph domain never imports the compiler.
"""

from __future__ import annotations

from dataclasses import dataclass

from .registry import CONTAINER_TYPES, NODE_TYPES

TOP_LEVEL_SLOT = "body"


@dataclass(frozen=True)
class PlacementProblem:
    """Why a node cannot stand where it is: the field to change, the message and what to do."""

    field: str
    message: str
    hint: str


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
