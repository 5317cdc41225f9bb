"""The read-only workflow page: access by role, nodes by container, side panel, fixed query counts."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ROLES, make_workflow_from_document, sample_document
from workflows.node_types.cron import describe_cron
from workflows.views import config_summary


def page(team, role: str = "viewer", identifier: str = "package-build"):
    client = Client()
    if team.user(role) is not None:
        client.force_login(team.user(role))
    return client.get(reverse("workflows:detail", args=[team.project.slug, identifier]))


@pytest.mark.parametrize("role,expected", list(zip(ROLES, (302, 404, 200, 200, 200), strict=True)))
def test_workflow_page_status_by_role(team, role, expected):
    assert page(team, role).status_code == expected


def test_workflow_of_another_project_is_404_under_my_project(team):
    assert page(team, "owner", identifier="secret-flow").status_code == 404


def section_keys(html: str, section_id: str) -> list[str]:
    section = re.search(rf'<section class="card section" id="{section_id}">(.*?)</section>', html, re.S).group(1)
    return re.findall(r'<tr id="node-([\w-]+)">', section)


def test_top_level_lists_flow_nodes_in_order_without_declarations(team):
    html = page(team).content.decode()
    assert section_keys(html, "top-level") == ["start", "prepare", "exists", "build", "done"]


def test_containers_list_their_children_per_slot(team):
    html = page(team).content.decode()
    assert section_keys(html, "container-prepare-body") == ["check"]
    assert section_keys(html, "container-build-body") == ["compile"]
    assert section_keys(html, "container-build-remediation") == ["fix"]


def test_containers_follow_the_top_level(team):
    html = page(team).content.decode()
    order = re.findall(r'<section class="card section" id="([\w-]+)">', html)
    assert order == ["top-level", "container-prepare-body", "container-build-body", "container-build-remediation"]


def test_outgoing_edges_are_listed_with_their_kind(team):
    html = page(team).content.decode()
    row = re.search(r'<tr id="node-exists">(.*?)</tr>', html, re.S).group(1)
    assert 'edge-true">true</span> <a href="#node-build">Build</a>' in row
    assert 'edge-false">false</span> <a href="#node-done">Done</a>' in row


def test_side_panel_lists_state_signals_and_queries(team):
    html = page(team).content.decode()
    assert "<code>queue</code>: list" in html
    assert "<code>add</code>" in html
    assert "<code>size</code> → <code>len(queue)</code>" in html


def test_cron_trigger_is_described_in_words(team):
    assert "<strong>Every 30 minutes</strong>" in page(team).content.decode()


def test_describe_cron_in_words():
    assert describe_cron("0 9 * * 1-5") == "At 09:00 AM, Monday through Friday"


def test_config_summary_shows_only_settings_that_differ_from_defaults(team):
    node = team.workflow.nodes.get(key="build")
    assert config_summary(node) == ""
    node.config["max_attempts"] = 5
    assert config_summary(node) == "max_attempts: 5"


def test_config_summary_is_short(team):
    node = team.workflow.nodes.get(key="fix")
    node.config["prompt"] = "Fix it. " * 40
    assert len(config_summary(node)) == 90


@pytest.mark.parametrize("extra_steps", [0, 25])
def test_workflow_page_runs_a_fixed_number_of_queries(team, django_assert_num_queries, extra_steps):
    make_workflow_from_document(team.project, sample_document("sized", extra_steps=extra_steps))
    client = Client()
    client.force_login(team.user("viewer"))
    # session, user, project, membership, workflow, nodes, edges
    with django_assert_num_queries(7):
        response = client.get(reverse("workflows:detail", args=[team.project.slug, "sized"]))
    assert response.status_code == 200
