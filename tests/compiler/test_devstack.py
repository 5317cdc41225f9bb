"""`manage.py devstack` (what `make run` runs): Temporal, first deploys, worker and web server, stopped cleanly."""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from compiler.models import Deployment, DeploymentStatus
from tests.compiler.conftest import BUILTIN_ACTIVITIES, MANAGE_PY, subprocess_env
from tests.compiler.deploy_graphs import gate_document
from tests.factories import make_project, make_user, make_workflow_from_document
from tests.ports import free_port


def test_a_busy_port_is_named_with_what_to_do(db):
    with socket.socket() as holder:
        holder.bind(("0.0.0.0", 0))
        holder.listen()
        busy = holder.getsockname()[1]
        with pytest.raises(CommandError, match=rf"Port {busy} \(for the web app\) is already in use\. Stop whatever"):
            call_command(
                "devstack",
                "--temporal-port",
                str(free_port()),
                "--ui-port",
                str(free_port()),
                "--web-port",
                str(busy),
            )


def _wait(predicate, timeout: float, what: str, output: list[str]) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"{what} did not happen in {timeout} s; output:\n" + "\n".join(output)
        time.sleep(0.3)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - a local test URL
            return response.status == 200
    except OSError:
        return False


def _listening_addresses(port: int) -> set[str]:
    """The IPv4/IPv6 addresses something listens on at `port` (from /proc/net/tcp*)."""
    addresses = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as rows:
            for row in list(rows)[1:]:
                local, state = row.split()[1], row.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                    addresses.add(address)
    return addresses


def _start_devstack(tmp_path) -> tuple[subprocess.Popen, list[str], int, int]:
    """`manage.py devstack` on free ports, once ready: process, output lines (filled as they come), UI and web ports."""
    temporal_port, ui_port, web_port = free_port(), free_port(), free_port()
    env = subprocess_env(f"localhost:{temporal_port}", tmp_path, BUILTIN_ACTIVITIES)
    process = subprocess.Popen(
        [
            sys.executable,
            str(MANAGE_PY),
            "devstack",
            "--temporal-port",
            str(temporal_port),
            "--ui-port",
            str(ui_port),
            "--web-port",
            str(web_port),
            "--temporal-db",
            str(tmp_path / "temporal.db"),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    threading.Thread(target=lambda: output.extend(line.rstrip() for line in process.stdout), daemon=True).start()
    _wait(lambda: any("Ctrl-C stops everything." in line for line in output), 90, "startup", output)
    return process, output, ui_port, web_port


def _stop(process: subprocess.Popen, output: list[str]) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(90)
    assert process.returncode == 0, "\n".join(output)
    assert output[-1] == "devstack: stopped"


def test_devstack_deploys_new_projects_serves_them_on_loopback_and_stops_on_sigterm(
    transactional_db, settings, tmp_path
):
    settings.WORKFLOW_ACTIVITY_MODULES = [BUILTIN_ACTIVITIES]
    project = make_project(make_user(), name="Demo")
    make_workflow_from_document(project, gate_document())
    process, output, ui_port, web_port = _start_devstack(tmp_path)
    try:
        assert f"  admin        http://localhost:{web_port}/admin/" in output
        assert f"  Temporal UI  http://localhost:{ui_port}/" in output
        deployment = Deployment.objects.get(project=project)
        assert f"devstack: deployed {project.slug} build {deployment.build_id}" in output
        _wait(
            lambda: Deployment.objects.filter(pk=deployment.pk, status=DeploymentStatus.CURRENT).exists(),
            60,
            "the worker making the first build current",
            output,
        )
        _wait(lambda: _answers(f"http://127.0.0.1:{web_port}/login/"), 60, "the web server answering", output)
        # Only the loopback address: a request from another machine (any Host) never reaches the debug pages.
        assert _listening_addresses(web_port) == {"0100007F"}
        # The web server links runs to the UI on the port devstack gave it, not the default 8233.
        (web_pid,) = _pids(output, "web")
        environ = Path(f"/proc/{web_pid}/environ").read_bytes().split(b"\0")
        assert f"TEMPORAL_WEB_URL=http://localhost:{ui_port}".encode() in environ
    finally:
        _stop(process, output)
    assert "worker: stopped cleanly" in output


def _pids(output: list[str], child: str) -> list[int]:
    """Pids of the `child` processes devstack started, in start order."""
    started = re.compile(rf"devstack: started {child} \(pid (\d+)\)")
    return [int(m.group(1)) for line in output if (m := started.match(line))]


def test_devstack_restarts_a_worker_that_died_and_keeps_the_rest_running(transactional_db, tmp_path):
    process, output, _, web_port = _start_devstack(tmp_path)
    try:
        [first] = _pids(output, "worker")
        _wait(lambda: any(line.startswith("worker: connected") for line in output), 60, "the worker connecting", output)
        os.kill(first, signal.SIGKILL)

        _wait(lambda: len(_pids(output, "worker")) == 2, 30, "the worker restarting", output)
        assert (
            "devstack: worker was killed by SIGKILL; restarting it in 1 s (Temporal and the web server keep running)"
            in output
        )
        _wait(
            lambda: sum(line.startswith("worker: connected") for line in output) == 2,
            60,
            "the new worker connecting to the same Temporal",
            output,
        )
        assert _answers(f"http://127.0.0.1:{web_port}/login/"), "the web server stopped with the worker"
        assert process.poll() is None
    finally:
        _stop(process, output)
