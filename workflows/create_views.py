"""The "New workflow" form of the project page: a workflow that already runs, opened in the editor.

A new workflow starts as Start -> End (a valid graph a user can deploy and
run at once, and the place to add steps between). It is written through
`workflows.services.workflow_import`, the validated path every graph takes,
so it is one atomic write with one revision. Editors only (403 for viewers,
404 for non-members).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from projects.create_views import UNPROCESSABLE, redirect_to
from projects.forms import WorkflowCreateForm
from projects.models import Role
from projects.permissions import get_project_for
from workflows.documents import FORMAT
from workflows.services import DocumentInvalid, workflow_import


def starter_document(*, identifier: str, name: str, description: str) -> dict:
    """Start connected to End: the smallest graph that validates, compiles and runs."""
    return {
        "format": FORMAT,
        "identifier": identifier,
        "name": name or identifier,
        "description": description,
        "nodes": [
            {"key": "start", "type": "start", "label": "Start", "config": {}},
            {"key": "end", "type": "end", "label": "End", "config": {}},
        ],
        "edges": [{"source": "start", "target": "end", "kind": "next"}],
    }


@login_required
def workflow_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    project, _ = get_project_for(request.user, slug, Role.EDITOR)
    form = WorkflowCreateForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            document = starter_document(**form.cleaned_data)
            workflow = workflow_import(project=project, user=request.user, document=document)
        except DocumentInvalid as error:
            for problem in error.problems:
                form.add_error(problem["field"] if problem["field"] in form.fields else None, problem["message"])
        else:
            return redirect_to(request, reverse("workflows:editor", args=(project.slug, workflow.identifier)))
    template = "workflows/_workflow_form.html" if request.htmx else "workflows/create.html"
    context = {"project": project, "workflow_form": form}
    return render(request, template, context, status=UNPROCESSABLE if form.errors else 200)
