"""Code view, inline expression checks and the deploy button's refusal path."""

from __future__ import annotations

import pytest

from tests.factories import make_workflow_from_document
from tests.workflows.editor_support import client_for, htmx, url

pytestmark = pytest.mark.django_db

TINY = {
    "identifier": "tiny",
    "name": "Tiny",
    "nodes": [
        {"key": "start", "type": "start", "label": "Start", "config": {}},
        {"key": "nap", "type": "timer", "label": "Nap", "config": {"duration": "1"}},
        {"key": "done", "type": "end", "label": "Done", "config": {"result": "{'ok': True}"}},
    ],
    "edges": [{"source": "start", "target": "nap"}, {"source": "nap", "target": "done"}],
}


def test_code_view_highlights_the_generated_module_with_copy_and_download(team):
    workflow = make_workflow_from_document(team.project, TINY)
    client = client_for(team.user("viewer"))
    response = htmx(client, "get", url(workflow, "editor-code"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="highlight">' in html and "workflow" in html
    assert 'data-copy="#generated-code"' in html and "?download=1" in html
    download = client.get(url(workflow, "editor-code"), {"download": "1"})
    assert download["Content-Disposition"].startswith("attachment; filename=")
    source = download.content.decode()
    assert "@workflow.defn(\n    name='tiny',\n" in source
    compile(source, "tiny.py", "exec")


def test_code_view_lists_diagnostics_when_the_graph_does_not_compile(team):
    response = htmx(client_for(team.user("editor")), "get", url(team.workflow, "editor-code"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "does not compile yet" in html and "check_package_exists" in html


def _check(client, workflow, node: str, field: str, expression: str, *, input_name: str | None = None):
    query = f"?node={node}&field={field}&input={input_name or 'cfg-' + field}"
    return htmx(client, "post", url(workflow, "editor-expression") + query, {input_name or f"cfg-{field}": expression})


def test_expression_check_accepts_known_names_and_pins_errors_to_a_column(team):
    client = client_for(team.user("editor"))
    ok = _check(client, team.workflow, "exists", "expression", "exists['ok'] and len(queue) > 0")
    assert ok.status_code == 200 and "✓ valid" in ok.content.decode()
    bad = _check(client, team.workflow, "exists", "expression", "exists['ok'] and nope")
    assert bad.status_code == 422
    assert "column 18" in bad.content.decode() and "nope" in bad.content.decode()
    # Inside the retry block, attempt and last_error are known.
    inside = _check(client, team.workflow, "compile", "args", "attempt + 1", input_name="cfg-args-value")
    assert inside.status_code == 200


def test_expression_check_of_a_deleted_node_asks_to_reload(team):
    response = _check(client_for(team.user("editor")), team.workflow, "ghost", "expression", "1")
    assert response.status_code == 422
    assert "reload the editor" in response.content.decode()


def test_deploy_refuses_a_project_with_errors_and_lists_them(team):
    response = htmx(client_for(team.user("editor")), "post", url(team.workflow, "editor-deploy"), {"version": 1})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Not deployed" in html and "package-build" in html


def test_expression_check_names_undeclared_input_fields_as_the_validator_does(team):
    client = client_for(team.user("editor"))
    bad = _check(client, team.workflow, "exists", "expression", "input.pakage * 2")
    assert bad.status_code == 422
    assert "the workflow input has no field &#x27;pakage&#x27;" in bad.content.decode()
    assert "did you mean &#x27;package&#x27;?" in bad.content.decode()
    assert _check(client, team.workflow, "exists", "expression", "input.package").status_code == 200
