"""Temporal Worker Versioning for a project: names, the current version, draining.

Each project is one Worker Deployment on Temporal; each `Deployment` row
(build) is one version of it. Workers run workflows PINNED: an execution
stays on the build it started on until it finishes, so a new build never
changes code under a running execution. These helpers are shared by deploy
(web process) and `run_worker` (worker process); each takes a client so it
works on either process's event loop.
"""

from __future__ import annotations

import asyncio
import time

from temporalio.api.deployment.v1 import WorkerDeploymentVersion as VersionProto
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import (
    DescribeTaskQueueRequest,
    DescribeWorkerDeploymentRequest,
    SetWorkerDeploymentCurrentVersionRequest,
)
from temporalio.client import Client
from temporalio.common import VersioningBehavior, WorkerDeploymentVersion
from temporalio.service import RPCError
from temporalio.worker import WorkerDeploymentConfig

from compiler.temporal import UNREACHABLE_STATUSES
from projects.models import Project

RETRY_INTERVAL = 0.5


def version_string(project: Project, build_id: str) -> str:
    """How visibility spells a version (`TemporalWorkerDeploymentVersion`)."""
    return f"{project.deployment_name}:{build_id}"


def deployment_config(project: Project, build_id: str) -> WorkerDeploymentConfig:
    return WorkerDeploymentConfig(
        version=WorkerDeploymentVersion(deployment_name=project.deployment_name, build_id=build_id),
        use_worker_versioning=True,
        default_versioning_behavior=VersioningBehavior.PINNED,
    )


async def set_current_version(client: Client, project: Project, build_id: str, *, wait: float) -> bool:
    """Make `build_id` the version new runs start on; False if no worker of it polled within `wait` s.

    Temporal refuses a version nobody has polled yet (it would route runs to
    no one), so this retries until a worker of the build has polled.
    """
    request = SetWorkerDeploymentCurrentVersionRequest(
        namespace=client.namespace,
        deployment_name=project.deployment_name,
        build_id=build_id,
        identity=client.identity,
    )
    deadline = time.monotonic() + wait
    while True:
        try:
            await client.workflow_service.set_worker_deployment_current_version(request)
            return True
        except RPCError as error:
            if error.status in UNREACHABLE_STATUSES:
                raise
            if time.monotonic() >= deadline:
                return False
        await asyncio.sleep(RETRY_INTERVAL)


async def current_build_id(client: Client, project: Project) -> str | None:
    """The build Temporal routes new runs of the project to (None before the first worker polled)."""
    try:
        response = await client.workflow_service.describe_worker_deployment(
            DescribeWorkerDeploymentRequest(namespace=client.namespace, deployment_name=project.deployment_name)
        )
    except RPCError as error:
        if error.status in UNREACHABLE_STATUSES:
            raise
        return None
    current: VersionProto = response.worker_deployment_info.routing_config.current_deployment_version
    return current.build_id or None


async def running_on_build(client: Client, project: Project, build_id: str) -> int:
    """How many executions are running pinned to this build (visibility; eventually consistent)."""
    query = f'TemporalWorkerDeploymentVersion="{version_string(project, build_id)}" AND ExecutionStatus="Running"'
    return (await client.count_workflows(query)).count


async def polling_builds(client: Client, project: Project) -> dict[str, list[str]]:
    """Build id -> identities of the workers that recently polled the project's task queue for it.

    For "which builds have a worker" in the UI; Temporal remembers a poller
    for a few minutes after its last poll.
    """
    response = await client.workflow_service.describe_task_queue(
        DescribeTaskQueueRequest(
            namespace=client.namespace,
            task_queue=TaskQueue(name=project.task_queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        )
    )
    builds: dict[str, list[str]] = {}
    for poller in response.pollers:
        if poller.deployment_options.build_id:
            builds.setdefault(poller.deployment_options.build_id, []).append(poller.identity)
    return {build_id: sorted(identities) for build_id, identities in sorted(builds.items())}
