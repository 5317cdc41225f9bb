"""compile_graph / compile_project against the database, and the compile_workflow command."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from compiler.project_reader import compile_project, load
from tests.factories import make_project, make_user
from workflows.models import Workflow
from workflows.services import workflow_import

pytestmark = pytest.mark.django_db


def chain_document(identifier: str, steps: int, *, broken: bool = False) -> dict:
    """start -> phase(step-1 .. step-n) -> condition -> end; `broken` adds an unknown name."""
    nodes = [
        {"key": "start", "type": "start", "label": "Start", "config": {}},
        {"key": "work", "type": "phase", "label": "Work", "config": {"name": "WORK"}},
        {"key": "check", "type": "condition", "label": "OK?", "config": {"expression": "nope" if broken else "True"}},
        {"key": "done", "type": "end", "label": "Done", "config": {"result": "'ok'"}},
        {"key": "failed", "type": "end", "label": "Failed", "config": {}},
    ]
    nodes += [
        {
            "key": f"step-{n}",
            "type": "activity",
            "label": f"Step {n}",
            "parent": "work",
            "config": {"activity": "http_request", "args": {"url": "'http://localhost/'"}},
        }
        for n in range(1, steps + 1)
    ]
    edges = [
        ("start", "work", "next"),
        ("work", "check", "next"),
        ("check", "done", "true"),
        ("check", "failed", "false"),
    ]
    edges += [(f"step-{n}", f"step-{n + 1}", "next") for n in range(1, steps)]
    return {
        "identifier": identifier,
        "nodes": nodes,
        "edges": [{"source": s, "target": t, "kind": k} for s, t, k in edges],
    }


@pytest.fixture
def project():
    owner = make_user()
    return make_project(owner, name="Compile Me")


@pytest.mark.parametrize("steps", [2, 60])
def test_load_uses_two_queries_whatever_the_size(project, steps, django_assert_num_queries):
    workflow = workflow_import(project=project, user=None, document=chain_document("chain", steps))
    with django_assert_num_queries(2):
        graph = load(workflow)
    assert len(graph.nodes) == steps + 5


@pytest.mark.parametrize("steps", [2, 60])
def test_compile_project_uses_three_queries_whatever_the_size(project, steps, django_assert_num_queries):
    workflow_import(project=project, user=None, document=chain_document("first", steps))
    workflow_import(project=project, user=None, document=chain_document("second", steps))
    with django_assert_num_queries(3):
        results = compile_project(project)
    assert sorted(results) == ["first", "second"]
    assert all(result.ok for result in results.values()), {i: r.diagnostics for i, r in results.items()}


def test_command_prints_the_module(project, capsys):
    workflow_import(project=project, user=None, document=chain_document("chain", 1))
    call_command("compile_workflow", project.slug, "chain")
    output = capsys.readouterr().out
    assert "@workflow.defn(\n    name='chain',\n" in output
    compile(output, "chain.py", "exec")


def test_command_writes_modules_with_all(project, tmp_path):
    workflow_import(project=project, user=None, document=chain_document("first", 1))
    workflow_import(project=project, user=None, document=chain_document("second-one", 1))
    call_command("compile_workflow", project.slug, "--all", "--out", str(tmp_path))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["first.py", "second_one.py"]


def test_check_prints_diagnostic_lines_and_exits_1_on_errors(project, capsys):
    workflow_import(project=project, user=None, document=chain_document("chain", 1, broken=True))
    with pytest.raises(SystemExit) as exit_:
        call_command("compile_workflow", project.slug, "chain", "--check")
    assert exit_.value.code == 1
    output = capsys.readouterr().out
    assert "chain:" in output
    assert "error: check [expression]: " in output
    assert "nope" in output


def test_check_passes_for_a_clean_workflow(project, capsys):
    workflow_import(project=project, user=None, document=chain_document("chain", 1))
    call_command("compile_workflow", project.slug, "chain", "--check")
    assert "1 workflow(s) compiled, 0 with errors" in capsys.readouterr().err


def test_unknown_project_and_workflow_are_clear_errors(project):
    with pytest.raises(CommandError, match="No project with slug 'nope'"):
        call_command("compile_workflow", "nope", "chain")
    with pytest.raises(CommandError, match="has no workflow 'missing'"):
        call_command("compile_workflow", project.slug, "missing")
    with pytest.raises(CommandError, match="or pass --all"):
        call_command("compile_workflow", project.slug)


def test_workflows_that_would_share_a_module_are_refused(project):
    """Made before identifiers were checked (or behind the services' back): `a-b` and `a_b` both map to `a_b`."""
    first = workflow_import(project=project, user=None, document=chain_document("nightly-report", 2))
    second = workflow_import(project=project, user=None, document=chain_document("nightly-digest", 2))
    Workflow.objects.filter(pk=second.pk).update(identifier="nightly_report")
    results = compile_project(project)
    assert results[first.identifier].ok
    clash = results["nightly_report"]
    assert clash.source is None
    assert [d.message for d in clash.diagnostics if d.is_error] == [
        "workflow 'nightly_report' would get the same Python module (nightly_report) as 'nightly-report'; "
        "rename one of them (identifiers that differ only in '-' and '_' clash)"
    ]
