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

New node types slot in by adding a block class here, its lowering rule in
`lower.py` and its printer in the emitter; nothing else changes.
"""

from __future__ import annotations

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
class Phase:
    """A phase container: its body runs once and names the current phase."""

    node: IRNode
    body: Sequence


@dataclass
class Retry:
    """A retry_block: `body` is retried up to max_attempts; `remediation` runs between attempts."""

    node: IRNode
    body: Sequence
    remediation: Sequence


@dataclass
class Loop:
    """A loop container: `body` repeats while the loop's expression holds (continue-as-new aside)."""

    node: IRNode
    body: Sequence


@dataclass
class Spawn:
    """A spawner: child workflows over a list of items; `on_complete` runs once
    per finished child (compiler/emit/spawn.py prints it)."""

    node: IRNode
    on_complete: Sequence


Block = Step | If | Try | Phase | Retry | Loop | Spawn


@dataclass
class WorkflowTree:
    """Everything the emitter needs for one workflow module.

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
    signals: list[IRNode] = field(default_factory=list)
    queries: list[IRNode] = field(default_factory=list)
    variables: list[tuple[str, IRNode]] = field(default_factory=list)
    tracked: list[str] = field(default_factory=list)
