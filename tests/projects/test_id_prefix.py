"""Two projects never share the digits their workflow ids start with (the tenancy boundary)."""

import uuid

import pytest
from django.db import IntegrityError, transaction

from projects.models import Project
from tests.factories import make_project, make_user

pytestmark = pytest.mark.django_db


def test_a_new_project_whose_uuid_starts_like_anothers_gets_a_fresh_uuid():
    first = make_project(make_user())
    twin = Project(name="Twin", owner=first.owner, uuid=uuid.UUID(first.uuid.hex[:8] + "0" * 24))
    twin.save()
    assert twin.id_prefix != first.id_prefix
    assert twin.id_prefix == twin.uuid.hex[:8]
    assert twin.task_queue.startswith(f"{twin.id_prefix}-")


def test_the_database_refuses_a_shared_prefix():
    first = make_project(make_user())
    second = make_project(first.owner)
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=second.pk).update(id_prefix=first.id_prefix)
