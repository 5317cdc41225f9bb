"""Folding containers on the canvas: a folded container is one card, its nodes are left out, per user view."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import make_project, make_user, make_workflow_from_document, sample_document
from workflows.canvas.folding import folded_keys
from workflows.canvas.layout import layout_document
from workflows.canvas.svg import canvas_context, layout_cache_key
from workflows.node_types.drawing import CARD_SIZE


def test_a_folded_container_is_a_card_that_counts_the_nodes_it_hides():
    document = sample_document(extra_steps=2)
    layout = layout_document(document, frozenset({"prepare"}))
    keys = {box.key for box in layout.nodes}
    assert not keys & {"check", "step-1", "step-2"}
    prepare = layout.node("prepare")
    assert (prepare.width, prepare.height, prepare.folded, prepare.is_container) == (*CARD_SIZE, 3, False)
    assert {(e.source, e.target) for e in layout.edges} >= {("start", "prepare"), ("prepare", "exists")}
    view = next(v for v in canvas_context(layout)["nodes"] if v.key == "prepare")
    assert "is-folded" in view.classes and "3 nodes inside" in view.kicker
    unfolded = layout_document(document)
    assert layout.height < unfolded.height
    assert [(b.key, b.x, b.y) for b in layout_document(document, frozenset({"prepare"})).nodes] == [
        (b.key, b.x, b.y) for b in layout.nodes
    ]  # deterministic


def test_folding_ignores_keys_that_are_not_containers():
    document = sample_document()
    plain = layout_document(document)
    odd = layout_document(document, frozenset({"check", "no-such-node"}))
    assert [(b.key, b.x, b.y, b.width) for b in odd.nodes] == [(b.key, b.x, b.y, b.width) for b in plain.nodes]


def test_the_cookie_names_folded_keys_and_anything_else_is_dropped():
    cookies = {"canvas-folded-7": "build.prepare.<script>..Bad Key", "canvas-folded-8": "other"}
    assert folded_keys(cookies, 7) == frozenset({"build", "prepare"})
    assert folded_keys({}, 7) == frozenset()


@pytest.mark.django_db
def test_the_editor_draws_the_containers_its_cookie_folds_and_caches_each_view_apart(client):
    owner = make_user()
    workflow = make_workflow_from_document(make_project(owner))
    client.force_login(owner)
    url = reverse("workflows:editor", args=(workflow.project.slug, workflow.identifier))
    html = client.get(url).content.decode()
    assert 'id="node-compile"' in html and 'data-fold="build"' in html and 'aria-pressed="false"' in html

    client.cookies[f"canvas-folded-{workflow.pk}"] = "build"
    html = client.get(url).content.decode()
    assert 'id="node-compile"' not in html and 'id="node-fix"' not in html
    assert re.search(r'class="node node--retry_block shape--card is-folded[^"]*" id="node-build"', html)
    assert re.search(r'data-fold="build"[^>]*aria-pressed="true"[^>]*aria-label="Unfold Build"', html)
    assert layout_cache_key(workflow) != layout_cache_key(workflow, frozenset({"build"}))
