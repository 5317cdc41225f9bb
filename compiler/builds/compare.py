"""Two builds of a project side by side: per workflow, what changed in its graph and in its generated code.

The graphs are the documents each build stored (compiler.models.BuildGraph),
compared by node key and edge name (workflows/document_diff.py); the code is
the builds' sources, as a unified diff. Four queries whatever the sizes.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from compiler.builds.deploy import changes_between
from compiler.models import Deployment
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
    comparisons = []
    for identifier, change in changes_between(before.sources, after.sources).items():
        old, new = documents[before.pk].get(identifier) or {}, documents[after.pk].get(identifier) or {}
        graph = diff_documents(old, new, before_name=before_id, after_name=after_id)
        del graph["text"]
        code = difflib.unified_diff(
            before.sources.get(identifier, "").splitlines(keepends=True),
            after.sources.get(identifier, "").splitlines(keepends=True),
            fromfile=f"{before_id}/{identifier}.py",
            tofile=f"{after_id}/{identifier}.py",
        )
        comparisons.append(WorkflowComparison(identifier, change, graph, "".join(code)))
    return comparisons


def _build(project, build_id: str) -> Deployment:
    found = Deployment.objects.filter(project=project, build_id=build_id).first()
    if found is None:
        raise ValidationError({"build": [f"'{project.name}' has no build {build_id!r}."]})
    return found
