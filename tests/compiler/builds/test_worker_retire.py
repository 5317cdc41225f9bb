"""A draining build is retired only after visibility reported it empty for a whole grace period.

Visibility is eventually consistent: one empty answer while a run is still
pinned to the build would stop the only worker that run can continue on.
The host's decision is driven here with scripted answers (the end-to-end
drain on a real server is in test_worker_versioning.py).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from django.utils import timezone

from compiler.builds import worker as worker_module
from compiler.builds.worker import ServedBuild, WorkerHost
from compiler.models import Deployment, DeploymentStatus
from tests.factories import make_project, make_user

pytestmark = pytest.mark.django_db(transaction=True)


async def _finished() -> None:
    return None


def test_one_empty_answer_does_not_retire_a_draining_build(monkeypatch):
    project = make_project(make_user(), name="Gates")
    row = Deployment.objects.create(
        project=project, build_id="aaaaaaaaaaaa", sources={}, status=DeploymentStatus.DRAINING
    )
    Deployment.objects.filter(pk=row.pk).update(status_changed=timezone.now() - timedelta(minutes=1))
    row = Deployment.objects.select_related("project").get(pk=row.pk)  # as the host reads its rows
    answers = iter([0, 1, 0, 0, 0])  # empty, a run shows up after all, then empty from then on

    async def running_on_build(client, project, build_id):
        return next(answers)

    monkeypatch.setattr(worker_module, "running_on_build", running_on_build)
    said: list[str] = []

    async def scenario() -> list[DeploymentStatus]:
        host = WorkerHost(client=None, slugs=[], activities=[], drain_grace=1.0, say=said.append)
        host.served[row.pk] = ServedBuild(row, worker=None, task=asyncio.create_task(_finished()))
        await asyncio.sleep(0)  # let the stand-in worker task finish, as a stopped worker's has
        seen = []
        for pause in (0.0, 1.1, 0.0, 0.0, 1.1):
            await asyncio.sleep(pause)
            await host._retire_if_drained(row)
            seen.append((await Deployment.objects.aget(pk=row.pk)).status)
        return seen

    seen = asyncio.run(scenario())
    # Empty (start counting), busy (start over), empty (start counting), empty at once, empty 1.1 s later.
    assert seen == [DeploymentStatus.DRAINING] * 4 + [DeploymentStatus.RETIRED]
    assert said[-1] == "worker: gates build aaaaaaaaaaaa drained (no running executions); retired"
