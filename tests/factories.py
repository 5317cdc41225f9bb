"""Plain factory functions shared by the test suites.

They write through the same services as the product (project_create,
membership_set, workflow_import), so test data obeys the product's rules.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from projects.models import Project, Role
from projects.services import membership_set, project_create
from workflows.models import Workflow
from workflows.services import workflow_import

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


def make_user(username: str | None = None, **fields):
    """A user with the shared test PASSWORD (staff/superuser via fields)."""
    username = username or f"user{next(_counter)}"
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **fields)


def make_project(owner, *, name: str | None = None, editors=(), viewers=(), owners=()) -> Project:
    """A project owned by `owner` with the given extra members."""
    project = project_create(user=owner, name=name or f"Project {next(_counter)}")
    for role, users in ((Role.OWNER, owners), (Role.EDITOR, editors), (Role.VIEWER, viewers)):
        for user in users:
            membership_set(project=project, user=user, role=role)
    return project


def sample_document(identifier: str = "sample", *, extra_steps: int = 0) -> dict:
    """A small but complete graph: declarations, a phase, a condition, a retry block.

    extra_steps adds that many activities inside the phase, to compare query
    counts of pages for graphs of different sizes.
    """
    steps = [f"step-{n}" for n in range(1, extra_steps + 1)]
    nodes = [
        {
            "key": "start",
            "type": "start",
            "label": "Start",
            "config": {
                "trigger": "cron",
                "cron": "*/30 * * * *",
                "input_fields": [{"name": "package", "type": "str", "required": True}],
            },
        },
        {"key": "queue", "type": "state", "label": "Queue", "config": {"name": "queue", "type": "list", "initial": []}},
        {
            "key": "on-add",
            "type": "signal_handler",
            "label": "Add",
            "config": {"signal": "add", "actions": [{"op": "append", "var": "queue", "value": "payload"}]},
        },
        {"key": "size", "type": "query", "label": "Size", "config": {"name": "size", "expression": "len(queue)"}},
        {"key": "prepare", "type": "phase", "label": "Prepare", "config": {"name": "PREPARE"}},
        {
            "key": "check",
            "type": "activity",
            "label": "Check",
            "parent": "prepare",
            "config": {
                "activity": "check_package_exists",
                "args": {"package": "input.package"},
                "result_var": "exists",
            },
        },
        *(
            {"key": key, "type": "activity", "label": key.title(), "parent": "prepare", "config": {"activity": "noop"}}
            for key in steps
        ),
        {"key": "exists", "type": "condition", "label": "Exists?", "config": {"expression": "exists['ok']"}},
        {"key": "build", "type": "retry_block", "label": "Build", "config": {"max_attempts": 3}},
        {
            "key": "compile",
            "type": "activity",
            "label": "Compile",
            "parent": "build",
            "config": {"activity": "build_package"},
        },
        {
            "key": "fix",
            "type": "agent",
            "label": "Fix",
            "parent": "build",
            "slot": "remediation",
            "config": {"prompt": "Fix the build"},
        },
        {"key": "done", "type": "end", "label": "Done", "config": {"result": "{'ok': True}"}},
    ]
    chain = ["check", *steps]
    edges = [
        {"source": "start", "target": "prepare", "kind": "next"},
        {"source": "prepare", "target": "exists", "kind": "next"},
        {"source": "exists", "target": "build", "kind": "true"},
        {"source": "exists", "target": "done", "kind": "false"},
        {"source": "build", "target": "done", "kind": "next"},
        *({"source": a, "target": b, "kind": "next"} for a, b in itertools.pairwise(chain)),
    ]
    return {
        "format": "workflow-studio/v1",
        "identifier": identifier,
        "name": identifier.replace("-", " ").title(),
        "description": "",
        "nodes": nodes,
        "edges": edges,
    }


def make_workflow_from_document(project: Project, document: dict | None = None, *, user=None, **kwargs) -> Workflow:
    """Import a document (sample_document() by default) into the project."""
    document = copy.deepcopy(document) if document is not None else sample_document(**kwargs)
    return workflow_import(project=project, user=user or project.owner, document=document)


@dataclass
class Team:
    """A project with one member per role, an outsider with a project of their own, and a workflow each."""

    project: Project
    workflow: Workflow
    users: dict[str, object]
    other_project: Project
    other_workflow: Workflow

    def user(self, role: str):
        """The user for a role name: anonymous (None), outsider, viewer, editor or owner."""
        return self.users[role]


ROLES = ("anonymous", "outsider", "viewer", "editor", "owner")


def make_team() -> Team:
    owner, editor, viewer, outsider = (make_user(name) for name in ("olivia", "eddie", "vera", "oscar"))
    project = make_project(owner, name="Package Management", editors=[editor], viewers=[viewer])
    other = make_project(outsider, name="Secret Project")
    return Team(
        project=project,
        workflow=make_workflow_from_document(project, sample_document("package-build")),
        users={"anonymous": None, "outsider": outsider, "viewer": viewer, "editor": editor, "owner": owner},
        other_project=other,
        other_workflow=make_workflow_from_document(other, sample_document("secret-flow")),
    )
