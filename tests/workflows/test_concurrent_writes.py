"""Writes that arrive at the same moment wait for each other: no "database is locked", no IntegrityError.

Eight threads, each with its own database connection, hit the API at once
on the test database. `make test` runs this on SQLite (as in `make run`),
whose transactions begin IMMEDIATE, so a writer waits for the lock instead
of failing when it tries to upgrade a read, and on PostgreSQL (as in
production). Identifier clashes are settled by the database's unique
constraints inside the import transaction.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.factories import make_project, make_user, sample_document
from workflows.models import Node, Workflow

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 8


def at_once(requests: list) -> list:
    """Run each request (a function of nothing returning a response) in its own thread, all released together."""
    start = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(index: int) -> None:
        try:
            start.wait()
            results[index] = requests[index]()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.fixture
def owner():
    user = make_user("concurrent-owner")
    project = make_project(user, name="Concurrent")
    return user, project


def client(user) -> APIClient:
    api = APIClient(raise_request_exception=False)  # a failure must show as the 500 a user would get
    api.force_login(user)
    return api


def test_eight_concurrent_node_writes_all_succeed(owner):
    user, project = owner
    workflow_url = f"/api/projects/{project.slug}/workflows/"
    assert client(user).post(workflow_url, {"identifier": "busy"}, format="json").status_code == 201
    clients = [client(user) for _ in range(THREADS)]
    nodes_url = f"{workflow_url}busy/nodes/"
    responses = at_once(
        [
            lambda api=api, n=n: api.post(
                nodes_url, {"type": "timer", "label": f"Nap {n}", "config": {"duration": "1"}}, format="json"
            )
            for n, api in enumerate(clients)
        ]
    )
    assert [r.status_code for r in responses] == [201] * THREADS, [r.content[:200] for r in responses]
    workflow = Workflow.objects.get(project=project, identifier="busy")
    assert Node.objects.filter(workflow=workflow).count() == THREADS
    assert workflow.version == 1 + THREADS


@pytest.mark.parametrize(
    "identifiers",
    [
        pytest.param(["twin"] * THREADS, id="one-identifier"),
        pytest.param(["x-y", "x_y"] * (THREADS // 2), id="dash-and-underscore"),
    ],
)
def test_concurrent_imports_of_one_module_name_create_one_workflow(owner, identifiers):
    user, project = owner
    clients = [client(user) for _ in identifiers]
    import_url = f"/api/projects/{project.slug}/workflows/import/"
    responses = at_once(
        [
            lambda api=api, identifier=identifier: api.post(import_url, sample_document(identifier), format="json")
            for api, identifier in zip(clients, identifiers, strict=True)
        ]
    )
    assert Counter(r.status_code for r in responses) == {201: 1, 400: len(identifiers) - 1}, [
        r.content[:200] for r in responses
    ]
    for refused in (r for r in responses if r.status_code == 400):
        (problem,) = refused.json()["problems"]
        assert problem["field"] == "identifier" and "This project already has a workflow" in problem["message"]
    assert Workflow.objects.filter(project=project).count() == 1
