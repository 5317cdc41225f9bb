"""Retry blocks on a real Temporal server: attempts, backoff timers, remediation, exhaustion.

The graph (tests/golden/graphs/retry_block.json) retries a Deploy activity
(one Temporal attempt per block attempt) up to three times with exponential
backoff from 2 s, x3, capped at 5 s, and runs Remediate between attempts
with `attempt` and `last_error`. The time-skipping server fires the backoff
timers at once, and the history still records their durations.
"""

from __future__ import annotations

import json

import pytest
from temporalio import activity
from temporalio.client import WorkflowFailureError
from temporalio.exceptions import ActivityError, ApplicationError, TimeoutError, TimeoutType

from compiler.runtime.progress import Progress
from compiler.runtime.retry import MAX_LOST_WORKERS, RetryBlock, backoff_seconds, error_text
from tests.compiler.documents import GOLDEN_DIR
from tests.compiler.execution import activity_ids, load_documents, run_workflow

pytestmark = pytest.mark.temporal

REMEDIES: list[dict] = []


@activity.defn(name="flaky_deploy")
async def flaky_deploy(arguments: dict) -> dict:
    """Fails while the block's attempt is at most `fail_times`."""
    if arguments["attempt"] <= arguments["fail_times"]:
        raise ApplicationError(f"deploy attempt {arguments['attempt']} failed", type="DeployFailed")
    return {"attempt": arguments["attempt"]}


@activity.defn(name="remediate")
async def remediate(arguments: dict) -> dict:
    REMEDIES.append(arguments)
    return {"fixed_after": arguments["attempt"]}


def retry_document(*, with_error_edge: bool = True) -> dict:
    document = json.loads((GOLDEN_DIR / "graphs" / "retry_block.json").read_text())
    if not with_error_edge:
        document["nodes"] = [n for n in document["nodes"] if n["key"] not in ("report-failure", "gave-up")]
        document["edges"] = [
            e for e in document["edges"] if e.get("kind") != "error" and e["source"] != "report-failure"
        ]
        next(n for n in document["nodes"] if n["key"] == "deploy-retry")["config"]["on_exhausted"] = "fail"
    return document


def timer_seconds(history) -> list[float]:
    return [
        event.timer_started_event_attributes.start_to_fire_timeout.ToTimedelta().total_seconds()
        for event in history.events
        if event.HasField("timer_started_event_attributes")
    ]


def run(env, run_async, tmp_path, fail_times: int, document: dict | None = None):
    workflows = load_documents(tmp_path, document or retry_document())
    REMEDIES.clear()
    return run_async(
        run_workflow(
            env, workflows, [flaky_deploy, remediate], "retry-block", {"fail_times": fail_times}, queries=["progress"]
        )
    )


def test_body_failing_twice_completes_on_attempt_three_after_two_remediations(time_skipping_env, run_async, tmp_path):
    result, history, answers = run(time_skipping_env, run_async, tmp_path, fail_times=2)

    assert result == {"ok": True, "deployed": {"attempt": 3}, "remedy": {"fixed_after": 2}}
    assert [r["attempt"] for r in REMEDIES] == [1, 2]
    assert REMEDIES[0]["error"] == "Activity task failed: deploy attempt 1 failed"
    assert activity_ids(history) == ["deploy-1", "remediate-1", "deploy-2", "remediate-2", "deploy-3"]
    assert timer_seconds(history) == [2.0, 5.0]  # 2 * 3**0, then 2 * 3**1 capped at 5
    progress = answers["progress"]
    assert progress["nodes"]["deploy-retry"] == "completed"
    assert progress["attempts"] == {"deploy-retry": 3}
    assert progress["nodes"]["report-failure"] == "skipped"


def test_exhausted_attempts_follow_the_error_edge(time_skipping_env, run_async, tmp_path):
    result, history, answers = run(time_skipping_env, run_async, tmp_path, fail_times=5)

    assert result == {"ok": False, "remedy": {"fixed_after": 2}}
    assert activity_ids(history) == ["deploy-1", "remediate-1", "deploy-2", "remediate-2", "deploy-3", "report-failure"]
    assert REMEDIES[-1] == {"attempt": 0, "error": "gave up"}
    assert answers["progress"]["nodes"]["deploy-retry"] == "failed"


def test_exhausted_without_error_edge_fails_the_workflow_with_the_last_error(time_skipping_env, run_async, tmp_path):
    with pytest.raises(WorkflowFailureError) as raised:
        run(time_skipping_env, run_async, tmp_path, fail_times=5, document=retry_document(with_error_edge=False))

    cause = raised.value.cause
    assert isinstance(cause, ApplicationError)
    assert cause.type == "RetryBlockExhausted"
    assert cause.message == (
        "Deploy with retries: gave up after 3 attempts; last error: Activity task failed: deploy attempt 3 failed"
    )


@pytest.mark.parametrize(
    ("backoff", "cap", "waits"),
    [("exponential", 0, [1.5, 3.0, 6.0]), ("exponential", 4, [1.5, 3.0, 4.0]), ("linear", 0, [1.5, 3.0, 4.5]),
     ("none", 0, [0.0, 0.0, 0.0])],
)  # fmt: skip
def test_backoff_after_each_failed_attempt(backoff, cap, waits):
    assert [backoff_seconds(attempt, backoff, 1.5, 2, cap) for attempt in (1, 2, 3)] == waits


def test_last_error_names_every_message_along_the_cause_chain():
    try:
        try:
            raise ApplicationError("1 of 2 tests failed", type="TestsFailed")
        except ApplicationError as cause:
            raise ActivityError(
                "Activity task failed", scheduled_event_id=1, started_event_id=2, identity="w", activity_type="t",
                activity_id="a", retry_state=None,
            ) from cause  # fmt: skip
    except ActivityError as failure:
        assert error_text(failure) == "Activity task failed: 1 of 2 tests failed"


def _timed_out(kind: TimeoutType) -> ActivityError:
    """An activity failure as Temporal reports a timeout of `kind`."""
    failure = ActivityError(
        "Activity task timed out", scheduled_event_id=1, started_event_id=2, identity="w", activity_type="t",
        activity_id="a", retry_state=None,
    )  # fmt: skip
    failure.__cause__ = TimeoutError("activity timeout", type=kind, last_heartbeat_details=[])
    return failure


def test_a_heartbeat_timeout_is_a_lost_worker_until_it_keeps_happening():
    block = RetryBlock(Progress(["deploy-retry"]), "deploy-retry", "Deploy with retries", max_attempts=3)
    assert [block.worker_lost(_timed_out(TimeoutType.HEARTBEAT)) for _ in range(MAX_LOST_WORKERS + 1)] == [
        *[True] * MAX_LOST_WORKERS,
        False,
    ]
    assert block.attempt == 1 and block.last_error is None


@pytest.mark.parametrize(
    "failure",
    [_timed_out(TimeoutType.START_TO_CLOSE), ApplicationError("deploy failed", type="DeployFailed")],
    ids=["start-to-close timeout", "application error"],
)
def test_other_failures_are_failed_attempts(failure):
    block = RetryBlock(Progress(["deploy-retry"]), "deploy-retry", "Deploy with retries", max_attempts=3)
    assert not block.worker_lost(failure)
