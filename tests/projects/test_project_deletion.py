"""Deleting a project removes its schedules (a real dev server), through the API and in admin."""

from __future__ import annotations

from django.urls import reverse
from django_celery_beat.models import PeriodicTask
from rest_framework.test import APIClient
from temporalio.service import RPCError, RPCStatusCode

from compiler import temporal
from compiler.builds.deploy import deploy_project
from compiler.models import Deployment
from compiler.schedules.service import schedule_id_for, sync_schedules
from projects.models import Project
from tests.admin_support import staff_client
from tests.compiler.build_support import make_build
from tests.compiler.conftest import temporal_address  # noqa: F401 - fixture
from tests.compiler.run_documents import greeter_document
from tests.compiler.runs.test_control import GREETER_ACTIVITIES
from tests.factories import make_project, make_user, make_workflow_from_document
from workflows.models import Node, Workflow


def _deployed_cron_project(settings, name: str) -> tuple[Project, str]:
    settings.WORKFLOW_ACTIVITY_MODULES = [GREETER_ACTIVITIES]
    project = make_project(make_user(), name=name)
    make_workflow_from_document(project, greeter_document(cron="0 9 * * 1"))
    result = deploy_project(project, project.owner, activation_wait=0)
    schedule_id = schedule_id_for(project, "greeter")
    assert result.schedules == [f"schedule created: {schedule_id}"]
    return project, schedule_id


def _schedule_exists(schedule_id: str) -> bool:
    async def describe(client) -> bool:
        try:
            await client.get_schedule_handle(schedule_id).describe()
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:
                return False
            raise
        return True

    return temporal.call(describe)


def test_deleting_a_project_through_the_api_deletes_its_temporal_schedules(temporal_address, db, settings):  # noqa: F811
    project, schedule_id = _deployed_cron_project(settings, "Cron Deleted By API")
    assert _schedule_exists(schedule_id)
    api = APIClient()
    api.force_login(project.owner)

    assert api.delete(f"/api/projects/{project.slug}/").status_code == 204

    assert not Project.objects.filter(pk=project.pk).exists()
    assert not _schedule_exists(schedule_id)


def test_deleting_a_project_in_admin_deletes_it_with_its_workflows_deployments_and_schedules(
    temporal_address,  # noqa: F811
    db,
    settings,
):
    project, schedule_id = _deployed_cron_project(settings, "Cron Deleted In Admin")
    client = staff_client(project.owner)
    url = reverse("admin:projects_project_delete", args=[project.pk])

    confirm = client.get(url)
    assert confirm.status_code == 200 and not confirm.context["perms_lacking"]
    response = client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Project.objects.filter(pk=project.pk).exists()
    assert not Workflow.objects.filter(project_id=project.pk).exists()
    assert not Deployment.objects.filter(project_id=project.pk).exists()
    assert not _schedule_exists(schedule_id)


def test_a_deletion_is_refused_with_a_message_while_temporal_is_unreachable(transactional_db, settings):
    project = make_project(make_user(), name="Deployed Once")
    Deployment.objects.create(project=project, build_id="b" * 12, sources={"greeter": "# code"})
    settings.TEMPORAL_ADDRESS = "127.0.0.1:1"
    api = APIClient()
    api.force_login(project.owner)

    response = api.delete(f"/api/projects/{project.slug}/")

    assert response.status_code == 400
    [message] = response.json()["non_field_errors"]
    assert message.startswith(
        "Deployed Once was not deleted: its schedules could not be removed. Cannot reach Temporal"
    )
    assert Project.objects.filter(pk=project.pk).exists()

    admin_response = staff_client(project.owner).post(
        reverse("admin:projects_project_delete", args=[project.pk]), {"post": "yes"}, follow=True
    )
    assert admin_response.status_code == 200
    assert any("was not deleted" in str(m) for m in admin_response.context["messages"])
    assert Project.objects.filter(pk=project.pk).exists()


def test_a_project_never_deployed_is_deleted_without_asking_temporal(db, settings):
    settings.TEMPORAL_ADDRESS = "127.0.0.1:1"
    project = make_project(make_user(), name="Draft Only")
    make_workflow_from_document(project, greeter_document(cron="0 9 * * 1"))
    project.delete()
    assert not Project.objects.filter(pk=project.pk).exists()


def test_deleting_a_project_deletes_its_periodic_tasks(db, settings):
    settings.SCHEDULE_BACKEND = "celery"
    settings.WORKFLOW_ACTIVITY_MODULES = [GREETER_ACTIVITIES]
    projects = []
    for name in ("Beat Deleted", "Beat Kept"):
        project = make_project(make_user(), name=name)
        make_workflow_from_document(project, greeter_document(cron="0 9 * * 1"))
        assert sync_schedules(project, make_build(project)).created == [schedule_id_for(project, "greeter")]
        projects.append(project)
    deleted, kept = projects

    deleted.delete()

    assert list(PeriodicTask.objects.values_list("name", flat=True)) == [schedule_id_for(kept, "greeter")]


def test_an_editor_deletes_a_workflow_with_its_nodes_in_admin(team):
    workflow = team.project.workflows.get()
    client = staff_client(team.user("editor"))
    url = reverse("admin:workflows_workflow_delete", args=[workflow.pk])

    assert not client.get(url).context["perms_lacking"]
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Workflow.objects.filter(pk=workflow.pk).exists()
    assert not Node.objects.filter(workflow_id=workflow.pk).exists()


def test_a_viewer_still_cannot_delete_a_workflow_in_admin(team):
    workflow = team.project.workflows.get()
    response = staff_client(team.user("viewer")).post(
        reverse("admin:workflows_workflow_delete", args=[workflow.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Workflow.objects.filter(pk=workflow.pk).exists()
