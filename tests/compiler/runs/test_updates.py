"""Updates on a deployed run: compiler.runs.updates, `manage.py update_workflow`, the API and the run page.

The everyday examples' order workflow (an `update_handler` node `addItem`
with payload fields and a validator, and `close`) runs on a real `run_worker` process against the dev
server. Accepted updates change state and answer their result; a rejected one
answers the validator's message and leaves no event in the run's history.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from rest_framework.test import APIClient
from temporalio.api.enums.v1 import EventType

from compiler import temporal
from compiler.builds.deploy import deploy_project
from compiler.runs.control import run_id_in, start_run
from compiler.runs.history import describe_run
from compiler.runs.updates import update_run
from examples.everyday.graphs import order
from tests.compiler.runs.test_control import wait_until
from tests.factories import make_project, make_user, make_workflow_from_document
from tests.workflows.editor_support import client_for

pytestmark = pytest.mark.temporal


@pytest.fixture
def orders(start_worker, settings):
    settings.WORKFLOW_ACTIVITY_MODULES = ["compiler.activities.builtins"]
    editor, viewer = make_user(), make_user()
    project = make_project(make_user(), name="Orders", editors=[editor], viewers=[viewer])
    make_workflow_from_document(project, order())
    worker = start_worker(project.slug)
    assert deploy_project(project, project.owner, activation_wait=20).deployment.status == "current", worker.output
    return project, editor, viewer


def history_types(project, workflow_id: str) -> list[str]:
    async def fetch(client):
        return await client.get_workflow_handle(run_id_in(project, workflow_id)).fetch_history()

    return [EventType.Name(event.event_type) for event in temporal.call(fetch).events]


def test_updates_are_answered_rejected_and_checked_everywhere(orders, capsys):
    project, editor, viewer = orders
    start_run(project, "order", {}, "order-1", project.owner)

    first = update_run(project, "order-1", "addItem", {"sku": "A-1"})
    assert (first.accepted, first.result) == (True, 1)
    rejected = update_run(project, "order-1", "addItem", {"sku": "A-2", "quantity": 0})
    assert not rejected.accepted and rejected.rejection == "the order is closed or the quantity is not positive"

    with pytest.raises(ValidationError) as bad_payload:
        update_run(project, "order-1", "addItem", {"sku": 7})
    assert bad_payload.value.message_dict == {"sku": ["must be text, not int"]}
    with pytest.raises(ValidationError) as unknown:
        update_run(project, "order-1", "cancel", {})
    assert unknown.value.message_dict == {"update": ["'cancel' is not an update of order (declared: addItem, close)"]}

    call_command(
        "update_workflow", "order-1", "addItem", "--payload", '{"sku": "B-1", "quantity": 2}', "--project", project.slug
    )
    out = capsys.readouterr().out
    assert "Sending update 'addItem' to order-1 (orders)..." in out and "\n2\n" in out
    with pytest.raises(CommandError, match="Update 'addItem' rejected: the order is closed or the quantity"):
        call_command(
            "update_workflow", run_id_in(project, "order-1"), "addItem", "--payload", '{"sku": "x", "quantity": -1}'
        )
    with pytest.raises(CommandError, match=r"Not sent: sku: is required \(text\)"):
        call_command("update_workflow", "order-1", "addItem", "--payload", "{}", "--project", project.slug)

    api = APIClient()
    api.force_login(editor)
    url = reverse("api-run-update", args=(project.slug, "order-1"))
    answered = api.post(url, {"update": "addItem", "payload": {"sku": "C-1"}}, format="json")
    assert (answered.status_code, answered.json()) == (
        200,
        {"update": "addItem", "accepted": True, "result": 3, "rejection": ""},
    )
    refused = api.post(url, {"update": "addItem", "payload": {"sku": "C-2", "quantity": 0}}, format="json")
    assert refused.status_code == 409 and refused.json()["rejection"].startswith("the order is closed")
    assert api.post(url, {"update": "addItem", "payload": {}}, format="json").status_code == 400
    api.force_login(viewer)
    assert api.post(url, {"update": "addItem", "payload": {"sku": "D"}}, format="json").status_code == 403

    page = client_for(editor)
    detail = page.get(
        reverse("workflows:run-detail", args=(project.slug, run_id_in(project, "order-1")))
    ).content.decode()
    assert (
        'name="update" value="addItem"' in detail
        and "{&quot;sku&quot;: &quot;&quot;, &quot;quantity&quot;: 1}" in detail
    )
    form_url = reverse("workflows:run-update", args=(project.slug, run_id_in(project, "order-1")))
    refused_on_page = page.post(form_url, {"update": "addItem", "payload": '{"sku": "E", "quantity": 0}'})
    assert refused_on_page.status_code == 400
    assert "Update &#x27;addItem&#x27; rejected: the order is closed" in refused_on_page.content.decode()
    sent = page.post(form_url, {"update": "close", "payload": ""})
    assert sent.status_code == 200 and "Update &#x27;close&#x27; returned [" in sent.content.decode()

    finished = wait_until(lambda: (d := describe_run(project, "order-1")).status == "completed" and d)
    assert finished.result == {
        "lines": [{"sku": "A-1", "quantity": 1}, {"sku": "B-1", "quantity": 2}, {"sku": "C-1", "quantity": 1}]
    }
    types = history_types(project, "order-1")
    # Four accepted updates (three addItem, one close); the five rejections left nothing in the history.
    assert types.count("EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED") == 4
    assert types.count("EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED") == 4
