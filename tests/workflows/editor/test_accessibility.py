"""Editor accessibility (issue 17 item 6): a skip link, the canvas before the palette, every control labelled."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.workflows.editor_support import client_for, url

pytestmark = pytest.mark.django_db

CONTROLS = {"input", "select", "textarea", "button"}


class _Controls(HTMLParser):
    """Every form control with how it is named: its own attributes, a <label for>, a wrapping <label>, its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.controls: list[dict] = []
        self.label_for: set[str] = set()
        self.ids: list[str] = []
        self.first_link: dict | None = None
        self._labels = 0
        self._button: dict | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(attributes["id"])
        if tag == "a" and self.first_link is None:
            self.first_link = attributes
        if tag == "label":
            self._labels += 1
            if attributes.get("for"):
                self.label_for.add(attributes["for"])
        if tag in CONTROLS and attributes.get("type") != "hidden":
            control = {"tag": tag, "attrs": attributes, "in_label": self._labels > 0, "text": ""}
            self.controls.append(control)
            if tag == "button":
                self._button = control

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._labels -= 1
        if tag == "button":
            self._button = None

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button["text"] += data.strip()


def _unnamed(parsed: _Controls) -> list[dict]:
    def named(control: dict) -> bool:
        attrs = control["attrs"]
        return bool(
            attrs.get("aria-label")
            or attrs.get("aria-labelledby")
            or attrs.get("id") in parsed.label_for
            or control["in_label"]
            or control["text"]
        )

    return [control for control in parsed.controls if not named(control)]


@pytest.mark.parametrize("node", [None, "start", "check", "build", "exists"])
def test_every_control_of_the_editor_has_a_label(team, node):
    response = client_for(team.user("editor")).get(url(team.workflow, "editor"), {"node": node} if node else {})
    parsed = _Controls()
    parsed.feed(response.content.decode())
    assert len(parsed.controls) > 20
    assert _unnamed(parsed) == []


def test_the_skip_link_comes_first_and_the_canvas_before_the_palette(team):
    response = client_for(team.user("editor")).get(url(team.workflow, "editor"))
    parsed = _Controls()
    parsed.feed(response.content.decode())
    assert parsed.first_link == {"class": "skip-link", "href": "#editor-canvas"}
    assert 'id="editor-canvas" tabindex="-1"' in response.content.decode()
    assert parsed.ids.index("editor-canvas") < parsed.ids.index("editor-palette")
    assert parsed.ids.index("canvas") < parsed.ids.index("palette-container")
