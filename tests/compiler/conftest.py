"""Fixtures for deploy, replay and worker tests: Temporal settings and a real `run_worker` process.

The worker runs as a subprocess (`manage.py run_worker`), exactly as in
production, so it must see the rows the test wrote. config/settings.py makes
the SQLite test database a file (per test process) instead of :memory:;
tests that start a worker use `transactional_db` (rows are committed) and
hand the test database (the SQLite file, or the PostgreSQL database
pytest-django made) to the subprocess as DATABASE_URL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.database_support import shared_database_url

MANAGE_PY = Path(django_settings.BASE_DIR) / "manage.py"
BUILTIN_ACTIVITIES = "compiler.activities.builtins"


@pytest.fixture
def temporal_address(settings, temporal_env) -> str:
    """Point `compiler.temporal` (and so deploy) at the session's dev server."""
    settings.TEMPORAL_ADDRESS = temporal_env.client.service_client.config.target_host
    return settings.TEMPORAL_ADDRESS


class WorkerProcess:
    """`manage.py run_worker` in a subprocess; its output is collected line by line."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.args, self.env = args, env
        self.lines: list[str] = []
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(MANAGE_PY), "run_worker", *self.args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._collect, args=(self.process,), daemon=True).start()

    def _collect(self, process: subprocess.Popen) -> None:
        for line in process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, text: str, timeout: float = 30, after: int = 0) -> int:
        """Wait until a line (from index `after` on) contains `text`; returns the index after it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for index in range(after, len(self.lines)):
                if text in self.lines[index]:
                    return index + 1
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"worker did not print {text!r} within {timeout} s; output:\n{self.output}")

    def kill(self) -> None:
        """SIGKILL: no graceful shutdown, as in a machine crash."""
        self.process.kill()
        self.process.wait(10)

    def stop(self) -> int:
        """SIGTERM and wait; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        return self.process.returncode


def subprocess_env(temporal_address: str, tmp_path: Path, activity_modules: str) -> dict[str, str]:
    """Environment for a `manage.py` subprocess sharing this test's database and Temporal."""
    return {
        **os.environ,
        "DATABASE_URL": shared_database_url(),
        "TEMPORAL_ADDRESS": temporal_address,
        "GENERATED_CODE_DIR": str(tmp_path / "worker-cache"),
        "WORKFLOW_ACTIVITY_MODULES": activity_modules,
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture
def start_worker(transactional_db, temporal_address, tmp_path):
    """Start `run_worker` for project slugs; stopped (SIGTERM) at teardown.

    Workers share one code cache unless given their own `cache` directory
    (under tmp_path), as workers on separate machines have.
    """
    workers: list[WorkerProcess] = []

    def start(
        *slugs: str, activity_modules: str = BUILTIN_ACTIVITIES, drain_grace: float = 2, cache: str = "worker-cache"
    ) -> WorkerProcess:
        args = [*slugs, "--poll-interval", "0.5", "--drain-grace", str(drain_grace)]
        env = subprocess_env(temporal_address, tmp_path, activity_modules) | {
            "GENERATED_CODE_DIR": str(tmp_path / cache)
        }
        worker = WorkerProcess(args, env)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
