"""The run page's state panel (issue 18 item 1): the workflow's own queries, answered live, refreshed with the run."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from compiler.builds.deploy import deploy_project
from compiler.runs.control import signal_run, start_run
from tests.compiler.run_documents import greeter_document
from tests.compiler.runs.test_control import wait_until
from tests.factories import make_project, make_user, make_workflow_from_document
from tests.workflows.editor_support import client_for
from tests.workflows.run_support import start_worker, temporal_address  # noqa: F401 - fixtures

STATE_QUERY = {
    "key": "q-state",
    "type": "query",
    "label": "State",
    "config": {"name": "state", "expression": "{'approved': approved, 'approvers': approvers}"},
}


@pytest.mark.temporal
def test_the_state_panel_shows_the_query_before_and_after_a_signal(start_worker, settings):  # noqa: F811
    settings.WORKFLOW_ACTIVITY_MODULES = ["compiler.activities.builtins"]
    owner = make_user()
    project = make_project(owner, name="Stateful")
    document = greeter_document()
    document["nodes"].append(STATE_QUERY)
    make_workflow_from_document(project, document)
    worker = start_worker(project.slug)
    assert deploy_project(project, owner, activation_wait=60).deployment.status == "current", worker.output
    ref = start_run(project, "greeter", {"name": "Ada"}, workflow_id="stateful")
    page = reverse("workflows:run-detail", args=(project.slug, ref.workflow_id))
    client = client_for(owner)

    def panel(text: str):
        body = html.unescape(client.get(page, HTTP_HX_REQUEST="true").content.decode())
        return text in body and body

    before = wait_until(lambda: panel('"approved": false'))
    assert before, html.unescape(client.get(page, HTTP_HX_REQUEST="true").content.decode())
    assert 'id="run-queries"' in before and 'id="query-state"' in before
    assert 'id="query-progress"' not in before, "progress is drawn on the graph, not repeated"
    signal_run(project, ref.workflow_id, "approve", {"by": "Bo"})
    after = wait_until(lambda: panel('"Bo"'))
    assert after and '"approved": true' in after
