"""How a workflow's draft differs from the newest build: the editor's "3 changes not deployed".

The newest build (pending or current: what new runs get, or will get once a
worker serves it) stored the document it compiled for each workflow
(compiler.models.BuildGraph); the draft is compared with that document by
node key and edge name (workflows/document_diff.py). Two or three queries,
whatever the number of builds and revisions. `project_states` does it for
every workflow of a project at once, for the project page.
"""

from __future__ import annotations

from dataclasses import dataclass

from compiler.ir import Graph
from compiler.models import BuildGraph, newest_deployment
from compiler.project_reader import compile_project, document_in_build, graph_document, load_drafts
from workflows.document_diff import change_count


@dataclass(frozen=True)
class DraftStatus:
    """The draft against the newest build; `build_id` is "" when the workflow is not in it."""

    build_id: str = ""
    changes: int = 0
    ever_built: bool = False

    def __str__(self) -> str:
        if not self.build_id:
            return "in an older build only, not in the newest" if self.ever_built else "not in any build yet"
        if not self.changes:
            return f"deployed as it is (build {self.build_id})"
        noun = "change" if self.changes == 1 else "changes"
        return f"{self.changes} {noun} not deployed (build {self.build_id})"


def draft_status(project, workflow_id: int, draft: Graph) -> DraftStatus:
    """Compare `draft` (the workflow's loaded graph) with what the newest build has for it."""
    newest = newest_deployment(project)
    document = document_in_build(newest, draft.identifier) if newest is not None else None
    if document is None:
        return DraftStatus(ever_built=BuildGraph.objects.filter(workflow_id=workflow_id).exists())
    return DraftStatus(newest.build_id, change_count(document, graph_document(draft)), True)


@dataclass(frozen=True)
class WorkflowState:
    """One row of the project page's deploy card."""

    identifier: str
    state: str  # "has errors", "changed since deploy", "deployed", "not in the newest build", "never deployed"
    detail: str = ""


def project_states(project) -> list[WorkflowState]:
    """Each workflow's draft against the newest build; drafts are compiled together, as a deploy would."""
    drafts = load_drafts(project)
    results = compile_project(project, {identifier: draft.graph for identifier, draft in drafts.items()})
    newest = newest_deployment(project)
    built = dict(BuildGraph.objects.filter(deployment=newest).values_list("identifier", "document")) if newest else {}
    ever = set(BuildGraph.objects.filter(workflow__project=project).values_list("workflow_id", flat=True))
    states = []
    for identifier, draft in sorted(drafts.items()):
        errors = sum(1 for d in results[identifier].diagnostics if d.is_error)
        changes = change_count(built[identifier], graph_document(draft.graph)) if identifier in built else 0
        if errors:
            states.append(WorkflowState(identifier, "has errors", f"{errors} error" + ("s" if errors > 1 else "")))
        elif identifier in built:
            status = DraftStatus(newest.build_id, changes, True)
            states.append(WorkflowState(identifier, "changed since deploy" if changes else "deployed", str(status)))
        else:
            states.append(
                WorkflowState(identifier, "not in the newest build" if draft.workflow_id in ever else "never deployed")
            )
    return states
