"""Request URLs (which can carry ids and tokens) are not logged at INFO."""

import logging
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]


def _runserver_output_after_fetching(tmp_path: Path, path: str, **env: str) -> str:
    """Everything a real `runserver` printed while it served one GET of `path`."""
    port = free_port()
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONUNBUFFERED": "1", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as response:  # noqa: S310
                    assert response.status == 200
                break
            except OSError:
                assert time.monotonic() < deadline, "runserver did not answer in 30 s"
                time.sleep(0.2)
        time.sleep(1)  # the server logs a request after answering it
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    return output


def test_runserver_does_not_log_request_urls_by_default(tmp_path):
    output = _runserver_output_after_fetching(tmp_path, "/login/?next=/secret-token-4f2a/")
    assert "secret-token-4f2a" not in output, output


def test_access_lines_show_when_asked_for(tmp_path):
    output = _runserver_output_after_fetching(tmp_path, "/login/?next=/secret-token-4f2a/", ACCESS_LOG_LEVEL="INFO")
    assert '"GET /login/?next=/secret-token-4f2a/ HTTP/1.1" 200' in output, output


def test_outbound_http_urls_are_not_logged_at_info():
    assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
