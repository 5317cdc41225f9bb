"""Deployments in admin are a read-only record: listed and shown, never added or edited."""

import pytest
from django.urls import reverse

from compiler.models import Deployment, DeploymentStatus
from tests.factories import make_project, make_user


@pytest.fixture
def deployment(db):
    project = make_project(make_user(), name="Gates")
    return Deployment.objects.create(
        project=project, build_id="3f2a9c0d1e2b", sources={"gate": "# generated\n"}, status=DeploymentStatus.CURRENT
    )


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def test_deployments_are_listed_and_shown_read_only(admin_client, deployment):
    listing = admin_client.get(reverse("admin:compiler_deployment_changelist"))
    assert listing.status_code == 200 and "3f2a9c0d1e2b" in listing.content.decode()
    page = admin_client.get(reverse("admin:compiler_deployment_change", args=[deployment.pk]))
    assert page.status_code == 200
    assert "# generated" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()


def test_deployments_cannot_be_added_or_edited_in_admin(admin_client, deployment):
    assert admin_client.get(reverse("admin:compiler_deployment_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:compiler_deployment_change", args=[deployment.pk]), {"status": DeploymentStatus.RETIRED}
    )
    assert response.status_code == 403
    deployment.refresh_from_db()
    assert deployment.status == DeploymentStatus.CURRENT


def test_a_deployment_cannot_be_deleted_alone(admin_client, deployment):
    response = admin_client.post(reverse("admin:compiler_deployment_delete", args=[deployment.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Deployment.objects.filter(pk=deployment.pk).exists()


def test_staff_see_the_deployments_of_their_projects_only(client, deployment):
    viewer = make_user(is_staff=True)
    mine = make_project(make_user(), name="Mine", viewers=[viewer])
    own = Deployment.objects.create(project=mine, build_id="0a1b2c3d4e5f", sources={"gate": "# generated\n"})
    client.force_login(viewer)

    listing = client.get(reverse("admin:compiler_deployment_changelist"))
    assert list(listing.context["cl"].result_list) == [own]
    assert client.get(reverse("admin:compiler_deployment_change", args=[own.pk])).status_code == 200
    assert client.get(reverse("admin:compiler_deployment_change", args=[deployment.pk])).status_code == 302
