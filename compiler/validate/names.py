"""Which names an expression may use, and the expression checks of every node field.

The emitter resolves names with the same `Scope`, so a name the validator
accepts is always a name the generated code defines:

- everywhere: `input`, every state variable, every result variable (the
  field a node type names as `result_field`, so a later step may read an
  earlier result; an assign node's `values` keys);
- inside a container: the names its type's slots bind (`slot_names`: a
  spawner's `item`, `result`, `child_status`, `error`; a retry_block's
  `attempt`, `last_error`); nested containers add up;
- in a type's `item_fields` (a spawner's item_key, input, child_id,
  depends_on): `item`;
- in the steps an error edge leads to, up to where the flow re-joins
  (every path to them from the slot's entry takes an error edge), and
  inside containers among them: `error` (compiler/runtime/errors.py);
- in any field of a type with `own_names`: those (a signal handler's `payload`).

`input.x` must name a declared input field when the start node declares
any (compiler/validate/inputs.py).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator

from compiler.diagnostics import Diagnostic, error
from compiler.expressions.allow_list import FUNCTIONS, ExpressionError
from compiler.expressions.language import check_expression
from compiler.ir import Graph, IRNode
from compiler.validate.inputs import INPUT, declared_input_fields, unknown_input_fields
from vocabulary import ERROR_NAME, ITEM_NAME
from workflows.node_types import NODE_TYPES
from workflows.node_types.fields import IDENTIFIER_RE


def result_field(node_type: str) -> str | None:
    """The config field naming the node's result variable (`result_var`, `output_var`), if its type has one."""
    spec = NODE_TYPES.get(node_type)
    return spec.result_field if spec else None


class Scope:
    """Names visible in a graph's expressions; built once per graph in linear time."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        names = {INPUT}
        for node in graph.nodes:
            config = node.config if isinstance(node.config, dict) else {}
            node_type = NODE_TYPES.get(node.type)
            if node.type == "state" and isinstance(config.get("name"), str) and config["name"]:
                names.add(config["name"])
            elif node_type is not None:
                names.update(node_type.result_names(config))
        self.workflow_names = frozenset(names)
        self.input_fields = declared_input_fields(graph)
        self.after_error = _after_error(graph)
        self._inside: dict[str, frozenset[str]] = {}
        self._with_extra: dict[frozenset[str], frozenset[str]] = {frozenset(): self.workflow_names}

    def names_for(self, node: IRNode, field: str | None = None) -> frozenset[str]:
        """The names an expression in `field` of `node` may use (field None: the node's general fields).

        Only the few container and field names vary between nodes, so each
        combination of them is joined to the workflow names once: asking for
        every node of a large graph stays linear, and equal scopes are the
        same object (cheap keys for the expression cache).
        """
        extra = self._inherited(node.parent)
        if node.key in self.after_error:
            extra |= {ERROR_NAME}
        node_type = NODE_TYPES.get(node.type)
        if node_type is not None and field is not None and field in node_type.item_fields:
            extra |= {ITEM_NAME}
        if node_type is not None and node_type.own_names:
            extra |= frozenset(node_type.own_names)
        if extra not in self._with_extra:
            self._with_extra[extra] = self.workflow_names | extra
        return self._with_extra[extra]

    def problems(self, source: str, names: frozenset[str]) -> tuple[ExpressionError, ...]:
        """Everything wrong with an expression where `names` are visible, input fields included."""
        checked = check_expression(source, known_names=names)
        if checked.tree is None or self.input_fields is None or INPUT not in checked.names:
            return checked.errors
        return tuple(unknown_input_fields(source, checked.tree, self.input_fields))

    def suggestions(self, node: IRNode, field: str | None = None) -> list[str]:
        """What the editor offers while typing in `field` of `node`: the names `names_for` allows (the
        declared `input.x` in place of `input`), then the functions (as `len(`), the validator's own lists."""
        names = sorted(self.names_for(node, field) - {INPUT})
        inputs = [f"{INPUT}.{name}" for name in sorted(self.input_fields)] if self.input_fields else [INPUT]
        return inputs + names + [f"{name}(" for name in sorted(FUNCTIONS)]

    def _inherited(self, parent: str | None) -> frozenset[str]:
        """Names the containers around a node add, memoised per container (parent loops end the walk)."""
        by_key = self.graph.by_key
        chain: list[str] = []
        seen: set[str] = set()
        key = parent
        while key is not None and key not in self._inside and key not in seen and key in by_key:
            chain.append(key)
            seen.add(key)
            key = by_key[key].parent
        names = self._inside.get(key, frozenset()) if key is not None else frozenset()
        for container in reversed(chain):
            container_type = NODE_TYPES.get(by_key[container].type)
            names = names | frozenset(container_type.slot_names if container_type else ())
            if container in self.after_error:
                names = names | {ERROR_NAME}
            self._inside[container] = names
        return names


def _after_error(graph: Graph) -> frozenset[str]:
    """Keys of the nodes every path to which, from their slot's entry, takes an error edge.

    A must-analysis over the edges, linear in their number: a node starts
    as "after an error" when edges lead to it, and stops being one as soon
    as a `next`, `true` or `false` edge from a node that is not leads to it;
    each node changes at most once. Cycles (reported elsewhere) do no harm.
    """
    after = {node.key for node in graph.nodes if graph.incoming(node.key)}
    pending = [node.key for node in graph.nodes if node.key not in after]
    while pending:
        source = pending.pop()
        for edge in graph.outgoing(source):
            if edge.kind != "error" and edge.target in after:
                after.discard(edge.target)
                pending.append(edge.target)
    return frozenset(after)


_last_scope: tuple[weakref.ref, Scope] | None = None


def scope_of(graph: Graph) -> Scope:
    """The graph's Scope, reused while callers ask about the same graph (the emitter asks per node)."""
    global _last_scope
    if _last_scope is not None and _last_scope[0]() is graph:
        return _last_scope[1]
    scope = Scope(graph)
    _last_scope = (weakref.ref(graph), scope)
    return scope


def expression_source(raw, cleaned) -> str | None:
    """The text to check for one expression field: the stored text (so columns match it), else the default."""
    if isinstance(raw, str) and raw.strip():
        return raw
    if isinstance(raw, (bool, int, float)):
        return repr(raw)
    if raw is None or raw == "":
        return cleaned if isinstance(cleaned, str) else None
    return None


def checked_by_expressions(kind: str, raw) -> bool:
    """Whether the expression checks below report this field (then its config error would repeat them)."""
    if kind == "expression":
        return isinstance(raw, str) and bool(raw.strip())
    return kind == "expression_map" and isinstance(raw, dict) and bool(raw)


class ExpressionChecker:
    """Checks every expression of every node (each text is checked once, see compiler.expressions.language._check)."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def node_diagnostics(self, node: IRNode, cleaned: dict) -> Iterator[Diagnostic]:
        node_type = NODE_TYPES.get(node.type)
        if node_type is None:
            return
        raw_config = node.config if isinstance(node.config, dict) else {}
        for spec in node_type.fields:
            raw = raw_config.get(spec.name)
            if spec.kind == "expression":
                source = expression_source(raw, cleaned.get(spec.name))
                if source is not None:
                    yield from self._field(node, spec.name, source, self.scope.names_for(node, spec.name))
            elif spec.kind == "expression_map" and isinstance(raw, dict):
                yield from self._map(node, spec.name, raw)
            elif spec.kind == "signal_actions":
                yield from self._actions(node, cleaned.get(spec.name) or [])

    def _field(self, node: IRNode, field: str, source: str, names: frozenset[str]) -> Iterator[Diagnostic]:
        for problem in self.scope.problems(source, names):
            yield error(
                f"Invalid expression: {problem.message}",
                node=node.key,
                field=field,
                column=problem.column,
                hint=problem.hint or "see docs/expressions.md for what expressions may contain",
            )

    def _map(self, node: IRNode, field: str, entries: dict) -> Iterator[Diagnostic]:
        names = self.scope.names_for(node, field)
        for name, raw in entries.items():
            where = f"{field}.{name}"
            if not isinstance(name, str) or not IDENTIFIER_RE.fullmatch(name):
                yield error(
                    f"'{name}' is not a valid argument name",
                    node=node.key,
                    field=where,
                    hint="use letters, digits and _, starting with a letter",
                )
                continue
            source = expression_source(raw, None)
            if source is None:
                yield error(
                    "Invalid expression: the value must be an expression (text)",
                    node=node.key,
                    field=where,
                    hint="write a value such as 'text', 42 or input.name",
                )
                continue
            yield from self._field(node, where, source, names)

    def _actions(self, node: IRNode, actions: list) -> Iterator[Diagnostic]:
        names = self.scope.names_for(node)
        for index, action in enumerate(actions, start=1):
            if "value" in action:
                yield from self._field(node, f"actions.{index}.value", action["value"], names)
