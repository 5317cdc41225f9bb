"""Migrations 0002 fill Workflow.normalized_identifier (the -/_ constraint) and Project.id_prefix for existing rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("workflows", "0001_initial"), ("projects", "0001_initial")]
AFTER = [("workflows", "0002_normalized_identifier_and_input_limits")]


@pytest.fixture
def migrations_restored():
    """Back to the latest schema whatever happens: a failure half-way must not break the next tests on this worker."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_workflows_get_their_normalized_identifier_and_an_old_clash_stays_apart(migrations_restored):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    owner = old.get_model("auth", "User").objects.create(username="migrating-owner")
    project_model = old.get_model("projects", "Project")
    project = project_model.objects.create(name="Old", slug="old", task_queue="old-queue", owner=owner)
    workflow_model = old.get_model("workflows", "Workflow")
    for identifier in ("package-build", "a_b", "a-b"):  # a_b and a-b: created before the clash check existed
        workflow_model.objects.create(project=project, identifier=identifier, name=identifier)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("workflows", "Workflow")
    later = new.objects.get(identifier="a-b").pk
    assert dict(new.objects.values_list("identifier", "normalized_identifier")) == {
        "package-build": "package-build",
        "a_b": "a-b",
        "a-b": f"a-b#{later}",
    }

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    latest = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    migrated = latest.get_model("projects", "Project").objects.get(slug="old")
    assert migrated.id_prefix == migrated.uuid.hex[:8]
