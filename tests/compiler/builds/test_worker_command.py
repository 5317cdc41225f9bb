"""`manage.py run_worker` refuses bad setups with one clear line, never a traceback."""

import subprocess
import sys

from tests.compiler.conftest import BUILTIN_ACTIVITIES, MANAGE_PY, subprocess_env
from tests.factories import make_project, make_user


def _run_worker(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(MANAGE_PY), "run_worker", *args], env=env, capture_output=True, text=True, timeout=60
    )


def test_an_unreachable_temporal_stops_the_worker_with_a_clear_message(transactional_db, tmp_path):
    completed = _run_worker(subprocess_env("127.0.0.1:1", tmp_path, BUILTIN_ACTIVITIES))
    assert completed.returncode == 1
    assert "Cannot reach Temporal at 127.0.0.1:1 — is the dev server running?" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_an_unknown_project_is_named_with_the_known_ones(transactional_db, tmp_path):
    make_project(make_user(), name="Gates")
    completed = _run_worker(subprocess_env("127.0.0.1:1", tmp_path, BUILTIN_ACTIVITIES), "no-such-project")
    assert completed.returncode == 1
    assert "Unknown project(s): no-such-project. Known: gates." in completed.stderr


def test_a_missing_activity_module_is_named(transactional_db, tmp_path):
    completed = _run_worker(subprocess_env("127.0.0.1:1", tmp_path, "no_such.activities"))
    assert completed.returncode == 1
    assert "cannot load activity module 'no_such.activities'" in completed.stderr
    assert "Check WORKFLOW_ACTIVITY_MODULES." in completed.stderr
    assert "Traceback" not in completed.stderr
