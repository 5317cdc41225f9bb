"""Editing workflows in Django admin: membership scoping, inline validation, versions and revisions."""

import pytest
from django.urls import reverse

from tests.admin_support import add_inline_row, admin_form_data, inline_errors, staff_client
from workflows.models import Node, Workflow


@pytest.fixture
def change_url(team):
    return reverse("admin:workflows_workflow_change", args=[team.workflow.pk])


@pytest.fixture
def editor(team):
    return staff_client(team.user("editor"))


def post_change(client, url, change=None):
    data = admin_form_data(client.get(url))
    if change:
        change(data)
    return client.post(url, data)


def test_changelist_shows_only_my_projects_workflows(team):
    response = staff_client(team.user("viewer")).get(reverse("admin:workflows_workflow_changelist"))
    assert [w.identifier for w in response.context["cl"].result_list] == ["package-build"]


def test_outsider_cannot_open_the_workflow(team, change_url):
    response = staff_client(team.user("outsider")).get(change_url)
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_viewer_sees_the_workflow_read_only(team, change_url):
    response = staff_client(team.user("viewer")).get(change_url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False


def test_viewer_cannot_save(team, change_url):
    client = staff_client(team.user("viewer"))
    response = client.post(change_url, {"name": "Hijacked"})
    assert response.status_code == 403


def test_editor_can_change_the_workflow(team, change_url):
    response = staff_client(team.user("editor")).get(change_url)
    assert response.context["has_change_permission"] is True


def test_saving_a_change_bumps_the_version_and_records_a_revision(team, editor, change_url):
    response = post_change(editor, change_url, lambda d: d.update({"name": "Package Build v2"}))
    assert response.status_code == 302
    team.workflow.refresh_from_db()
    assert team.workflow.version == 2
    assert team.workflow.revisions.first().message == "edited in admin"


def test_saving_without_changes_records_nothing(team, editor, change_url):
    post_change(editor, change_url)
    assert team.workflow.revisions.count() == 1


def test_editing_a_node_config_is_saved_cleaned(team, editor, change_url):
    def change(data):
        index = next(k for k, v in data.items() if v == "build" and k.endswith("-key")).split("-")[1]
        data[f"nodes-{index}-config"] = '{"max_attempts": "5"}'

    post_change(editor, change_url, change)
    assert Node.objects.get(workflow=team.workflow, key="build").config["max_attempts"] == 5


def new_node(**values):
    row = {
        "key": "wait",
        "type": "timer",
        "label": "Wait",
        "slot": "body",
        "position": 9,
        "config": '{"duration": "5"}',
    }
    return lambda data: add_inline_row(data, "nodes", {**row, **values})


def test_adding_a_node_inline(team, editor, change_url):
    response = post_change(editor, change_url, new_node())
    assert response.status_code == 302
    assert Node.objects.filter(workflow=team.workflow, key="wait").exists()


BAD_NODES = [
    pytest.param({"type": "teleport"}, "Select a valid choice", id="unknown-type"),
    pytest.param({"key": "check"}, "Please correct the duplicate data for key", id="duplicate-key"),
    pytest.param({"config": '{"duration": '}, "Config is not valid JSON (line 1, column 14", id="malformed-json"),
    pytest.param({"config": '{"duration": "1 +"}'}, "duration: is not a valid expression", id="invalid-config"),
    pytest.param(
        {"config": '{"speed": 3, "duration": "1"}'}, "speed: is not a setting of Timer nodes", id="unknown-setting"
    ),
    pytest.param({"key": "Not A Slug"}, "Use lowercase letters", id="bad-key"),
    pytest.param({"config": "[" * 5000 + "]" * 5000}, "Config is nested deeper than 64 levels", id="deep-json"),
    pytest.param({"config": '{"duration": NaN}'}, "Config NaN is not a number JSON allows", id="nan"),
    pytest.param({"config": '{"duration": "\\ud800"}'}, "contains a lone surrogate (U+D800)", id="surrogate"),
    pytest.param({"label": "Wait\x00"}, "Null characters are not allowed", id="nul-label"),
    pytest.param({"position": str(10**30)}, "less than or equal to 1000000", id="huge-position"),
]


@pytest.mark.parametrize("values,message", BAD_NODES)
def test_bad_node_inline_is_a_message_not_a_500(team, editor, change_url, values, message):
    response = post_change(editor, change_url, new_node(**values))
    assert response.status_code == 200
    assert any(message in str(m) for m in inline_errors(response, "nodes")), inline_errors(response, "nodes")


@pytest.mark.parametrize("values,message", BAD_NODES)
def test_bad_node_inline_writes_nothing(team, editor, change_url, values, message):
    nodes_before = team.workflow.nodes.count()
    post_change(editor, change_url, new_node(**values))
    team.workflow.refresh_from_db()
    assert (team.workflow.version, team.workflow.nodes.count()) == (1, nodes_before)


def test_malformed_json_shows_only_the_json_message(team, editor, change_url):
    response = post_change(editor, change_url, new_node(config="{oops"))
    assert inline_errors(response, "nodes") == [
        "Config is not valid JSON (line 1, column 2: Expecting property name enclosed in double quotes)."
    ]


def test_child_in_a_non_container_is_refused(team, editor, change_url):
    done = Node.objects.get(workflow=team.workflow, key="done")
    response = post_change(editor, change_url, new_node(parent=done.pk))
    assert any("Select a valid choice" in str(m) for m in inline_errors(response, "nodes"))


def test_child_in_the_wrong_slot_is_refused(team, editor, change_url):
    prepare = Node.objects.get(workflow=team.workflow, key="prepare")
    response = post_change(editor, change_url, new_node(parent=prepare.pk, slot="remediation"))
    assert any("A Phase holds nodes in body, not in 'remediation'" in str(m) for m in inline_errors(response, "nodes"))


def test_edge_to_a_node_of_another_workflow_is_refused(team, editor, change_url):
    build = Node.objects.get(workflow=team.workflow, key="build")
    foreign = Node.objects.get(workflow=team.other_workflow, key="done")
    response = post_change(
        editor,
        change_url,
        lambda d: add_inline_row(d, "edges", {"source": build.pk, "kind": "error", "target": foreign.pk}),
    )
    assert response.status_code == 200
    assert any("edges cannot connect nodes of different workflows" in str(m) for m in inline_errors(response, "edges"))


def test_edge_across_containers_is_refused(team, editor, change_url):
    start, check = (Node.objects.get(workflow=team.workflow, key=k) for k in ("start", "check"))
    edge = {"source": start.pk, "kind": "next", "target": check.pk}
    response = post_change(editor, change_url, lambda d: add_inline_row(d, "edges", edge))
    assert any("crosses containers" in str(m) for m in inline_errors(response, "edges"))


def test_stale_form_is_refused_with_a_message(team, editor, change_url):
    data = admin_form_data(editor.get(change_url))
    Workflow.objects.filter(pk=team.workflow.pk).update(version=5)
    data["name"] = "Too late"
    response = editor.post(change_url, data)
    assert response.status_code == 200
    assert "changed by someone else (you had version 1, it is now 5)" in str(response.context["adminform"].form.errors)


def test_a_save_that_loses_the_race_is_rolled_back_with_a_message(team, editor, change_url, monkeypatch):
    """Both saves passed the form's version check; the second one's version bump finds the workflow moved on."""
    from workflows import admin as workflow_admin
    from workflows.services import StaleEdit

    def lost_the_race(*, workflow, expected_version, **_):
        raise StaleEdit(workflow, expected_version, expected_version + 1)

    monkeypatch.setattr(workflow_admin, "record_change", lost_the_race)
    response = post_change(editor, change_url, lambda data: data.update(name="Too late"))
    assert response.status_code == 302 and response.url == change_url
    assert Workflow.objects.get(pk=team.workflow.pk).name == team.workflow.name  # nothing of the save stayed
    page = editor.get(change_url)
    assert "was changed by someone else (you had version 1, it is now 2)" in page.content.decode()


def test_adding_a_workflow_records_the_first_revision(team, editor):
    add_url = reverse("admin:workflows_workflow_add")
    data = admin_form_data(editor.get(add_url))
    data.update({"project": team.project.pk, "identifier": "from-admin", "name": "From admin"})
    add_inline_row(
        data,
        "nodes",
        {"key": "start", "type": "start", "label": "Start", "slot": "body", "position": 0, "config": "{}"},
    )
    response = editor.post(add_url, data)
    assert response.status_code == 302
    workflow = Workflow.objects.get(identifier="from-admin")
    assert (workflow.version, workflow.revisions.get().snapshot["nodes"][0]["key"]) == (1, "start")


def test_add_form_offers_only_projects_i_edit(team):
    client = staff_client(team.user("editor"))
    form = client.get(reverse("admin:workflows_workflow_add")).context["adminform"].form
    assert list(form.fields["project"].queryset) == [team.project]


def test_node_search_is_scoped_to_my_projects(team):
    response = staff_client(team.user("viewer")).get(reverse("admin:workflows_node_changelist") + "?q=done")
    assert [n.workflow for n in response.context["cl"].result_list] == [team.workflow]
