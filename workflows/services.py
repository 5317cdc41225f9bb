"""Every write to a workflow graph goes through these functions.

They are shared by the editor, the API, admin, the importer and the seed, so
the graph rules hold everywhere. Each edit is atomic, checks the version the
caller saw (optimistic locking: `StaleEdit` instead of a silent overwrite),
bumps it and snapshots the graph as a `Revision`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.text import slugify

from projects.models import Project
from workflows.documents import check_document, export_graph
from workflows.models import Edge, Node, Revision, Workflow, identifier_clash, identifier_clash_message
from workflows.node_types import NODE_TYPES


class StaleEdit(Exception):
    """The workflow changed since the caller loaded it."""

    def __init__(self, workflow: Workflow, expected: int, current: int) -> None:
        super().__init__(
            f"'{workflow.name}' was changed by someone else (you had version {expected}, "
            f"it is now {current}). Reload to see their change; nothing of yours was saved."
        )
        self.current = current


class DocumentInvalid(Exception):
    """An import document has problems; nothing was written."""

    def __init__(self, problems: list[dict]) -> None:
        super().__init__("; ".join(p["message"] for p in problems[:5]))
        self.problems = problems


def workflow_export(workflow: Workflow) -> dict:
    """The whole graph as one JSON document (two queries)."""
    nodes = list(workflow.nodes.all())
    edges = list(workflow.edges.all())
    return export_graph(workflow, nodes, edges)


def _commit(workflow: Workflow, user, expected_version: int | None, message: str) -> None:
    """Bump the version if it is still what the caller saw, and snapshot the graph.

    The conditional UPDATE is the lock: two editors who both saw version 7
    cannot both turn it into 8.
    """
    if not _at_version(workflow, expected_version).update(version=F("version") + 1):
        _raise_stale(workflow, expected_version)
    workflow.refresh_from_db(fields=["version", "updated"])
    snapshot_revision(workflow, user, message)


def _at_version(workflow: Workflow, expected_version: int | None):
    """The workflow's row, only while it still has the version the caller saw (None: any version)."""
    query = Workflow.objects.filter(pk=workflow.pk)
    return query if expected_version is None else query.filter(version=expected_version)


def _raise_stale(workflow: Workflow, expected_version: int | None) -> None:
    """After a conditional write touched no row: StaleEdit, unless the workflow is gone altogether."""
    current = Workflow.objects.filter(pk=workflow.pk).values_list("version", flat=True).first()
    if current is not None:
        raise StaleEdit(workflow, expected_version, current)


def snapshot_revision(workflow: Workflow, user, message: str) -> Revision:
    """Record the graph under the workflow's current version (a workflow that was just created)."""
    return Revision.objects.create(
        workflow=workflow,
        number=workflow.version,
        snapshot=workflow_export(workflow),
        author=user if getattr(user, "is_authenticated", False) else None,
        message=message[:200],
    )


def record_change(*, workflow: Workflow, user, expected_version: int | None, message: str) -> None:
    """Bump the version and snapshot after rows were written outside these functions.

    Django admin saves nodes and edges through its inline formsets (they run
    the same model validation); it calls this afterwards so an admin save is
    versioned and revisioned like any other edit. Raises StaleEdit.
    """
    _commit(workflow, user, expected_version, message)


def _save(instance) -> None:
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise ValidationError(f"This conflicts with an existing object: {error}") from None


def _identifier_taken(project: Project, identifier: str) -> str | None:
    """Why the project cannot get a workflow with this identifier (the same one, or one differing in -/_)."""
    if Workflow.objects.filter(project=project, identifier=identifier).exists():
        return f"This project already has a workflow '{identifier}'."
    clash = identifier_clash(project.pk, identifier)
    return identifier_clash_message(clash) if clash else None


def _insert_workflow(*, project: Project, identifier: str, name: str, description: str) -> Workflow:
    """Write a new workflow row inside the caller's transaction; raises ValidationError.

    The identifier is checked inside the transaction, and the database's unique
    constraints (identifier, normalized identifier) back the check: of two
    concurrent creates of `a-b` and `a_b`, or of one identifier twice, the
    loser gets the same message as anyone else, never an IntegrityError.
    """
    taken = _identifier_taken(project, identifier)
    if taken:
        raise ValidationError({"identifier": taken})
    workflow = Workflow(project=project, identifier=identifier, name=name or identifier, description=description)
    workflow.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            workflow.save()
    except IntegrityError:
        taken = _identifier_taken(project, identifier) or f"A workflow '{identifier}' was created at the same time."
        raise ValidationError({"identifier": taken}) from None
    return workflow


def workflow_create(*, project: Project, user, identifier: str, name: str = "", description: str = "") -> Workflow:
    with transaction.atomic():
        workflow = _insert_workflow(project=project, identifier=identifier, name=name, description=description)
        snapshot_revision(workflow, user, "created")
    return workflow


def workflow_delete(*, workflow: Workflow, expected_version: int | None) -> None:
    """Delete the workflow with its graph and revisions, unless it changed since the caller saw it.

    Deployed builds keep their own copy of the code; the next deploy stops
    serving the workflow and deletes its schedule (compiler/schedules/service.py).
    """
    with transaction.atomic():
        if not _at_version(workflow, expected_version).delete()[0]:
            _raise_stale(workflow, expected_version)  # or someone deleted it first: gone either way


def workflow_update(*, workflow: Workflow, user, expected_version: int | None, name: str, description: str) -> Workflow:
    with transaction.atomic():
        workflow.name, workflow.description = name, description
        _save(workflow)
        _commit(workflow, user, expected_version, "renamed")
    return workflow


def unique_node_key(workflow: Workflow, label: str, type_: str) -> str:
    base = slugify(label)[:60].strip("-") or type_.replace("_", "-")
    taken = set(workflow.nodes.filter(key__startswith=base).values_list("key", flat=True))
    key, counter = base, 2
    while key in taken:
        key, counter = f"{base}-{counter}", counter + 1
    return key


def node_by_key(workflow: Workflow, key: str | None, field: str) -> Node | None:
    """The node with this key (None for an empty key); a missing one is a ValidationError on `field`."""
    if key in (None, ""):
        return None
    node = workflow.nodes.filter(key=key).first()
    if node is None:
        raise ValidationError({field: f"No node '{key}' in {workflow.identifier}."})
    return node


def node_add(
    *,
    workflow: Workflow,
    user,
    expected_version: int | None,
    type: str,
    label: str,
    config: dict | None = None,
    key: str | None = None,
    parent_key: str | None = None,
    slot: str = "body",
    position: int | None = None,
) -> Node:
    """Add a node; config gets the type's defaults. Raises ValidationError or StaleEdit."""
    with transaction.atomic():
        parent = node_by_key(workflow, parent_key, "parent")
        node = node_write(
            workflow, type=type, label=label, config=config, key=key, parent=parent, slot=slot, position=position
        )
        _commit(workflow, user, expected_version, f"added {node.key}")
    return node


def node_write(
    workflow: Workflow,
    *,
    type: str,
    label: str,
    config: dict | None = None,
    key: str | None = None,
    parent: Node | None = None,
    slot: str = "body",
    position: int | None = None,
) -> Node:
    """Write one node inside the caller's transaction, without a revision.

    For edits made of several writes (workflows.graph_edits): they call this
    and `edge_write`, then `record_change` once, so the whole edit is one
    revision and one undo step. Raises ValidationError.
    """
    key = key or unique_node_key(workflow, label, type)
    if workflow.nodes.filter(key=key).exists():
        raise ValidationError({"key": f"Key '{key}' is already used in this workflow."})
    if position is None:
        position = workflow.nodes.filter(parent=parent).count()
    node = Node(
        workflow=workflow,
        key=key,
        type=type,
        label=label or key,
        config=config or {},
        parent=parent,
        slot=slot,
        position=position,
    )
    _save(node)
    return node


_UNSET = object()


def node_update(
    *,
    workflow: Workflow,
    user,
    expected_version: int | None,
    key: str,
    label: str | None = None,
    config: dict | None = None,
    parent_key=_UNSET,
    slot: str | None = None,
    position: int | None = None,
) -> Node:
    """Change a node. Moving it to another container drops its edges (they would cross containers)."""
    with transaction.atomic():
        node = node_by_key(workflow, key, "key")
        if label is not None:
            node.label = label
        if config is not None:
            node.config = config
        moved = False
        if parent_key is not _UNSET:
            parent = node_by_key(workflow, parent_key, "parent")
            moved = node.parent_id != (parent.pk if parent else None)
            node.parent = parent
            if slot is None and parent is not None and moved:
                slot = "body" if "body" in _slots(parent) else _slots(parent)[0]
            elif parent is None:
                slot = "body"
        if slot is not None:
            moved = moved or node.slot != slot
            node.slot = slot
        if position is not None:
            node.position = position
        _save(node)
        if moved:
            Edge.objects.filter(workflow=workflow, source=node).delete()
            Edge.objects.filter(workflow=workflow, target=node).delete()
        _commit(workflow, user, expected_version, f"changed {key}")
    return node


def _slots(node: Node) -> tuple[str, ...]:
    return NODE_TYPES[node.type].slots


def node_delete(*, workflow: Workflow, user, expected_version: int | None, key: str) -> None:
    """Delete a node with its edges and, for a container, everything inside it."""
    with transaction.atomic():
        node = node_by_key(workflow, key, "key")
        node.delete()
        _commit(workflow, user, expected_version, f"deleted {key}")


def edge_add(
    *,
    workflow: Workflow,
    user,
    expected_version: int | None,
    source_key: str,
    target_key: str,
    kind: str = "next",
) -> Edge:
    with transaction.atomic():
        source = node_by_key(workflow, source_key, "source")
        target = node_by_key(workflow, target_key, "target")
        edge = edge_write(workflow, source, target, kind)
        _commit(workflow, user, expected_version, f"connected {source_key} -> {target_key}")
    return edge


def edge_write(workflow: Workflow, source: Node, target: Node, kind: str) -> Edge:
    """Write one edge inside the caller's transaction, without a revision (see `node_write`)."""
    if Edge.objects.filter(source=source, target=target, kind=kind).exists():
        raise ValidationError({"target": f"There is already a {kind} edge {source.key} -> {target.key}."})
    edge = Edge(workflow=workflow, source=source, target=target, kind=kind)
    _save(edge)
    return edge


def edge_delete(*, workflow: Workflow, user, expected_version: int | None, edge_id: int) -> None:
    with transaction.atomic():
        deleted, _ = Edge.objects.filter(workflow=workflow, pk=edge_id).delete()
        if not deleted:
            raise ValidationError({"edge": "This edge no longer exists."})
        _commit(workflow, user, expected_version, "removed an edge")


def _write_graph(workflow: Workflow, document: dict) -> None:
    """Create the document's nodes (parents first) and edges in a few bulk queries."""
    by_key: dict[str, Node] = {}
    pending = list(document["nodes"])
    while pending:
        level = [n for n in pending if n["parent"] is None or n["parent"] in by_key]
        created = Node.objects.bulk_create(
            Node(
                workflow=workflow,
                key=n["key"],
                type=n["type"],
                label=n["label"],
                config=n["config"],
                parent=by_key.get(n["parent"]),
                slot=n["slot"],
                position=n["position"],
            )
            for n in level
        )
        by_key.update((node.key, node) for node in created)
        pending = [n for n in pending if n["key"] not in by_key]
    Edge.objects.bulk_create(
        Edge(workflow=workflow, source=by_key[e["source"]], target=by_key[e["target"]], kind=e["kind"])
        for e in document["edges"]
    )


def workflow_import(*, project: Project, user, document, identifier: str | None = None) -> Workflow:
    """Create a workflow from a document; validates everything first and writes nothing on error."""
    if isinstance(document, dict) and identifier:
        document = {**document, "identifier": identifier}
    cleaned, problems = check_document(document)
    if problems:
        raise DocumentInvalid(problems)
    with transaction.atomic():
        try:
            workflow = _insert_workflow(
                project=project,
                identifier=cleaned["identifier"],
                name=cleaned["name"],
                description=cleaned["description"],
            )
        except ValidationError as error:
            raise DocumentInvalid(
                [
                    {"node": None, "edge": None, "field": field, "message": message}
                    for field, messages in error.message_dict.items()
                    for message in messages
                ]
            ) from None
        _write_graph(workflow, cleaned)
        snapshot_revision(workflow, user, "imported")
    return workflow


def graph_replace(*, workflow: Workflow, user, expected_version: int | None, document, message: str) -> Workflow:
    """Replace the whole graph (restore a revision, re-import); same checks as an import."""
    cleaned, problems = check_document({**document, "identifier": workflow.identifier})
    if problems:
        raise DocumentInvalid(problems)
    with transaction.atomic():
        workflow.edges.all().delete()
        workflow.nodes.all().delete()
        workflow.name, workflow.description = cleaned["name"], cleaned["description"]
        workflow.save(update_fields=["name", "description", "updated"])
        _write_graph(workflow, cleaned)
        _commit(workflow, user, expected_version, message)
    return workflow


def revision_restore(*, workflow: Workflow, user, expected_version: int | None, number: int) -> Workflow:
    """Make the graph what it was at revision `number` (a new revision, so this can be undone too)."""
    revision = workflow.revisions.filter(number=number).first()
    if revision is None:
        raise ValidationError({"revision": f"No revision {number} of {workflow.identifier}."})
    return graph_replace(
        workflow=workflow,
        user=user,
        expected_version=expected_version,
        document=revision.snapshot,
        message=f"restored revision {number}",
    )
