"""Every node type that stands in a flow has exactly one emitter, found by its name (compiler/emit/registry.py)."""

from __future__ import annotations

import pytest

from compiler.emit.emitters import DECLARATION_EMITTERS, EMITTERS
from compiler.emit.registry import emitter
from compiler.lower import STATE
from workflows.node_types import CONTAINER, DECLARATION_TYPES, NODE_TYPES, STEP


def test_every_step_and_container_type_has_an_emitter_and_nothing_else_does():
    flow_types = {name for name, node_type in NODE_TYPES.items() if node_type.role in (STEP, CONTAINER)}

    assert set(EMITTERS) == flow_types


def test_every_declaration_but_state_variables_has_a_method_emitter():
    """State variables become the state dataclass's fields; every other declaration becomes methods."""
    assert set(DECLARATION_EMITTERS) == set(DECLARATION_TYPES) - {STATE}


def test_a_second_emitter_for_a_type_is_refused():
    with pytest.raises(ValueError, match="'timer' already has an emitter"):
        emitter("timer")(lambda ctx, item: [])
