"""Run pages: start, list, the live run page, signals and control, roles, and Temporal being away."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from compiler.runs.control import run_id_in
from tests.compiler.runs.test_control import wait_until
from tests.workflows.editor_support import client_for, htmx
from tests.workflows.run_support import greeters, start_worker, temporal_address  # noqa: F401 - fixtures


def runs_url(project, identifier: str, name: str = "runs") -> str:
    return reverse(f"workflows:{name}", args=(project.slug, identifier))


def run_url(project, workflow_id: str, name: str = "run-detail") -> str:
    return reverse(f"workflows:{name}", args=(project.slug, workflow_id))


@pytest.mark.temporal
def test_an_editor_starts_a_run_watches_it_and_signals_it_to_the_end(greeters):  # noqa: F811 - the fixture
    project, users = greeters.project, greeters.users
    editor = client_for(users["editor"])

    form = editor.get(runs_url(project, "greeter")).content.decode()
    assert "&quot;name&quot;: &quot;&quot;" in form and "&quot;nap&quot;: 0" in form

    started = editor.post(runs_url(project, "greeter", "run-start"), {"input": '{"name": "Ada"}', "workflow_id": "ada"})
    assert started.status_code == 302 and started.url.startswith(run_url(project, run_id_in(project, "ada")) + "?run=")

    def waiting():
        page = editor.get(started.url).content.decode()
        return 'class="node node--loop shape--container status-running"' in page and page

    page = wait_until(waiting)
    assert page, "the run never reached its wait for approval"
    assert 'hx-trigger="every 2s"' in page
    assert "node node--activity shape--card status-completed" in page
    nap = editor.get(started.url + "&node=nap").content.decode()
    assert 'name="node" value="nap"' in nap and "&quot;slept&quot;: 0" in nap, "the chosen step's details"
    assert 'id="signal-approve"' in page and 'name="field-by"' in page and "Terminate" in page
    assert ">Signal approve</button>" in page and "approve approve" not in page.lower()
    assert f"/workflows/{quote(run_id_in(project, 'ada'), safe='')}/{started.url.split('=')[1]}/history" in page

    live = htmx(editor, "get", started.url).content.decode()
    assert '<div id="run-live"' in live and "<html" not in live
    assert '<span class="run-status run-status--running" id="run-status" hx-swap-oob="true">' in live
    assert 'id="run-facts" hx-swap-oob="true"' in live and 'id="run-actions"' not in live, "typed payloads stay"

    bad = htmx(editor, "post", run_url(project, "ada", "run-signal"), {"signal": "approve", "payload": '{"by": 1}'})
    assert bad.status_code == 400 and "by: must be text, not int" in bad.content.decode()
    garbled = htmx(editor, "post", run_url(project, "ada", "run-signal"), {"signal": "approve", "payload": "{by"})
    assert garbled.status_code == 400 and "payload: is not valid JSON" in garbled.content.decode()
    unknown = htmx(editor, "post", run_url(project, "ada", "run-signal"), {"signal": "reject", "payload": "{}"})
    assert "&#x27;reject&#x27; is not a signal of greeter (declared: approve)" in unknown.content.decode()

    empty = htmx(editor, "post", run_url(project, "ada", "run-signal"), {"signal": "approve", "field-by": " "})
    assert empty.status_code == 400 and 'id="error-signal-approve-by">is required and must not be empty' in (
        empty.content.decode()
    )
    assert empty.content.decode().startswith("<form") and 'value=" "' in empty.content.decode(), "kept as typed"
    sent = htmx(editor, "post", run_url(project, "ada", "run-signal"), {"signal": "approve", "field-by": "Bo"})
    assert sent.status_code == 200 and "Sent approve with {&quot;by&quot;: &quot;Bo&quot;}." in sent.content.decode()
    assert 'id="signal-approve"' in sent.content.decode() and 'value=""' in sent.content.decode(), "a fresh form"

    done = wait_until(
        lambda: (p := htmx(editor, "get", started.url).content.decode()) and 'data-status="completed"' in p and p
    )
    assert done and "every 2s" not in done
    assert 'id="run-actions" hx-swap-oob="true"' in done and "The run has finished." in done
    assert re.search(r'id="run-result">\{\s+&quot;by&quot;: \[\s+&quot;Bo&quot;\s+\]', done)

    listed = wait_until(lambda: "completed" in (p := editor.get(runs_url(project, "greeter")).content.decode()) and p)
    assert listed and "<code>ada</code>" in listed


@pytest.mark.temporal
def test_viewers_see_runs_but_cannot_start_signal_or_stop_them(greeters):  # noqa: F811 - the fixture
    project, users = greeters.project, greeters.users
    viewer = client_for(users["viewer"])
    ref = client_for(users["editor"]).post(runs_url(project, "greeter", "run-start"), {"input": '{"name": "V"}'})
    detail_url = ref.url
    workflow_id = detail_url.split("/runs/")[1].split("/")[0]

    page = viewer.get(detail_url)
    assert page.status_code == 200
    assert "Sending signals, cancelling and terminating need the editor role." in page.content.decode()
    assert "Starting runs needs the editor role." in viewer.get(runs_url(project, "greeter")).content.decode()
    assert viewer.post(runs_url(project, "greeter", "run-start"), {"input": '{"name": "V"}'}).status_code == 403
    for name in ("run-signal", "run-cancel", "run-terminate"):
        assert viewer.post(run_url(project, workflow_id, name), {"signal": "approve"}).status_code == 403

    outsider = client_for(users["outsider"])
    assert outsider.get(detail_url).status_code == 404
    assert outsider.get(runs_url(project, "greeter")).status_code == 404
    assert client_for(users["viewer"]).get(run_url(project, "no-such-run")).status_code == 404

    stopped = client_for(users["owner"]).post(run_url(project, workflow_id, "run-terminate"), {"reason": "done"})
    assert stopped.status_code == 200 and "Terminated." in stopped.content.decode()


@pytest.mark.temporal
def test_the_last_poll_of_a_finished_run_closes_the_header_and_removes_the_controls(greeters):  # noqa: F811
    project, editor = greeters.project, client_for(greeters.users["editor"])
    started = editor.post(runs_url(project, "greeter", "run-start"), {"input": '{"name": "Cy"}', "workflow_id": "cy"})
    running = htmx(editor, "get", started.url).content.decode()
    assert 'id="run-status" hx-swap-oob="true">running</span>' in running

    htmx(editor, "post", run_url(project, "cy", "run-signal"), {"signal": "approve", "payload": '{"by": "Di"}'})
    done = wait_until(
        lambda: (p := htmx(editor, "get", started.url).content.decode()) and 'data-status="completed"' in p and p
    )
    assert '<span class="run-status run-status--completed" id="run-status" hx-swap-oob="true">completed</span>' in done
    actions = done[done.index('<section class="card" id="run-actions" hx-swap-oob="true">') :]
    assert "The run has finished." in actions
    for control in ("run-signal", "run-cancel", "run-terminate", "Cancel run", "Terminate", "Signal approve"):
        assert control not in done, f"{control!r} is still offered for a closed run"


def test_the_run_form_names_bad_json_and_missing_fields(team):
    editor = client_for(team.user("editor"))
    url = runs_url(team.project, "package-build", "run-start")
    garbled = htmx(editor, "post", url, {"input": "{package"})
    assert garbled.status_code == 422
    assert "input: is not valid JSON (line 1, column 2: Expecting property name enclosed in double quotes" in (
        garbled.content.decode()
    )
    missing = htmx(editor, "post", url, {"input": "{}"})
    assert missing.status_code == 422 and "package: is required (text)" in missing.content.decode()
    assert "{}" in missing.content.decode(), "the typed input is kept"


def test_non_members_get_404_and_anonymous_users_the_login_page(team):
    outsider = client_for(team.user("outsider"))
    assert outsider.get(runs_url(team.project, "package-build")).status_code == 404
    assert outsider.post(runs_url(team.project, "package-build", "run-start"), {"input": "{}"}).status_code == 404
    assert outsider.post(run_url(team.project, "any", "run-signal"), {"signal": "add"}).status_code == 404
    assert outsider.get(reverse("workflows:schedules", args=(team.project.slug,))).status_code == 404
    anonymous = client_for(None).get(runs_url(team.project, "package-build"))
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))


def test_unreachable_temporal_is_explained_on_every_run_page(team, settings):
    settings.TEMPORAL_ADDRESS = "127.0.0.1:1"
    viewer = client_for(team.user("viewer"))
    expected = "Cannot reach Temporal at 127.0.0.1:1 — is the dev server running?"
    for url in (
        runs_url(team.project, "package-build"),
        run_url(team.project, "package-build-1"),
        reverse("workflows:schedules", args=(team.project.slug,)),
    ):
        response = htmx(viewer, "get", url) if "/schedules/" in url else viewer.get(url)
        assert response.status_code == 503, url
        assert expected in response.content.decode() and "Traceback" not in response.content.decode()
