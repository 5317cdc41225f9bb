"""The structured tree that lowering produces and the emitter prints.

A graph is a set of nodes and edges; Python code is nested blocks. Lowering
(compiler/lower.py) turns each container slot's flow of edges into these
blocks: a `Sequence` of steps, where a condition becomes an `If` whose two
branches re-join at the condition's immediate post-dominator, and a step with
an `error` edge becomes a `Try` whose failure and success paths re-join the
same way. Containers become blocks holding their slots' sequences.

Every block keeps the IR node it came from, so the emitter can read the
node's config and label, and the node key stays visible in the generated
code (activity ids, progress tracking, comments).

Lowering needs no rule per node type: a type's role in the registry
(workflows/node_types/node_type.py) says which block it becomes, and its
emitter, found by type name, prints it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from compiler.ir import IRNode


@dataclass
class Sequence:
    """Steps run one after the other."""

    steps: list[Block] = field(default_factory=list)


@dataclass
class Step:
    """A single flow node run for its effect: activity, agent, child_workflow,
    signal_send, timer or end (which returns from the workflow)."""

    node: IRNode


@dataclass
class If:
    """A condition node; both branches continue at the same point afterwards."""

    node: IRNode
    then: Sequence
    orelse: Sequence


@dataclass
class Try:
    """A step with an `error` edge: `on_error` runs when the step fails (after
    its own retries), `on_success` when it succeeds; both re-join afterwards."""

    step: Block
    on_error: Sequence
    on_success: Sequence


@dataclass
class Container:
    """A container node (phase, retry_block, loop, spawner, ...): each of its type's
    slots lowered to a sequence, in the type's slot order. Its emitter
    (compiler/emit/registry.py) decides how often and how the slots run."""

    node: IRNode
    slots: dict[str, Sequence]


Block = Step | If | Try | Container


def blocks(steps: Sequence) -> Iterator[Block]:
    """Every block in a sequence, nested ones included, in order."""
    pending: list[Block] = list(reversed(steps.steps))
    while pending:
        item = pending.pop()
        yield item
        if isinstance(item, If):
            inner = [*item.then.steps, *item.orelse.steps]
        elif isinstance(item, Try):
            inner = [item.step, *item.on_error.steps, *item.on_success.steps]
        elif isinstance(item, Container):
            inner = [step for slot in item.slots.values() for step in slot.steps]
        else:
            inner = []
        pending.extend(reversed(inner))


@dataclass
class WorkflowTree:
    """Everything the emitter needs for one workflow module.

    `states` are the state variables; `handlers` the other declarations
    (signal handlers, queries) by type in registry order, each in graph
    order, for their types' emitters to turn into methods;
    `variables` are the workflow-level result variables (result_var /
    output_var of steps) in first-declaration order; `tracked` lists the
    node keys the built-in `progress` query reports, in graph order.
    """

    identifier: str
    name: str
    description: str
    start: IRNode
    body: Sequence
    states: list[IRNode] = field(default_factory=list)
    handlers: dict[str, list[IRNode]] = field(default_factory=dict)
    variables: list[tuple[str, IRNode]] = field(default_factory=list)
    tracked: list[str] = field(default_factory=list)
