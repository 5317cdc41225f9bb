"""What a node type is: the one description that the validator, the compiler, the canvas and the editor read.

Each type is declared once, in its own module under `builtin/`, as a
`NodeType`: its config fields (schema, defaults, an example value for the
editor), where it stands in a flow (`role`), its container slots and the
names those slots bind, the config field that names its result variable,
the edges it may have, validation hooks for rules across its fields and
across the graph (graph_rules.py), and how the canvas draws it
(`Drawing`). Only plain data and small functions of a config live here:
the graph domain never imports the compiler, so the compiler keeps its emit
functions in its own table, keyed by type name (compiler/emit/registry.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .drawing import Drawing
from .fields import ConfigError, Field
from .graph_rules import GraphCheck

# Where a node stands in a flow; lowering (compiler/lower.py) turns each role into its block.
ENTRY = "entry"  # the start node: where the top-level flow begins; emits nothing itself
STEP = "step"  # one statement of the flow (an activity, a timer, an end)
BRANCH = "branch"  # a condition: `true` and `false` edges, re-joined after
CONTAINER = "container"  # holds other nodes in slots
DECLARATION = "declaration"  # describes the workflow (state, handlers); no edges, not in a flow
ROLES = (ENTRY, STEP, BRANCH, CONTAINER, DECLARATION)

# A rule across fields: the cleaned config in, (field, message) pairs out.
ConfigCheck = Callable[[dict[str, Any]], list[tuple[str, str]]]


@dataclass(frozen=True)
class NodeType:
    """A node type: its config schema, its place in the graph and everything else specific to it."""

    name: str
    title: str
    description: str
    category: str
    icon: str
    fields: tuple[Field, ...] = ()
    role: str = STEP
    # Containers hold other nodes; each child sits in one slot.
    slots: tuple[str, ...] = ()
    # Edge kinds that may leave a node of this type; None: `next`, or none for a declaration or a step that
    # ends the run.
    out_edges: tuple[str, ...] | None = None
    # The config field naming the workflow variable that receives the node's result; when the field maps
    # variables to expressions (an assign's `values`), its keys are the variables the node sets.
    result_field: str | None = None
    # A step that ends the run wherever it stands (nothing runs after it).
    ends_run: bool = False
    # A container that ends the run when this slot does (a phase whose body returns).
    returns_with: str | None = None
    # Names the container's slots bind for the expressions inside them (vocabulary.py).
    slot_names: tuple[str, ...] = ()
    # Names every expression field of the node itself may use (a signal handler's payload).
    own_names: tuple[str, ...] = ()
    # Fields evaluated once per item, where `item` names it.
    item_fields: tuple[str, ...] = ()
    # Rules across fields, run after each field is cleaned.
    checks: tuple[ConfigCheck, ...] = ()
    # Rules across the graph about this type's nodes (exactly one start), run by the validator.
    graph_checks: tuple[GraphCheck, ...] = ()
    drawing: Drawing = field(default_factory=Drawing)

    def __post_init__(self) -> None:
        if self.out_edges is None:
            object.__setattr__(self, "out_edges", () if self.role == DECLARATION or self.ends_run else ("next",))
        assert self.role in ROLES, f"{self.name}: unknown role {self.role!r}"
        assert (self.role == CONTAINER) == bool(self.slots), f"{self.name}: containers, and only they, have slots"
        container_drawn = self.drawing.shape == "container"
        assert (self.role == CONTAINER) == container_drawn, f"{self.name}: containers, and only they, are drawn so"
        assert self.returns_with is None or self.returns_with in self.slots, f"{self.name}: returns_with is a slot"
        if self.role == DECLARATION or self.ends_run:
            assert not self.out_edges, f"{self.name}: a declaration or a final step has no outgoing edges"
        assert self.result_field is None or self.field(self.result_field), f"{self.name}: no {self.result_field}"
        unknown = [name for name in self.item_fields if not self.field(name)]
        assert not unknown, f"{self.name}: item fields {unknown} are not fields"

    @property
    def is_container(self) -> bool:
        return self.role == CONTAINER

    @property
    def is_declaration(self) -> bool:
        return self.role == DECLARATION

    @property
    def tracked(self) -> bool:
        """Whether the built-in `progress` query reports nodes of this type (steps that run, containers)."""
        return self.role in (STEP, CONTAINER) and not self.ends_run

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def result_names(self, config: Any) -> list[str]:
        """The workflow variables a node with this (possibly unchecked) config sets, in config order."""
        value = config.get(self.result_field) if self.result_field and isinstance(config, dict) else None
        if isinstance(value, dict):
            return [name for name in value if isinstance(name, str) and name]
        return [value] if isinstance(value, str) and value else []

    def defaults(self) -> dict[str, Any]:
        return {f.name: f.initial() for f in self.fields if f.default is not None}

    def starter_config(self) -> dict[str, Any]:
        """A new node's config in the editor: each field's example, so it saves before it is filled in."""
        return {f.name: f.example for f in self.fields if f.example is not None}

    def clean_config(self, config: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
        """Normalised config and field errors ({} when valid). Never raises."""
        if not isinstance(config, dict):
            return {}, {"config": ["must be a JSON object"]}
        errors: dict[str, list[str]] = {}
        known = {f.name for f in self.fields}
        for name in sorted(set(config) - known):
            errors[str(name)] = [
                f"is not a setting of {self.title} nodes (known: {', '.join(sorted(known)) or 'none'})"
            ]
        cleaned: dict[str, Any] = {}
        for spec in self.fields:
            try:
                value = spec.clean_value(config.get(spec.name))
            except ConfigError as error:
                errors[spec.name] = [str(error)]
                continue
            if value is not None:
                cleaned[spec.name] = value
        for name, message in self.check_across(cleaned):
            errors.setdefault(name, []).append(message)
        return cleaned, errors

    def check_across(self, cleaned: dict[str, Any]) -> list[tuple[str, str]]:
        """(field, message) for each rule across fields that `cleaned` breaks."""
        return [problem for check in self.checks for problem in check(cleaned)]


def required_when(flag: str, value: Any, needed: str, message: str) -> ConfigCheck:
    """A check: `needed` must be given when the config's `flag` equals `value`."""

    def check(config: dict[str, Any]) -> list[tuple[str, str]]:
        return [(needed, message)] if config.get(flag) == value and not config.get(needed) else []

    return check
