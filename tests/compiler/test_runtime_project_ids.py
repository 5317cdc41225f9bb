"""compiler/runtime/project_ids.py: workflow ids confined to a project by their prefix."""

from __future__ import annotations

import uuid

import pytest
from temporalio.exceptions import ApplicationError

from compiler.runtime.project_ids import caller_prefix, in_project, prefix_of, project_prefix, scoped

A = "0a1b2c3d:"
B = "9f8e7d6c:"


def test_project_prefix_is_the_uuid_hex_start_and_the_separator():
    project_uuid = uuid.UUID("0a1b2c3d-0000-4000-8000-000000000000")
    assert project_prefix(project_uuid.hex) == A


def test_prefix_of_finds_only_a_well_formed_prefix():
    assert prefix_of(f"{A}continuous-builder-orchestrator") == A
    assert prefix_of("continuous-builder-orchestrator") is None
    assert prefix_of("0A1B2C3D:upper-case-is-not-a-prefix") is None
    assert prefix_of("0a1b2c3:seven-digits") is None
    assert prefix_of("0a1b2c3d-dash-instead-of-colon") is None


def test_scoped_prefixes_a_short_id_once():
    assert scoped("orchestrator", A) == f"{A}orchestrator"
    assert scoped(f"{A}orchestrator", A) == f"{A}orchestrator"


def test_an_id_with_another_projects_prefix_lands_inside_this_project():
    assert scoped(f"{B}orchestrator", A) == f"{A}{B}orchestrator"
    assert prefix_of(scoped(f"{B}orchestrator", A)) == A


def test_caller_prefix_is_the_callers_own_prefix():
    assert caller_prefix(f"{B}mcp-poller-1") == B


def test_a_caller_without_prefix_may_not_reach_other_workflows():
    with pytest.raises(ApplicationError) as caught:
        caller_prefix("started-outside-the-studio")
    assert caught.value.type == "WorkflowOutsideProject"
    assert caught.value.non_retryable
    assert "carries no project prefix" in caught.value.message


def test_an_id_that_is_not_text_is_an_expression_error():
    with pytest.raises(TypeError, match="a workflow id must be text, not NoneType"):
        in_project(None)
