"""Which revision of each workflow a deploy ships (docs/operations.md, "Drafts, revisions and builds").

A workflow's draft is its newest revision. A deploy takes the draft of every
workflow that validates; a workflow whose draft has errors keeps the
revision it has in the newest build, or stays out when it has none there.
References between workflows (children, signal targets, spawners) are
checked against the set actually chosen: when a draft's child stays out,
the draft no longer validates and falls back in turn, so the set is
compiled again until nothing changes (each workflow falls back at most
twice: draft -> kept -> out, so this ends).

`select_revisions` reads the drafts and the newest build and chooses;
`record_graphs` stores the choice with the build (compiler.models.BuildGraph).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from compiler.diagnostics import Diagnostic
from compiler.ir import Graph
from compiler.models import BuildGraph, Deployment
from compiler.pipeline import CompileResult
from compiler.project_reader import Draft, Shipped, compile_project, graph_document, load_drafts, shipped_revisions
from projects.models import Project
from workflows.models import Revision

DRAFT, KEPT, OUT = "draft", "kept", "out"


@dataclass
class Choice:
    """What the deploy did with one workflow, and why."""

    identifier: str
    what: str  # DRAFT, KEPT or OUT
    workflow_id: int
    revision_number: int | None = None
    revision_id: int | None = None  # known for a kept revision; a deploy looks up the draft's
    source: str = ""
    graph: Graph | None = None
    # The errors of the draft (why it was not taken), or of the kept revision (why it is out too).
    errors: list[Diagnostic] = field(default_factory=list)
    kept_errors: list[Diagnostic] = field(default_factory=list)
    # What the compiler said about the graph that ships (warnings; no errors).
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def shipped(self) -> bool:
        return self.what != OUT

    def line(self, change: str, previous_build: str) -> str:
        """What the deploy says about this workflow ("package-build: revision 12 (changed)")."""
        if self.what == DRAFT:
            return f"{self.identifier}: revision {self.revision_number} ({change})"
        draft_errors = _count(self.errors)
        if self.what == KEPT:
            return (
                f"{self.identifier}: kept revision {self.revision_number} from build {previous_build}: "
                f"draft has {draft_errors}"
            )
        if self.kept_errors:
            return (
                f"{self.identifier}: not included: draft has {draft_errors}, and revision {self.revision_number} "
                f"of build {previous_build} no longer validates ({_count(self.kept_errors)})"
            )
        return f"{self.identifier}: not included: {draft_errors}"


@dataclass
class Selection:
    choices: dict[str, Choice]
    # Every draft's diagnostics, compiled against every other draft: what `--strict` refuses on.
    draft_diagnostics: dict[str, list[Diagnostic]]

    @property
    def sources(self) -> dict[str, str]:
        return {identifier: c.source for identifier, c in self.choices.items() if c.shipped}

    def draft_errors(self) -> list[Diagnostic]:
        return [d for found in self.draft_diagnostics.values() for d in found if d.is_error]

    def diagnostics(self) -> dict[str, list[Diagnostic]]:
        """Each draft's diagnostics, with the errors it got against the chosen set (a child that stayed out)."""
        found = {identifier: list(diagnostics) for identifier, diagnostics in self.draft_diagnostics.items()}
        for identifier, choice in self.choices.items():
            later = [error for error in choice.errors if error not in found.get(identifier, [])]
            if later:
                found[identifier] = [*later, *found.get(identifier, [])]
        return found

    def shipped_diagnostics(self) -> dict[str, list[Diagnostic]]:
        """The compiler's findings per shipped workflow (what a build records)."""
        return {i: c.diagnostics for i, c in self.choices.items() if c.shipped and c.diagnostics}

    def lines(self, changed: Mapping[str, str], previous_build: str) -> list[str]:
        """One line per workflow of the project, and one per workflow of the previous build that is gone."""
        gone = [f"{i}: removed (no longer in the project)" for i in changed if i not in self.choices]
        return [*(c.line(changed.get(i, ""), previous_build) for i, c in self.choices.items()), *gone]


def _count(errors: list[Diagnostic]) -> str:
    return f"{len(errors)} error" + ("" if len(errors) == 1 else "s")


Compile = Callable[[Mapping[str, Graph]], dict[str, CompileResult]]


def choose(drafts: Mapping[str, Draft], shipped: Mapping[str, Shipped], compile_set: Compile) -> Selection:
    """Pick draft, kept revision or nothing per workflow; `compile_set` compiles a set of graphs together."""
    choices = {
        identifier: Choice(identifier, DRAFT, draft.workflow_id, draft.version, graph=draft.graph)
        for identifier, draft in drafts.items()
    }
    draft_diagnostics: dict[str, list[Diagnostic]] | None = None
    while True:
        chosen = {identifier: c.graph for identifier, c in choices.items() if c.shipped}
        results = compile_set(chosen) if chosen else {}
        if draft_diagnostics is None:
            draft_diagnostics = {i: list(r.diagnostics) for i, r in results.items() if r.diagnostics}
        failing = [identifier for identifier, result in results.items() if not result.ok]
        if not failing:
            break
        for identifier in failing:
            _fall_back(choices[identifier], results[identifier], shipped.get(identifier))
    for identifier, result in results.items():
        choices[identifier].source, choices[identifier].diagnostics = result.source, list(result.diagnostics)
    return Selection(dict(sorted(choices.items())), draft_diagnostics)


def _fall_back(choice: Choice, result: CompileResult, shipped: Shipped | None) -> None:
    """One step back: the draft gives way to the shipped revision, a shipped revision to nothing."""
    errors = [d for d in result.diagnostics if d.is_error]
    if choice.what == DRAFT:
        choice.errors = errors
        if shipped is not None:
            choice.what, choice.graph = KEPT, shipped.graph
            choice.revision_number, choice.revision_id = shipped.revision_number, shipped.revision_id
            return
    else:
        choice.kept_errors = errors
    choice.what, choice.graph = OUT, None


def select_revisions(project: Project, newest: Deployment | None) -> Selection:
    """The choice for `project` against its newest build (None: the first deploy)."""
    shipped = shipped_revisions(newest) if newest is not None else {}
    return choose(load_drafts(project), shipped, lambda graphs: compile_project(project, graphs))


def record_graphs(deployment: Deployment, selection: Selection) -> None:
    """Store, per shipped workflow, the revision and the document it was compiled from (replacing older rows).

    A deploy whose code equals an existing build's (a trigger or layout edit,
    a rollback) updates that build's graphs: the code is the same, and the
    graphs are what schedules and run pages read.
    """
    shipped = [c for c in selection.choices.values() if c.shipped]
    drafts = Q()
    for choice in shipped:
        if choice.what == DRAFT:
            drafts |= Q(workflow_id=choice.workflow_id, number=choice.revision_number)
    revisions = (
        {(w, n): pk for pk, w, n in Revision.objects.filter(drafts).values_list("pk", "workflow_id", "number")}
        if drafts
        else {}
    )
    with transaction.atomic():
        BuildGraph.objects.filter(deployment=deployment).delete()
        BuildGraph.objects.bulk_create(
            BuildGraph(
                deployment=deployment,
                identifier=c.identifier,
                workflow_id=c.workflow_id,
                revision_id=c.revision_id or revisions.get((c.workflow_id, c.revision_number)),
                revision_number=c.revision_number,
                document=graph_document(c.graph),
            )
            for c in shipped
        )
