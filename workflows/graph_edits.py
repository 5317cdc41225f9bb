"""Edits made of several writes, each one revision and one undo step: the editor's direct manipulation.

Insert a node on an edge, add a node after another, delete a node and
reconnect around it, paste a copied fragment. Each runs in one transaction
through the same writes as workflows.services (`node_write`, `edge_write`,
model validation on every row) and ends with one `record_change`, which
checks the version the caller saw (StaleEdit) and snapshots the graph.
A ValidationError or DocumentInvalid leaves nothing written.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from workflows.fragments import check_fragment
from workflows.models import Edge, Node, Workflow
from workflows.node_types import NODE_TYPES, placement
from workflows.services import DocumentInvalid, edge_write, node_by_key, node_write, record_change, unique_node_key


@dataclass(frozen=True)
class Reconnected:
    """The edge a delete drew from the deleted node's predecessor to its successor."""

    source: str
    kind: str
    target: str

    def __str__(self) -> str:
        return f"{self.source} -{self.kind}-> {self.target}"


def _onward_kind(type_name: str) -> str:
    """The kind of edge a new node continues the flow with: `next`, or its first kind (`true` of a condition)."""
    node_type = NODE_TYPES[type_name]
    if not node_type.out_edges:
        raise ValidationError(
            {
                "type": f"{placement.capitalized(placement.with_article(node_type.title))} node has no outgoing edge, "
                "so it cannot go between two nodes; add it after the last one instead."
            }
        )
    return "next" if "next" in node_type.out_edges else node_type.out_edges[0]


def _split(workflow: Workflow, edge: Edge, *, type: str, label: str, config: dict) -> Node:
    """Replace `edge` by source -kind-> new node -onward-> target, the new node in the source's container."""
    onward = _onward_kind(type)
    source, target, kind = edge.source, edge.target, edge.kind
    node = node_write(workflow, type=type, label=label, config=config, parent=source.parent, slot=source.slot)
    edge.delete()
    edge_write(workflow, source, node, kind)
    edge_write(workflow, node, target, onward)
    return node


def _edge(workflow: Workflow, source_key: str, target_key: str, kind: str) -> Edge:
    edge = (
        Edge.objects.filter(workflow=workflow, source__key=source_key, target__key=target_key, kind=kind)
        .select_related("source__parent", "target")
        .first()
    )
    if edge is None:
        raise ValidationError({"edge": f"There is no {kind} edge {source_key} -> {target_key} (any more)."})
    return edge


def edge_insert(
    *,
    workflow: Workflow,
    user,
    expected_version: int | None,
    source_key: str,
    target_key: str,
    kind: str,
    type: str,
    label: str,
    config: dict,
) -> Node:
    """A new node on the edge source -kind-> target: the edge splits and keeps its kind before the new node."""
    with transaction.atomic():
        node = _split(workflow, _edge(workflow, source_key, target_key, kind), type=type, label=label, config=config)
        record_change(
            workflow=workflow,
            user=user,
            expected_version=expected_version,
            message=f"inserted {node.key} on {source_key} -{kind}-> {target_key}",
        )
    return node


def node_add_after(
    *,
    workflow: Workflow,
    user,
    expected_version: int | None,
    after_key: str,
    kind: str,
    type: str,
    label: str,
    config: dict,
) -> tuple[Node, str | None]:
    """A new node connected after `after_key` by a `kind` edge, in one step.

    When exactly one `kind` edge already leaves that node, the new node goes
    onto it (between the node and its old successor, whose key is returned
    too); otherwise it is a new branch (or the new end of the flow).
    """
    with transaction.atomic():
        after = node_by_key(workflow, after_key, "node")
        if after is None:
            raise ValidationError({"node": "Choose the node to add after."})
        leaving = list(after.outgoing.filter(kind=kind).select_related("source__parent", "target")[:2])
        if len(leaving) == 1:
            successor = leaving[0].target.key
            node = _split(workflow, leaving[0], type=type, label=label, config=config)
        else:
            successor = None
            node = node_write(workflow, type=type, label=label, config=config, parent=after.parent, slot=after.slot)
            edge_write(workflow, after, node, kind)
        message = f"added {node.key} after {after_key}"
        record_change(workflow=workflow, user=user, expected_version=expected_version, message=message)
    return node, successor


def node_delete_reconnect(*, workflow: Workflow, user, expected_version: int | None, key: str) -> Reconnected | None:
    """Delete a node (a container with its contents) and join its predecessor to its successor when unambiguous.

    Unambiguous: exactly one edge comes in, exactly one goes out and it is a
    `next` edge (an error or true/false edge out is not "the flow goes on"),
    and the two ends are different nodes not yet joined by that kind. The new
    edge keeps the incoming edge's kind. Otherwise the node goes with its
    edges, as a plain delete; None says so.
    """
    with transaction.atomic():
        node = node_by_key(workflow, key, "key")
        if node is None:
            raise ValidationError({"key": "Choose the node to delete."})
        incoming = list(node.incoming.select_related("source")[:2])
        outgoing = list(node.outgoing.select_related("target")[:2])
        join = None
        if len(incoming) == 1 and len(outgoing) == 1 and outgoing[0].kind == "next":
            source, kind, target = incoming[0].source, incoming[0].kind, outgoing[0].target
            already = Edge.objects.filter(source=source, target=target, kind=kind).exists()
            join = None if source.pk == target.pk or already else (source, target, kind)
        node.delete()
        reconnected = None
        if join is not None:
            edge_write(workflow, *join)
            reconnected = Reconnected(join[0].key, join[2], join[1].key)
        message = f"deleted {key}" + (f", connected {reconnected}" if reconnected else "")
        record_change(workflow=workflow, user=user, expected_version=expected_version, message=message)
    return reconnected


def nodes_paste(
    *, workflow: Workflow, user, expected_version: int | None, fragment, parent_key: str | None, slot: str
) -> list[Node]:
    """Write a copied fragment into a container of this workflow under fresh keys; the pasted roots first.

    The fragment is checked as an import is (DocumentInvalid lists every
    problem); its roots must be allowed in the chosen container slot. Each
    key becomes a fresh one built from the old key (`check` -> `check-2`),
    so pasting into the same workflow twice never clashes.
    """
    cleaned, problems = check_fragment(fragment)
    if problems:
        raise DocumentInvalid(problems)
    with transaction.atomic():
        parent = node_by_key(workflow, parent_key, "into")
        found = placement.slot_problem(parent_key, parent.type if parent else None, slot)
        if found is not None:
            raise ValidationError({"into": found.message})
        written: dict[str, Node] = {}
        for raw in _parents_first(cleaned["nodes"]):
            root = raw["parent"] is None
            written[raw["key"]] = node_write(
                workflow,
                type=raw["type"],
                label=raw["label"],
                config=raw["config"],
                key=unique_node_key(workflow, raw["key"], raw["type"]),
                parent=parent if root else written[raw["parent"]],
                slot=slot if root else raw["slot"],
                position=None if root else raw["position"],
            )
        for raw in cleaned["edges"]:
            edge_write(workflow, written[raw["source"]], written[raw["target"]], raw["kind"])
        record_change(
            workflow=workflow, user=user, expected_version=expected_version, message=f"pasted {len(written)} nodes"
        )
    return list(written.values())


def _parents_first(nodes: list[dict]) -> list[dict]:
    """A checked fragment's nodes, each after its parent (a pasted document may list them in any order)."""
    ordered: list[dict] = []
    placed: set[str] = set()
    pending = nodes
    while pending:
        level = [n for n in pending if n["parent"] is None or n["parent"] in placed]
        ordered.extend(level)
        placed.update(n["key"] for n in level)
        pending = [n for n in pending if n["key"] not in placed]
    return ordered
