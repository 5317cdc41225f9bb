"""Workflow graphs: nodes in containers, edges between them, revisions of every save.

The database holds what it can (unique keys, edge kinds, no self-loops);
`clean()` holds the rest (same workflow, same container, container parents,
config valid for the node type). Writes go through `workflows.services`,
which calls `full_clean()` and bumps the version for optimistic locking.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from projects.models import Project
from workflows.identifiers import MAX_LENGTH, normalized, validate_identifier, validate_slug
from workflows.input_checks import validate_text
from workflows.limits import MAX_LABEL, MAX_NAME, MAX_POSITION
from workflows.node_types import EDGE_KINDS, NODE_TYPES, get_node_type
from workflows.node_types.placement import (
    EdgeEnd,
    edge_problem,
    inside_itself,
    kind_problem,
    missing_parent,
    slot_problem,
)


class Workflow(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="workflows")
    identifier = models.CharField(max_length=MAX_LENGTH, validators=[validate_identifier])
    # The identifier with '_' as '-': unique per project, so the database itself
    # refuses `a_b` next to `a-b` (one generated module), even for two concurrent creates.
    normalized_identifier = models.CharField(max_length=MAX_LENGTH, editable=False)
    name = models.CharField(max_length=MAX_NAME, validators=[validate_text])
    description = models.TextField(blank=True, validators=[validate_text])
    version = models.PositiveIntegerField(default=1, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project", "identifier"]
        constraints = [
            models.UniqueConstraint(fields=["project", "identifier"], name="unique_workflow_identifier"),
            models.UniqueConstraint(
                fields=["project", "normalized_identifier"], name="unique_workflow_normalized_identifier"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.slug}/{self.identifier}"

    def save(self, *args, **kwargs):
        self.normalized_identifier = normalized(self.identifier)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "identifier" in update_fields:
            kwargs["update_fields"] = {*update_fields, "normalized_identifier"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        clash = identifier_clash(self.project_id, self.identifier, exclude_pk=self.pk)
        if clash:
            raise ValidationError({"identifier": identifier_clash_message(clash)})


def identifier_clash(project_id: int | None, identifier: str, *, exclude_pk: int | None = None) -> str | None:
    """Another workflow of the project whose identifier differs only in '-' and '_' (`a-b`, `a_b`).

    Both would get the same generated Python module (compiler.emit.module.module_name_for),
    so one would replace the other on the workers. The same identifier is the unique
    constraint's business, not this check's.
    """
    if project_id is None or not identifier:
        return None
    others = Workflow.objects.filter(project_id=project_id).exclude(pk=exclude_pk).exclude(identifier=identifier)
    return others.filter(normalized_identifier=normalized(identifier)).values_list("identifier", flat=True).first()


def identifier_clash_message(clash: str) -> str:
    return (
        f"This project already has a workflow '{clash}': identifiers that differ only in '-' and '_' "
        "would share one generated Python module."
    )


class Node(models.Model):
    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="nodes")
    key = models.CharField(max_length=MAX_LENGTH, validators=[validate_slug])
    type = models.CharField(max_length=32, choices=[(name, t.title) for name, t in NODE_TYPES.items()])
    label = models.CharField(max_length=MAX_LABEL, validators=[validate_text])
    config = models.JSONField(default=dict, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    # Which part of its container the node belongs to (a retry block has a
    # body and a remediation body); "body" for top-level nodes.
    slot = models.CharField(max_length=20, default="body")
    position = models.IntegerField(
        default=0,
        help_text="Display order among siblings.",
        validators=[MinValueValidator(-MAX_POSITION), MaxValueValidator(MAX_POSITION)],
    )

    class Meta:
        ordering = ["workflow", "position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["workflow", "key"], name="unique_node_key"),
            models.CheckConstraint(condition=models.Q(type__in=list(NODE_TYPES)), name="node_type_known"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.type})"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        node_type = get_node_type(self.type)
        if node_type is None:
            errors["type"] = [f"Unknown node type '{self.type}'. Known: {', '.join(sorted(NODE_TYPES))}."]
        else:
            cleaned, config_errors = node_type.clean_config(self.config)
            if config_errors:
                errors["config"] = [f"{field}: {'; '.join(msgs)}" for field, msgs in sorted(config_errors.items())]
            else:
                self.config = cleaned
        errors.update(self._parent_errors())
        if errors:
            raise ValidationError(errors)

    def _parent_errors(self) -> dict[str, list[str]]:
        """The placement rules of workflows/node_types/placement.py, worded as the validator words them."""
        parent = self.parent if self.parent_id is not None else None
        if parent is not None and parent.workflow_id != self.workflow_id:
            problem = missing_parent(self.key, parent.key)
        else:
            problem = slot_problem(parent.key if parent else None, parent.type if parent else None, self.slot)
            loop = self._container_loop(parent) if problem is None and self.pk else None
            problem = inside_itself(loop) if loop else problem
        return {problem.field: [problem.message]} if problem else {}

    def _container_loop(self, parent: "Node | None") -> list[str] | None:
        """Keys from this node up its new containers back to itself, when placing it in `parent` makes a loop."""
        chain, seen = [self.key], set()
        while parent is not None and parent.pk not in seen:
            if parent.pk == self.pk:
                return chain
            chain.append(parent.key)
            seen.add(parent.pk)
            parent = parent.parent
        return None


class EdgeKind(models.TextChoices):
    NEXT = "next", "next"
    TRUE = "true", "true"
    FALSE = "false", "false"
    ERROR = "error", "error"


class Edge(models.Model):
    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="edges")
    source = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="outgoing")
    target = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="incoming")
    kind = models.CharField(max_length=10, choices=EdgeKind.choices, default=EdgeKind.NEXT)

    class Meta:
        ordering = ["workflow", "source__key", "kind", "target__key"]
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "target"], name="unique_edge"),
            models.CheckConstraint(condition=models.Q(kind__in=list(EDGE_KINDS)), name="edge_kind_known"),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="edge_not_self_loop"),
        ]

    def __str__(self) -> str:
        return f"{self.source.key} -{self.kind}-> {self.target.key}"

    def clean(self) -> None:
        if not (self.source_id and self.target_id):
            return
        source, target = self.source, self.target
        if source.workflow_id != self.workflow_id or target.workflow_id != self.workflow_id:
            raise ValidationError({"target": "Both ends of an edge must be nodes of this workflow."})
        name = f"{source.key} -{self.kind}-> {target.key}"
        ends = [EdgeEnd(n.key, n.type, n.parent.key if n.parent_id else None, n.slot) for n in (source, target)]
        problem = edge_problem(name, *ends) or kind_problem(name, ends[0], self.kind)
        if problem is not None:
            raise ValidationError({problem.field: problem.message})


class Revision(models.Model):
    """A snapshot of the whole graph (the workflow JSON document) after a save."""

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    message = models.CharField(max_length=200, blank=True, validators=[validate_text])
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workflow", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["workflow", "number"], name="unique_revision_number"),
        ]

    def __str__(self) -> str:
        return f"{self.workflow} r{self.number}"
