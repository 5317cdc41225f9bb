"""The project page's Schedules card (celery backend: rows in the database, no Temporal needed)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from compiler.schedules.service import sync_schedules
from tests.compiler.build_support import make_build
from tests.compiler.run_documents import greeter_document
from tests.compiler.runs.test_control import GREETER_ACTIVITIES
from tests.workflows.editor_support import client_for, htmx
from workflows.services import graph_replace


@pytest.fixture
def scheduled(team, settings):
    """The team's package-build on a */30 cron, built as a deploy builds it, with its PeriodicTask.

    Its cron_input lacks the required `name`, so "trigger now" has something to explain.
    """
    settings.SCHEDULE_BACKEND = "celery"
    settings.WORKFLOW_ACTIVITY_MODULES = [GREETER_ACTIVITIES]
    document = greeter_document("package-build", cron="*/30 * * * *")
    document["nodes"][0]["config"]["cron_input"] = {}
    workflow = team.project.workflows.get(identifier="package-build")
    graph_replace(workflow=workflow, user=None, expected_version=None, document=document, message="on a cron")
    sync_schedules(team.project, make_build(team.project))
    return team


def card_url(team) -> str:
    return reverse("workflows:schedules", args=(team.project.slug,))


def action_url(team, action: str) -> str:
    return reverse("workflows:schedule-action", args=(team.project.slug, "package-build", action))


def test_the_project_page_loads_the_card_after_rendering(scheduled):
    page = client_for(scheduled.user("viewer")).get(reverse("projects:detail", args=(scheduled.project.slug,)))
    assert f'hx-get="{card_url(scheduled)}" hx-trigger="load"' in page.content.decode()


def test_the_card_describes_each_schedule_and_offers_editors_pause_and_trigger(scheduled):
    viewer_card = htmx(client_for(scheduled.user("viewer")), "get", card_url(scheduled)).content.decode()
    assert "<strong>Every 30 minutes</strong>" in viewer_card and "<code>*/30 * * * *</code>" in viewer_card
    assert viewer_card.count("<time ") == 3 and "Last run: none yet" in viewer_card
    assert "Pause" not in viewer_card and "Trigger now" not in viewer_card

    editor = client_for(scheduled.user("editor"))
    assert "Pause</button>" in htmx(editor, "get", card_url(scheduled)).content.decode()
    paused = htmx(editor, "post", action_url(scheduled, "pause"))
    assert paused.status_code == 200
    html = paused.content.decode()
    assert "Paused the schedule of package-build." in html and '<span class="badge">paused</span>' in html
    assert "Resume</button>" in html and "<time " not in html and "Next: none while paused" in html
    assert not PeriodicTask.objects.get(name__endswith="--package-build").enabled
    resumed = htmx(editor, "post", action_url(scheduled, "resume")).content.decode()
    assert "Resumed the schedule of package-build." in resumed
    assert PeriodicTask.objects.get(name__endswith="--package-build").enabled


def test_viewers_cannot_change_schedules_and_outsiders_do_not_see_them(scheduled):
    assert client_for(scheduled.user("viewer")).post(action_url(scheduled, "pause")).status_code == 403
    assert client_for(scheduled.user("outsider")).post(action_url(scheduled, "pause")).status_code == 404
    assert htmx(client_for(scheduled.user("outsider")), "get", card_url(scheduled)).status_code == 404
    assert client_for(scheduled.user("editor")).post(action_url(scheduled, "explode")).status_code == 404


def test_trigger_now_explains_why_nothing_started(scheduled):
    """The cron_input lacks the required `name`: the start is refused with the field named."""
    response = htmx(client_for(scheduled.user("editor")), "post", action_url(scheduled, "trigger"))
    assert response.status_code == 400
    assert "name: is required (text)" in response.content.decode()
