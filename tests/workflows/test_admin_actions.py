"""Admin actions validate / compile / deploy, on the changelist and as buttons on the change page."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from compiler.models import Deployment
from tests.admin_support import staff_client
from tests.compiler.deploy_graphs import broken_document, gate_document
from tests.factories import make_project, make_user, make_workflow_from_document

CHANGELIST = reverse("admin:workflows_workflow_changelist")


@pytest.fixture
def gates(db, settings):
    """A project (owner, editor, viewer) with a valid workflow and one calling an unregistered activity."""
    settings.WORKFLOW_ACTIVITY_MODULES = ["compiler.activities.builtins"]
    users = {role: make_user() for role in ("owner", "editor", "viewer", "outsider")}
    project = make_project(users["owner"], name="Gates", editors=[users["editor"]], viewers=[users["viewer"]])
    make_project(users["outsider"], name="Elsewhere")
    gate = make_workflow_from_document(project, gate_document())
    broken = make_workflow_from_document(project, broken_document())
    return project, users, gate, broken


def act(client, action: str, *workflows):
    data = {"action": action, "_selected_action": [w.pk for w in workflows]}
    response = client.post(CHANGELIST, data, follow=True)
    assert response.status_code == 200
    return response


def button(client, action: str, workflow, **extra):
    return client.post(reverse(f"admin:workflows_workflow_{action}", args=[workflow.pk]), follow=True, **extra)


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_validate_reports_valid_workflows_and_each_diagnostic(gates):
    project, users, gate, broken = gates
    found = texts(act(staff_client(users["viewer"]), "validate_workflows", gate, broken))
    assert "gates/gate: valid." in found
    assert "gates/broken: 1 error(s)." in found
    assert any(t.startswith("gates/broken: mystery [activity]: ") and "no_such_activity" in t for t in found), found


def test_compile_links_to_the_code_view(gates):
    project, users, gate, _ = gates
    response = act(staff_client(users["viewer"]), "compile_workflows", gate)
    assert texts(response)[0].startswith("gates/gate: compiled to gate.py (")
    html = response.content.decode()
    code_url = reverse("workflows:editor-code", args=[project.slug, "gate"])
    assert f'<a href="{code_url}">View the code</a>' in html
    assert f'<a href="{code_url}?download=1">download it</a>' in html


def test_compile_of_a_broken_workflow_lists_what_to_fix(gates):
    _, users, _, broken = gates
    found = texts(act(staff_client(users["viewer"]), "compile_workflows", broken))
    assert found[0] == "gates/broken: does not compile; fix these first."
    assert "no_such_activity" in found[1]


def test_viewers_are_not_offered_deploy(gates):
    _, users, _, _ = gates
    viewer_actions = staff_client(users["viewer"]).get(CHANGELIST).context["action_form"].fields["action"].choices
    editor_actions = staff_client(users["editor"]).get(CHANGELIST).context["action_form"].fields["action"].choices
    assert "deploy_projects" not in dict(viewer_actions)
    assert {"validate_workflows", "compile_workflows", "deploy_projects"} <= set(dict(editor_actions))


def test_a_viewer_pressing_deploy_is_told_no_and_nothing_is_deployed(gates):
    project, users, gate, _ = gates
    found = texts(button(staff_client(users["viewer"]), "deploy", gate))
    assert found == ["Gates: not deployed; deploying needs the editor role there."]
    assert not Deployment.objects.filter(project=project).exists()


def test_deploy_refuses_a_project_where_nothing_validates_and_names_the_errors(gates, settings):
    """With gate gone only broken is left: nothing to ship (a valid gate would ship alone, keeping broken out)."""
    settings.TEMPORAL_ADDRESS = "127.0.0.1:1"  # refused before Temporal is asked
    project, users, gate, broken = gates
    gate.delete()
    found = texts(act(staff_client(users["editor"]), "deploy_projects", broken))
    assert found[0] == "Gates: Not deployed: 1 error(s) must be fixed first; nothing was changed."
    assert found[1].startswith("gates/broken: mystery [activity]: ")
    assert found[2] == "Gates: broken: not included: 1 error"


def test_deploy_without_temporal_says_so_and_stores_nothing(gates, settings):
    settings.TEMPORAL_ADDRESS = "127.0.0.1:1"
    project, users, gate, broken = gates
    broken.delete()
    found = texts(act(staff_client(users["editor"]), "deploy_projects", gate))
    assert len(found) == 1 and found[0].startswith("Gates: not deployed. Cannot reach Temporal at 127.0.0.1:1")
    assert not Deployment.objects.filter(project=project).exists()


@pytest.mark.temporal
def test_deploy_button_stores_a_build_and_reports_its_id(gates, settings, temporal_env):
    settings.TEMPORAL_ADDRESS = temporal_env.client.service_client.config.target_host
    project, users, gate, broken = gates
    broken.delete()
    response = button(staff_client(users["editor"]), "deploy", gate)
    deployment = Deployment.objects.get(project=project)
    assert response.redirect_chain[-1][0] == reverse("admin:workflows_workflow_change", args=[gate.pk])
    assert texts(response)[0].startswith(f"Gates: Deployed build {deployment.build_id}; it is pending")


def test_change_page_shows_the_buttons_and_deploy_only_to_editors(gates):
    _, users, gate, _ = gates
    url = reverse("admin:workflows_workflow_change", args=[gate.pk])
    editor_html = staff_client(users["editor"]).get(url).content.decode()
    viewer_html = staff_client(users["viewer"]).get(url).content.decode()
    for action in ("validate", "compile", "deploy"):
        assert f'formaction="{reverse(f"admin:workflows_workflow_{action}", args=[gate.pk])}"' in editor_html
    assert "workflows_workflow_deploy" not in viewer_html and ">Deploy project</button>" not in viewer_html
    assert ">Validate</button>" in viewer_html


def test_validate_button_reports_on_the_change_page(gates):
    _, users, gate, _ = gates
    response = button(staff_client(users["viewer"]), "validate", gate)
    assert response.redirect_chain[-1][0] == reverse("admin:workflows_workflow_change", args=[gate.pk])
    assert texts(response) == ["gates/gate: valid."]


def test_buttons_need_a_post(gates):
    _, users, gate, _ = gates
    url = reverse("admin:workflows_workflow_validate", args=[gate.pk])
    assert staff_client(users["editor"]).get(url).status_code == 405


def test_outsiders_cannot_press_the_buttons(gates):
    project, users, gate, _ = gates
    response = button(staff_client(users["outsider"]), "validate", gate)
    assert response.redirect_chain[-1][0] == reverse("admin:index")
    assert texts(response) == ["No such workflow in your projects."]
