"""`run_worker`: host every live build of the selected projects on Temporal.

One `temporalio.worker.Worker` per build (a `Deployment` row that is
pending, current or draining), each a version of the project's Worker
Deployment with PINNED workflows. Every couple of seconds the host reads the
database and reconciles:

- a build without a worker gets one (its sources are materialised from the
  row into this machine's cache by `compiler.builds.loader`, never read from files
  the web process wrote);
- the newest build is made Temporal's current version once its worker polls
  (then the row becomes `current` and the previous one `draining`);
- a draining build with no running executions left (reported empty for a
  whole grace period, because visibility is eventually consistent) is
  stopped and retired;
- a build that is no longer live (another worker process retired it) is
  stopped.

Any number of these processes may run against the same database and
Temporal; all reconcile to the same state.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from asgiref.sync import sync_to_async
from django.db import DatabaseError
from django.utils import timezone
from temporalio.client import Client
from temporalio.service import RPCError
from temporalio.worker import Worker

from compiler.builds.versioning import current_build_id, deployment_config, running_on_build, set_current_version
from compiler.models import ACTIVE_STATUSES, Deployment, DeploymentStatus

logger = logging.getLogger(__name__)

POLL_INTERVAL = 2.0
DRAIN_GRACE = 10.0
GRACEFUL_SHUTDOWN = timedelta(seconds=30)


@dataclass
class ServedBuild:
    deployment: Deployment
    worker: Worker
    task: asyncio.Task
    # When visibility first reported no running executions on this draining build (None: not yet, or some again).
    empty_since: float | None = None


def live_deployments(slugs: list[str]) -> list[Deployment]:
    """Pending, current and draining builds of the selected projects (all projects if none named)."""
    rows = Deployment.objects.filter(status__in=ACTIVE_STATUSES).select_related("project")
    if slugs:
        rows = rows.filter(project__slug__in=slugs)
    return list(rows.order_by("project__slug", "deployed", "pk"))


def load_build(deployment: Deployment) -> list[type]:
    """The workflow classes of a build, written and imported from its row."""
    from compiler.builds.loader import load_workflows

    return list(load_workflows(deployment.sources).values())


def load_activities() -> list[Callable]:
    """Every registered activity (built-ins and WORKFLOW_ACTIVITY_MODULES); ImportError names a bad module."""
    from compiler.activities.loading import load_configured_activities
    from compiler.activities.registry import temporal_activities

    load_configured_activities()
    return temporal_activities()


class WorkerHost:
    """Reconciles running workers with the `Deployment` rows; see the module docstring."""

    def __init__(
        self,
        client: Client,
        slugs: list[str],
        activities: list[Callable],
        *,
        poll_interval: float = POLL_INTERVAL,
        drain_grace: float = DRAIN_GRACE,
        say: Callable[[str], None] = print,
    ) -> None:
        self.client = client
        self.slugs = slugs
        self.poll_interval = poll_interval
        self.drain_grace = drain_grace
        self.say = say
        self.served: dict[int, ServedBuild] = {}
        self.activities = activities

    async def serve(self, stop: asyncio.Event) -> None:
        """Reconcile every `poll_interval` seconds until `stop` is set, then shut down gracefully."""
        try:
            while not stop.is_set():
                try:
                    await self.reconcile()
                except (RPCError, DatabaseError) as error:
                    # Temporal or the database is briefly away: the build workers keep
                    # retrying on their own; reconcile again on the next pass.
                    self.say(f"worker: reconcile failed ({error}); retrying in {self.poll_interval:g} s")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=self.poll_interval)
        finally:
            await self.stop_all()

    async def reconcile(self) -> None:
        rows = await sync_to_async(live_deployments)(self.slugs)
        live = {row.pk: row for row in rows}
        for pk in [pk for pk in self.served if pk not in live]:
            await self._stop(pk, "no longer live")
        self._forget_crashed()
        for row in rows:
            if row.pk not in self.served:
                await self._start(row)
            else:
                self.served[row.pk].deployment = row
        for newest in _newest_per_project(rows):
            if newest.pk in self.served:
                await self._make_current(newest)
        for row in rows:
            if row.status == DeploymentStatus.DRAINING and row.pk in self.served:
                await self._retire_if_drained(row)

    async def stop_all(self) -> None:
        if self.served:
            self.say(f"worker: shutting down {len(self.served)} build worker(s), finishing in-flight tasks")
        await asyncio.gather(*(self._stop(pk, "shutdown") for pk in list(self.served)))

    async def _start(self, row: Deployment) -> None:
        project = row.project
        try:
            workflows = await sync_to_async(load_build)(row)
            worker = Worker(
                self.client,
                task_queue=project.task_queue,
                workflows=workflows,
                activities=self.activities,
                deployment_config=deployment_config(project, row.build_id),
                graceful_shutdown_timeout=GRACEFUL_SHUTDOWN,
            )
        except Exception as error:  # whatever the build's code does wrong, the other builds keep running
            logger.exception("cannot load build %s", row.build_id)
            self.say(f"worker: cannot serve {project.slug} build {row.build_id}: {error}")
            await sync_to_async(row.set_status)(DeploymentStatus.FAILED, load_error=str(error))
            return
        task = asyncio.create_task(worker.run(), name=f"worker-{project.slug}-{row.build_id}")
        self.served[row.pk] = ServedBuild(row, worker, task)
        self.say(f"worker: serving {project.slug} build {row.build_id} ({row.status}) on {project.task_queue}")

    def _forget_crashed(self) -> None:
        """A worker whose run() ended on its own crashed; drop it so the next pass starts it again."""
        for pk, served in list(self.served.items()):
            if served.task.done():
                error = served.task.exception() if not served.task.cancelled() else None
                self.say(f"worker: build {served.deployment.build_id} stopped unexpectedly: {error}")
                del self.served[pk]

    async def _make_current(self, row: Deployment) -> None:
        if row.status == DeploymentStatus.CURRENT and await current_build_id(self.client, row.project) == row.build_id:
            return
        # Temporal's answer lags behind a change, and other workers promote too: set the
        # version again when in doubt (idempotent), but the database records one promotion.
        if (
            await set_current_version(self.client, row.project, row.build_id, wait=1.0)
            and await sync_to_async(row.promote)()
        ):
            self.say(f"worker: {row.project.slug} build {row.build_id} is current; new runs use it")

    async def _retire_if_drained(self, row: Deployment) -> None:
        """Retire a draining build once visibility has reported it empty for a whole grace period.

        One empty answer is not enough: visibility is eventually consistent, and a
        build stopped while a run is still pinned to it leaves that run waiting
        for a worker that never comes.
        """
        draining_for = (timezone.now() - row.status_changed).total_seconds()
        if draining_for < self.drain_grace:
            return
        served = self.served[row.pk]
        if await running_on_build(self.client, row.project, row.build_id):
            served.empty_since = None
            return
        now = asyncio.get_running_loop().time()
        served.empty_since = served.empty_since or now
        if now - served.empty_since < self.drain_grace:
            return
        if not await sync_to_async(row.move)(DeploymentStatus.DRAINING, DeploymentStatus.RETIRED):
            return  # redeployed (rolled back to) meanwhile: keep serving it
        await self._stop(row.pk, "drained")
        self.say(f"worker: {row.project.slug} build {row.build_id} drained (no running executions); retired")

    async def _stop(self, pk: int, reason: str) -> None:
        served = self.served.pop(pk, None)
        if served is None:
            return
        if not served.task.done():
            await served.worker.shutdown()
        self.say(f"worker: stopped {served.deployment.project.slug} build {served.deployment.build_id} ({reason})")


def _newest_per_project(rows: list[Deployment]) -> list[Deployment]:
    """The newest pending or current build of each project (rows are sorted oldest first)."""
    newest: dict[int, Deployment] = {}
    for row in rows:
        if row.status in (DeploymentStatus.PENDING, DeploymentStatus.CURRENT):
            newest[row.project_id] = row
    return list(newest.values())
