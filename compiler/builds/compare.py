"""Two builds of a project side by side, or a draft against the newest build: graph and code changes.

The graphs are the documents each build stored (compiler.models.BuildGraph),
compared by node key and edge name (workflows/document_diff.py); the code is
the builds' sources, as a unified diff. Four queries whatever the sizes.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from compiler.builds.deploy import changes_between
from compiler.models import Deployment, newest_deployment
from compiler.project_reader import compile_project, document_in_build, graph_document, load_project
from workflows.document_diff import diff_documents


@dataclass(frozen=True)
class WorkflowComparison:
    identifier: str
    change: str  # added / changed / removed / unchanged: the generated code
    graph: dict  # workflow fields, nodes and edges added / changed / removed (no text)
    code_diff: str  # unified diff of the generated module; empty when equal


def compare_builds(project, before_id: str, after_id: str) -> list[WorkflowComparison]:
    """Every workflow of either build; ValidationError naming a build the project does not have."""
    before, after = _build(project, before_id), _build(project, after_id)
    documents = {d.pk: dict(d.graphs.values_list("identifier", "document")) for d in (before, after)}
    return [
        _compare(
            identifier,
            change,
            (documents[before.pk].get(identifier) or {}, before.sources.get(identifier, ""), before_id),
            (documents[after.pk].get(identifier) or {}, after.sources.get(identifier, ""), after_id),
        )
        for identifier, change in changes_between(before.sources, after.sources).items()
    ]


@dataclass(frozen=True)
class DraftComparison:
    """A workflow's draft against the newest build: the comparison and both documents (to draw them)."""

    build_id: str  # "" when the newest build lacks the workflow (or there is no build)
    comparison: WorkflowComparison
    deployed: dict | None
    draft: dict
    draft_errors: int  # a draft with errors has no code to compare: a deploy would keep the build's revision


def compare_draft(project, identifier: str) -> DraftComparison:
    """The draft of `identifier` (compiled with the project's drafts) against the newest build's revision."""
    drafts = load_project(project)
    result = compile_project(project, drafts)[identifier]
    draft = graph_document(drafts[identifier])
    newest = newest_deployment(project)
    deployed = document_in_build(newest, identifier) if newest is not None else None
    built = newest.sources.get(identifier, "") if deployed is not None else ""
    build_id = newest.build_id if deployed is not None else ""
    change = changes_between({identifier: built} if built else {}, {identifier: result.source} if result.ok else {})
    comparison = _compare(
        identifier,
        change.get(identifier, "unchanged"),
        (deployed or {}, built, build_id or "deployed"),
        (draft, result.source or "", "draft"),
    )
    errors = sum(1 for d in result.diagnostics if d.is_error)
    return DraftComparison(build_id, comparison, deployed, draft, errors)


def _compare(identifier: str, change: str, before: tuple, after: tuple) -> WorkflowComparison:
    """`before` and `after` are (document, source, name)."""
    (old_document, old_source, old_name), (new_document, new_source, new_name) = before, after
    graph = diff_documents(old_document, new_document, before_name=old_name, after_name=new_name)
    del graph["text"]
    code = difflib.unified_diff(
        old_source.splitlines(keepends=True),
        new_source.splitlines(keepends=True),
        fromfile=f"{old_name}/{identifier}.py",
        tofile=f"{new_name}/{identifier}.py",
    )
    return WorkflowComparison(identifier, change, graph, "".join(code))


def _build(project, build_id: str) -> Deployment:
    found = Deployment.objects.filter(project=project, build_id=build_id).first()
    if found is None:
        raise ValidationError({"build": [f"'{project.name}' has no build {build_id!r}."]})
    return found
