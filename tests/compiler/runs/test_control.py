"""compiler.runs.control and compiler.runs.history on a real dev server with a real `run_worker` process."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError

from compiler.builds.deploy import deploy_project
from compiler.runs.control import (
    RunNotFound,
    cancel_run,
    list_runs,
    run_counts,
    run_id_in,
    signal_run,
    start_run,
    terminate_run,
)
from compiler.runs.history import describe_run
from tests.compiler.run_documents import flaky_document, greeter_document
from tests.factories import make_project, make_user, make_workflow_from_document

GREETER_ACTIVITIES = "compiler.activities.builtins"


@pytest.fixture
def deployed(start_worker, settings):
    """A project with the greeter workflow, deployed and current, its worker running."""
    settings.WORKFLOW_ACTIVITY_MODULES = [GREETER_ACTIVITIES]
    project = make_project(make_user(), name="Greetings")
    make_workflow_from_document(project, greeter_document())
    worker = start_worker(project.slug)
    result = deploy_project(project, project.owner, activation_wait=20)
    assert result.deployment.status == "current", worker.output
    return project


def wait_until(check, timeout: float = 20.0):
    """Poll `check()` until it returns something truthy (Temporal's visibility is eventually consistent)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def test_a_run_is_started_listed_described_and_finished_by_its_signal(deployed):
    project = deployed
    ref = start_run(project, "greeter", {"name": "Ada", "nap": 0.2}, user=project.owner)
    assert ref.workflow_id.startswith(run_id_in(project, "greeter-")) and ref.run_id

    def waiting_for_approval():
        """The loop waits (progress query) and the history read before it already holds the finished nap."""
        detail = describe_run(project, ref.workflow_id)
        looping = detail.statuses.get("wait-approval", {}).get("status") == "running"
        return looping and any(step.key == "nap" and step.close for step in detail.steps) and detail

    waiting = wait_until(waiting_for_approval)
    assert waiting.is_open and waiting.input == {"name": "Ada", "nap": 0.2}
    assert waiting.statuses["start"]["status"] == "completed"
    assert waiting.statuses["nap"]["status"] == "completed"
    nap = next(step for step in waiting.steps if step.key == "nap")
    assert (nap.kind, nap.name, nap.input, nap.output) == ("activity", "sleep", {"seconds": 0.2}, {"slept": 0.2})
    assert nap.attempts == 1 and nap.duration >= 0.2
    [approve] = waiting.signals
    assert (approve["name"], approve["label"], approve["template"]) == ("approve", "Approve", '{"by": ""}')
    assert approve["payload_fields"] == [{"name": "by", "type": "str", "required": True}]
    assert waiting.web_url.endswith(f"/workflows/{quote(ref.workflow_id, safe='')}/{ref.run_id}/history")
    assert waiting.build_id == project.deployments.get().build_id

    runs = wait_until(lambda: list_runs(project, "greeter"))
    assert [(r.workflow_id, r.status, r.build_id) for r in runs] == [
        (ref.workflow_id, "running", project.deployments.get().build_id)
    ]

    with pytest.raises(ValidationError) as bad_payload:
        signal_run(project, ref.workflow_id, "approve", {"by": 42})
    assert bad_payload.value.message_dict == {"by": ["must be text, not int"]}
    with pytest.raises(ValidationError) as unknown:
        signal_run(project, ref.workflow_id, "reject", {})
    assert unknown.value.message_dict == {"signal": ["'reject' is not a signal of greeter (declared: approve)"]}

    signal_run(project, ref.workflow_id, "approve", {"by": "Grace"})
    finished = wait_until(lambda: (d := describe_run(project, ref.workflow_id)).status == "completed" and d)
    assert finished.result == {"greeted": "Ada", "by": ["Grace"], "napped": {"slept": 0.2}}
    assert finished.statuses["done"]["status"] == "completed"
    # Closed, but its build still has a worker: the progress query (by replay) knows the loop and its body.
    assert finished.statuses["wait-approval"]["status"] == "completed"
    assert finished.statuses["tick"]["status"] == "skipped", "the loop ended before its body ever ran"
    assert [step.key for step in finished.steps][:1] == ["nap"]
    assert any(step.key == "note" and step.kind == "timer" and step.status == "completed" for step in finished.steps)
    [signal] = [step for step in finished.steps if step.kind == "signal"]
    assert (signal.key, signal.name, signal.input) == ("on-approve", "approve", {"by": "Grace"})
    assert finished.statuses["on-approve"]["status"] == "completed"
    assert finished.duration > 0


def test_a_retrying_step_shows_its_attempts_and_the_failure_ends_the_run(start_worker, settings, monkeypatch):
    settings.WORKFLOW_ACTIVITY_MODULES = [GREETER_ACTIVITIES]
    # The worker may call the closed port (loopback needs an exact entry), so the call fails and is retried.
    monkeypatch.setenv("HTTP_ACTIVITY_ALLOWED_HOSTS", "http://127.0.0.1:1")
    project = make_project(make_user(), name="Flaky")
    make_workflow_from_document(project, flaky_document())
    start_worker(project.slug)
    assert deploy_project(project, project.owner, activation_wait=20).deployment.status == "current"
    ref = start_run(project, "flaky", {})

    retrying = wait_until(
        lambda: (d := describe_run(project, ref.workflow_id)).pending and d.pending[0]["attempt"] >= 2 and d
    )
    assert retrying, "the call was never retried"
    [pending] = retrying.pending
    assert (pending["activity_id"], pending["activity"], pending["maximum_attempts"]) == ("call", "http_request", 3)
    assert pending["last_failure"], "the failed attempt's error is shown"
    assert retrying.statuses["call"] == {"status": "retrying", "attempt": pending["attempt"]}

    failed = wait_until(lambda: (d := describe_run(project, ref.workflow_id)).status == "failed" and d)
    assert failed.failure.startswith("Activity task failed: ") and failed.pending == []
    [call] = failed.steps
    assert (call.key, call.status, call.attempts) == ("call", "failed", 3)
    assert call.error and failed.statuses["call"]["status"] == "failed"


def test_cancel_and_terminate_close_the_run(deployed):
    project = deployed
    first = start_run(project, "greeter", {"name": "Ada"})
    second = start_run(project, "greeter", {"name": "Bob"}, workflow_id="greeter-bob")
    assert second.workflow_id == run_id_in(project, "greeter-bob")
    cancel_run(project, first.workflow_id)
    terminate_run(project, second.workflow_id, reason="test is over")
    assert wait_until(lambda: describe_run(project, first.workflow_id).status == "canceled")
    terminated = describe_run(project, second.workflow_id)
    assert (terminated.status, terminated.failure) == ("terminated", "terminated: test is over")
    with pytest.raises(ValidationError, match="already finished"):
        signal_run(project, second.workflow_id, "approve", {"by": "late"})
    assert wait_until(lambda: run_counts(project, "greeter") == {"canceled": 1, "terminated": 1}), run_counts(
        project, "greeter"
    )


def test_a_workflow_id_already_running_is_refused_with_the_field_named(deployed):
    project = deployed
    start_run(project, "greeter", {"name": "Ada"}, workflow_id="only-one")
    with pytest.raises(ValidationError) as taken:
        start_run(project, "greeter", {"name": "Ada"}, workflow_id="only-one")
    assert "already running" in taken.value.message_dict["workflow_id"][0]
    terminate_run(project, "only-one")


def test_runs_of_another_project_are_not_found(db, temporal_address, temporal_env, run_async, settings):
    settings.WORKFLOW_ACTIVITY_MODULES = [GREETER_ACTIVITIES]
    mine = make_project(make_user(), name="Mine")
    theirs = make_project(make_user(), name="Theirs")
    make_workflow_from_document(mine, greeter_document())
    handle = run_async(temporal_env.client.start_workflow("greeter", {}, id="theirs-run", task_queue=theirs.task_queue))
    with pytest.raises(RunNotFound):
        describe_run(mine, handle.id)
    with pytest.raises(RunNotFound):
        signal_run(mine, handle.id, "approve", {"by": "me"})
    with pytest.raises(RunNotFound):
        describe_run(mine, "no-such-run")
    run_async(handle.terminate())


def test_a_run_without_a_worker_or_a_graph_is_still_described(db, temporal_address, temporal_env, run_async):
    """A workflow type the project no longer has, on the project's queue, with nobody to answer the query."""
    project = make_project(make_user(), name="Ghosts")
    handle = run_async(
        temporal_env.client.start_workflow(
            "ghost", {"x": 1}, id=run_id_in(project, "ghost-run"), task_queue=project.task_queue
        )
    )
    detail = describe_run(project, "ghost-run")
    assert (detail.workflow, detail.status, detail.input) == ("ghost", "running", {"x": 1})
    assert detail.signals == [] and detail.steps == []
    assert detail.progress_note.startswith("No worker answered the progress query")
    run_async(handle.terminate())


def test_input_is_checked_against_the_start_node_fields(db):
    project = make_project(make_user(), name="Checked")
    make_workflow_from_document(project, greeter_document())
    with pytest.raises(ValidationError) as problems:
        start_run(project, "greeter", {"nap": "long", "colour": "red"})
    assert problems.value.message_dict == {
        "name": ["is required (text)"],
        "nap": ["must be a number, not str"],
        "colour": ["is not a declared field (declared: name, nap)"],
    }
    with pytest.raises(ValidationError) as not_an_object:
        start_run(project, "greeter", ["Ada"])
    assert not_an_object.value.message_dict == {"input": ["must be a JSON object (fields: name, nap)"]}
    with pytest.raises(ValidationError) as unknown:
        start_run(project, "nope", {})
    assert unknown.value.message_dict == {"workflow": ["'checked' has no workflow 'nope' (known: greeter)."]}


def test_starting_without_a_current_deployment_is_refused(db):
    project = make_project(make_user(), name="Undeployed")
    make_workflow_from_document(project, greeter_document())
    with pytest.raises(ValidationError, match="'Undeployed' has no current deployment: deploy it"):
        start_run(project, "greeter", {"name": "Ada"})
