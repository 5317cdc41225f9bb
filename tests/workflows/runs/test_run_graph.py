"""The run page's graph and step details on a real package-builder run (tests/compiler/runs/test_dependencies.py).

The run builds the sample packages with database's tests failing for good: its
child run retries Tests three times (backing off between attempts) and fails;
auth's child passes Tests on its second attempt.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from compiler.runs.control import run_id_in
from projects.models import Role
from projects.services import membership_set
from tests.compiler.conftest import temporal_address  # noqa: F401 - fixture
from tests.compiler.runs.test_dependencies import BUILD_ID, builder_run  # noqa: F401 - builder_run is a fixture
from tests.factories import make_user
from tests.workflows.editor_support import client_for

pytestmark = [pytest.mark.temporal, pytest.mark.django_db]
PHASES = ("initialize", "plan", "build", "verify", "complete")


@pytest.fixture
def run(builder_run, temporal_address):  # noqa: F811 - the fixtures imported above
    """The module's package-builder run, with the run pages pointed at its Temporal."""
    return builder_run


@pytest.fixture
def viewer(run):
    user = make_user()
    membership_set(project=run.project, user=user, role=Role.VIEWER)
    return client_for(user)


def run_url(run, package: str | None = None) -> str:
    workflow_id = run_id_in(run.project, f"build-{BUILD_ID}-{package}") if package else run.workflow_id
    return reverse("workflows:run-detail", args=(run.project.slug, workflow_id))


def node_statuses(page: str) -> dict[str, str]:
    """Node key -> the status its drawing carries (status-* class), for every node with one."""
    found = re.findall(r'<g class="node node--[\w-]+ shape--\w+[^"]*status-(\w+)[^"]*" id="node-([\w-]+)"', page)
    return {key: status for status, key in found}


def status_texts(page: str) -> dict[str, str]:
    """Node key -> the status text drawn above (or in the header of) it."""
    texts = {}
    for node in re.findall(r'<g class="node .*?</g>\s*(?=<g class="(?:node|edge)|</g>)', page, re.S):
        key = re.search(r'id="node-([\w-]+)"', node)[1]
        text = re.search(r'class="status-text"[^>]*>([^<]*)<', node)
        if text:
            texts[key] = text[1]
    return texts


def test_the_graph_sits_in_the_editors_canvas_with_its_zoom_controls_and_every_phase(run, viewer):
    page = viewer.get(run_url(run)).content.decode()

    assert '<div id="canvas" class="canvas" data-workflow="run-' in page
    assert 'data-zoom="fit"' in page and "js/canvas.js" in page and "js/run.js" in page
    for phase in PHASES:
        assert f'id="node-{phase}"' in page
    assert page.index('id="run-graph"') < page.index('id="run-node"') < page.index('id="run-live"'), "panel beside"


def test_each_container_has_one_status_derived_from_its_children(run, viewer):
    page = viewer.get(run_url(run)).content.decode()

    # Without a worker the history alone speaks: it knows steps, not phases; the phases follow their steps.
    assert {phase: node_statuses(page)[phase] for phase in PHASES} == dict.fromkeys(PHASES, "completed")
    # The spawner's latest child failed (database), but skip_dependents went on: the spawner completed.
    assert node_statuses(page)["build-packages"] == "completed"
    assert node_statuses(page)["build-dependency-graph"] == "completed", "no event of its own; the flow went past it"
    # No status text stacked on a child's: the phases are coloured, their steps say "completed".
    assert not set(PHASES) & set(status_texts(page))


def test_a_condition_whose_branch_ran_and_the_end_reached_are_completed(run, viewer):
    auth = viewer.get(run_url(run, "auth")).content.decode()
    statuses = node_statuses(auth)

    assert statuses["code-exists"] == statuses["is-published"] == statuses["succeeded"] == "completed"
    assert statuses["done"] == "completed", "the end after the true branch of Succeeded?"
    assert "has-upgrade-plan" not in statuses and "finish-early" not in statuses and "failed" not in statuses
    assert 'class="edge edge--true edge--taken" data-source="succeeded" data-target="done"' in auth
    assert 'class="edge edge--false" data-source="succeeded" data-target="fail-build"' in auth

    database = node_statuses(viewer.get(run_url(run, "database")).content.decode())
    assert database["succeeded"] == "completed" and database["fail-build"] == "failed"
    assert "done" not in database and "failed" not in database, "Fail Build raised: no end was reached"


def test_retried_steps_and_their_retry_blocks_show_their_attempts(run, viewer):
    database = viewer.get(run_url(run, "database")).content.decode()
    auth = viewer.get(run_url(run, "auth")).content.decode()

    assert status_texts(database)["run-tests"] == "failed · 3 attempts"
    assert "run-tests-retry" not in status_texts(database), "its step says it; the block is coloured failed"
    assert node_statuses(database)["run-tests-retry"] == "failed"
    assert node_statuses(database).get("check-quality-retry") != "completed", "never reached after Tests gave up"
    assert status_texts(auth)["run-tests"] == "completed · 2 attempts"
    assert status_texts(auth)["build-package"] == "completed", "one attempt: no count"


def test_a_skipped_retry_block_contains_no_completed_step(run, viewer):
    database = node_statuses(viewer.get(run_url(run, "database")).content.decode())

    for block, step in (("build-package-retry", "build-package"), ("check-quality-retry", "check-quality")):
        assert not (database.get(block) == "skipped" and database.get(step) == "completed")
    assert database["build-package-retry"] == "completed" and database["run-tests-retry"] == "failed"


def test_a_chosen_step_shows_its_attempts_errors_and_back_offs_beside_the_graph(run, viewer):
    url = run_url(run, "database") + "?node=run-tests"

    page = viewer.get(url).content.decode()
    panel = page[page.index('id="run-node"') : page.index('id="run-live"')]

    assert "3 attempts" in panel and panel.count('class="step-io"') == 3
    assert panel.count("database: 1 of 1 tests failed: database exports its name") == 3
    assert panel.count("Backed off ") == 2, "a back-off after the first two attempts"
    assert "attempts of the retry block Tests" in panel and "&quot;package_name&quot;: &quot;database&quot;" in panel
    assert 'name="node" value="run-tests"' in panel, "the poll keeps the chosen node"
    assert 'class="node node--activity shape--card is-selected' in page


def test_choosing_a_node_with_htmx_returns_the_panel_alone(run, viewer):
    url = run_url(run, "database") + "?node=verify-dependencies"

    panel = viewer.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="run-node").content.decode()

    assert panel.lstrip().startswith('<aside class="card run-node" id="run-node"') and "<html" not in panel
    assert "Verify Dependencies" in panel and "Output" in panel and "took" in panel
    polled = viewer.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert '<aside class="card run-node" id="run-node" aria-live="polite" hx-swap-oob="true">' in polled
    assert '<div id="canvas" class="canvas" data-workflow="run-' in polled and 'hx-swap-oob="true"' in polled


def test_a_spawned_child_is_a_link_to_its_run_page(run, viewer):
    page = viewer.get(run_url(run) + "?node=build-packages").content.decode()
    panel = page[page.index('id="run-node"') : page.index('id="run-live"')]

    child = run_url(run, "database")
    assert re.search(rf'Child run: <a href="{re.escape(child)}\?run=[0-9a-f-]+">build-{BUILD_ID}-database</a>', panel)
    assert "Open the dependency view of Build Packages" in panel
    assert " attempts<" not in panel and "Attempt " not in panel, "one child per package: runs, not attempts"
    assert re.search(r"<strong>\d+ runs</strong>", panel) and "Run 2 " in panel


def test_nodes_without_steps_and_unknown_nodes(run, viewer):
    condition = viewer.get(run_url(run, "auth") + "?node=succeeded").content.decode()
    unknown = viewer.get(run_url(run, "auth") + "?node=nope").content.decode()

    assert "No steps of this node in the history: it leaves none" in condition
    assert "Click a node of the graph to see its inputs" in unknown


def test_the_timeline_table_scrolls_inside_its_card(run, viewer):
    page = viewer.get(run_url(run)).content.decode()
    timeline = page[page.index('id="run-timeline"') :]

    assert timeline.index('<div class="table-scroll">') < timeline.index('<table class="table">')


def test_child_runs_are_links_in_the_timeline_and_the_dependency_view(run, viewer):
    child = run_url(run, "database")
    page = viewer.get(run_url(run)).content.decode()
    timeline = page[page.index('id="run-timeline"') :]
    deps = viewer.get(reverse("workflows:run-dependencies", args=(run.project.slug, run.workflow_id, "build-packages")))

    assert re.search(rf'<a href="{re.escape(child)}\?run=[0-9a-f-]+"><code>package-build \(', timeline)
    assert f'<a href="{child}"><code>build-{BUILD_ID}-database</code></a>' in deps.content.decode()
