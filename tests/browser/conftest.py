"""Fixtures for the end-to-end browser tests: chromium, screenshots per step, a real Temporal and worker.

The studio runs on pytest-django's `live_server`; Temporal is the session's
dev server (`temporal_env`), and the workflows run on a real
`manage.py run_worker` subprocess watching every project, exactly as in
production. The worker reads the test's rows from the file-backed SQLite
test database (see tests/compiler/conftest.py), so these tests use
`transactional_db` (which `live_server` needs anyway).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.urls import reverse

from tests.compiler.conftest import start_worker, temporal_address  # noqa: F401 - fixtures used by the tests
from tests.factories import PASSWORD

SCREENSHOTS = Path("test-results/browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PACKAGE_MANAGEMENT_ACTIVITIES = "compiler.activities.builtins,examples.package_management.activities"


@dataclass
class Studio:
    """A logged-out browser tab on the live server; `shot` numbers the screenshots of the test's steps."""

    page: object
    url: str
    folder: Path
    errors: list[str] = field(default_factory=list)
    taken: int = 0

    def go(self, name: str, *args) -> None:
        self.page.goto(f"{self.url}{reverse(name, args=args)}")

    def log_in(self, username: str, password: str) -> None:
        self.go("login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(f"{self.url}{reverse('projects:list')}")

    def open_editor(self, user, workflow):
        """Log `user` in and open `workflow` in the editor, once its canvas is drawn; the page."""
        self.log_in(user.username, PASSWORD)
        self.go("workflows:editor", workflow.project.slug, workflow.identifier)
        self.page.locator("#canvas svg.canvas-svg").wait_for()
        return self.page

    def shot(self, step: str) -> None:
        self.taken += 1
        self.page.screenshot(path=self.folder / f"{self.taken:02d}-{step}.png", full_page=True)


@pytest.fixture
def studio(live_server, request) -> Iterator[Studio]:
    """Chromium (Debian's) on the live server; any console error or page error is recorded in `errors`."""
    # Sync Playwright runs its own event loop in this thread; Django's ORM would refuse that without this.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "-", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        studio = Studio(page, live_server.url, folder)
        page.on("console", lambda message: studio.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: studio.errors.append(str(error)))
        page.on("dialog", lambda dialog: dialog.accept())  # hx-confirm: the user says yes
        yield studio
        browser.close()


@pytest.fixture
def worker(start_worker):  # noqa: F811 - the fixture imported above
    """`run_worker` for every project (it notices projects and builds created during the test)."""
    return start_worker(activity_modules=PACKAGE_MANAGEMENT_ACTIVITIES)
