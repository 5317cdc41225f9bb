"""Import a document as a draft and say whether it can be deployed.

`workflows.services.workflow_import` refuses only what cannot be stored (an
unknown node type, an edge across containers); a graph that is stored but
does not compile (a cycle, a refused expression, an unconnected node) is a
draft like any other edit. The validator belongs to the compiler, which the
graph domain may not import, so this API module runs it on the stored graph
(read through `compiler.project_reader`, with the project's other workflows,
activities and MCP servers, exactly as the editor does) inside the import's
transaction: a strict import with errors rolls back and nothing is written.
"""

from __future__ import annotations

from django.db import transaction

from compiler.activities.loading import load_configured_activities
from compiler.diagnostics import Diagnostic, has_errors
from compiler.project_reader import load_project, project_mcp_servers
from compiler.validate.graph import validate
from projects.models import Project
from workflows.models import Workflow
from workflows.services import workflow_import


class ImportRefused(Exception):
    """A strict import of a graph with errors; nothing was written."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        errors = sum(1 for d in diagnostics if d.is_error)
        super().__init__(f"Not imported: {errors} error(s) must be fixed first (strict import).")
        self.diagnostics = diagnostics


def workflow_diagnostics(workflow: Workflow) -> list[Diagnostic]:
    """What the editor's diagnostics panel shows for this workflow (three queries)."""
    graphs = load_project(workflow.project)
    return validate(
        graphs[workflow.identifier],
        project_graphs=graphs,
        activities={spec.name: spec for spec in load_configured_activities()},
        mcp_servers=project_mcp_servers(workflow.project),
    )


def import_draft(
    *, project: Project, user, document, identifier: str | None, strict: bool
) -> tuple[Workflow, list[Diagnostic]]:
    """Store the document and validate it; raises DocumentInvalid, or ImportRefused when strict."""
    with transaction.atomic():
        workflow = workflow_import(project=project, user=user, document=document, identifier=identifier)
        diagnostics = workflow_diagnostics(workflow)
        if strict and has_errors(diagnostics):
            raise ImportRefused(diagnostics)
    return workflow, diagnostics


def validation_report(diagnostics: list[Diagnostic]) -> dict:
    """`deployable` and the diagnostics, in the editor's shape (node, edge, field, severity, ...)."""
    return {"deployable": not has_errors(diagnostics), "diagnostics": [d.as_dict() for d in diagnostics]}
