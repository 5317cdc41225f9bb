"""start_workflow and signal_workflow commands: on a real worker, with bad input, and without Temporal."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from compiler.models import Deployment, DeploymentStatus
from compiler.runs.control import run_id_in
from compiler.runs.history import describe_run
from tests.compiler.conftest import BUILTIN_ACTIVITIES, MANAGE_PY, subprocess_env
from tests.compiler.run_documents import greeter_document
from tests.compiler.runs.test_control import deployed, wait_until  # noqa: F401 - the fixture
from tests.factories import make_project, make_user, make_workflow_from_document


def test_start_and_wait_prints_the_result_once_signalled(deployed, capsys):  # noqa: F811 - the fixture
    project = deployed
    signal = ("signal_workflow", "cmd-ada", "approve", "--project", project.slug, "--payload", '{"by": "cli"}')
    approve = threading.Timer(3, lambda: call_command(*signal))
    approve.start()
    call_command("start_workflow", project.slug, "greeter", "--input", '{"name": "Ada"}', "--id", "cmd-ada", "--wait")
    approve.join()
    out = capsys.readouterr().out
    full_id = run_id_in(project, "cmd-ada")
    assert f"workflow id: {full_id}\n" in out
    assert "Sending 'approve' to cmd-ada (greetings)..." in out
    result = json.loads(out[out.index("{") : out.rindex("}") + 1])
    assert result == {"by": ["cli"], "greeted": "Ada", "napped": {"slept": 0}}
    assert out.rstrip().endswith(f"Run {full_id} finished.")


def test_signal_errors_name_the_problem(deployed, capsys):  # noqa: F811 - the fixture
    project = deployed
    call_command("start_workflow", project.slug, "greeter", "--input", '{"name": "Ada"}', "--id", "cmd-bad")
    assert f"Run {run_id_in(project, 'cmd-bad')} started." in capsys.readouterr().out
    with pytest.raises(CommandError, match=r"Not sent: by: is required \(text\)"):
        call_command("signal_workflow", "cmd-bad", "approve", "--payload", "{}", "--project", project.slug)
    with pytest.raises(
        CommandError, match=r"Not sent: signal: 'stop' is not a signal of greeter \(declared: approve\)"
    ):
        call_command("signal_workflow", run_id_in(project, "cmd-bad"), "stop")
    with pytest.raises(CommandError, match="--payload is not valid JSON"):
        call_command("signal_workflow", "cmd-bad", "approve", "--payload", "{by")
    with pytest.raises(CommandError, match="No run 'nobody' on Temporal: without --project, give the full"):
        call_command("signal_workflow", "nobody", "approve")
    with pytest.raises(CommandError, match="No run '0a1b2c3d:nobody' on Temporal."):
        call_command("signal_workflow", "0a1b2c3d:nobody", "approve")
    call_command("signal_workflow", "cmd-bad", "approve", "--payload", '{"by": "me"}', "--project", project.slug)
    assert wait_until(
        lambda: describe_run(project, "cmd-bad").result == {"greeted": "Ada", "by": ["me"], "napped": {"slept": 0}}
    )


def test_start_refuses_bad_json_unknown_workflows_and_bad_input(db):
    project = make_project(make_user(), name="Commands")
    make_workflow_from_document(project, greeter_document())
    with pytest.raises(CommandError, match=r"--input is not valid JSON \(line 1, column 1: Expecting value\)\."):
        call_command("start_workflow", project.slug, "greeter", "--input", "nope")
    with pytest.raises(CommandError, match=r"--input is nested deeper than 64 levels"):
        call_command("start_workflow", project.slug, "greeter", "--input", "[" * 2000 + "]" * 2000)
    with pytest.raises(CommandError, match=r"--input .*NaN is not a number JSON allows"):
        call_command("start_workflow", project.slug, "greeter", "--input", '{"name": NaN}')
    with pytest.raises(
        CommandError, match=r"Not started: workflow: 'commands' has no workflow 'other' \(known: greeter\)"
    ):
        call_command("start_workflow", project.slug, "other")
    with pytest.raises(CommandError, match=r"Not started: name: is required \(text\)"):
        call_command("start_workflow", project.slug, "greeter", "--input", "{}")
    with pytest.raises(CommandError, match="No project with slug 'nope'. Known: commands."):
        call_command("start_workflow", "nope", "greeter")


def test_unreachable_temporal_exits_non_zero_with_the_message(transactional_db, tmp_path, settings):
    project = make_project(make_user(), name="Offline Runs")
    make_workflow_from_document(project, greeter_document())
    Deployment.objects.create(
        project=project, build_id="c" * 12, sources={"greeter": ""}, status=DeploymentStatus.CURRENT
    )
    completed = subprocess.run(
        [sys.executable, str(MANAGE_PY), "start_workflow", project.slug, "greeter", "--input", '{"name": "x"}'],
        env=subprocess_env("127.0.0.1:1", tmp_path, BUILTIN_ACTIVITIES),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 1
    assert "Cannot reach Temporal at 127.0.0.1:1 — is the dev server running?" in completed.stderr
    assert "Traceback" not in completed.stderr

    settings.TEMPORAL_ADDRESS = "127.0.0.1:1"
    with pytest.raises(CommandError, match="Cannot reach Temporal at 127.0.0.1:1"):
        call_command("signal_workflow", run_id_in(project, "some-run"), "approve")
