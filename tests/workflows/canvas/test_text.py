"""Node text is fitted (smaller, wrapped) before it is cut, and the full text stays in the title."""

from __future__ import annotations

from workflows.canvas.layout import layout_document
from workflows.canvas.svg import canvas_context
from workflows.canvas.text import fit_label


def test_a_label_that_fits_stays_whole_on_one_line():
    assert fit_label("Build Succeeded?", 180, 7.4).lines == ["Build Succeeded?"]


def test_a_label_slightly_too_long_is_set_smaller_not_cut():
    fitted = fit_label("Build Succeeded?", 110, 7.4)
    assert (fitted.lines, fitted.small) == (["Build Succeeded?"], True)


def test_a_long_label_wraps_on_two_lines_where_the_shape_has_room():
    fitted = fit_label("Verify every dependency of the package", 186, 7.4, max_lines=2)
    assert fitted.lines == ["Verify every dependency", "of the package"] and not fitted.small


def test_a_label_with_no_room_is_cut_with_an_ellipsis():
    fitted = fit_label("Verify every dependency of the package and its plugins twice", 100, 7.4)
    assert len(fitted.lines) == 1 and fitted.lines[0].endswith("…")


def _document(label: str, node_type: str = "activity") -> dict:
    return {
        "nodes": [{"key": "a", "type": node_type, "label": label, "config": {"activity": "noop", "retry": None}}],
        "edges": [],
    }


def test_canvas_wraps_a_long_card_label_and_keeps_the_full_text_in_the_title():
    label = "Collect the release notes of every package in the workspace"
    view = canvas_context(layout_document(_document(label)))["nodes"][0]
    assert view.title == label
    assert len(view.label_lines) == 2 or view.label_lines[0]["text"].endswith("…")
    assert all(len(line["text"]) * 7.4 <= view.width - 24 for line in view.label_lines)


def test_a_diamond_label_wraps_inside_the_diamond():
    view = canvas_context(layout_document(_document("Are all tests green?", "condition")))["nodes"][0]
    assert [line["text"] for line in view.label_lines] == ["Are all tests", "green?"]
    assert view.label_lines[0]["y"] < view.cy < view.subtitle_y
