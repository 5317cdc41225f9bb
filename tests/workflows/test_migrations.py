"""Migration 0002 fills Workflow.normalized_identifier so the -/_ constraint holds for existing projects."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("workflows", "0001_initial")]
AFTER = [("workflows", "0002_normalized_identifier_and_input_limits")]


def test_existing_workflows_get_their_normalized_identifier_and_an_old_clash_stays_apart():
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
