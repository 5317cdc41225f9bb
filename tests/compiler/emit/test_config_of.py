"""compiler.emit.support.config_of: a node's config over the defaults of the type registered now."""

from __future__ import annotations

from compiler.emit.support import config_of
from compiler.ir import IRNode
from workflows.node_types import Field, NodeType, register, unregister


def _pause_type(seconds: int) -> NodeType:
    return NodeType("pause", "Pause", "Waits.", "steps", "clock", fields=(Field("seconds", "int", default=seconds),))


def test_a_type_registered_again_under_the_same_name_brings_its_own_defaults():
    node = IRNode("nap", "pause", "Nap")
    register(_pause_type(2))
    try:
        assert config_of(node) == {"seconds": 2}
    finally:
        unregister("pause")
    register(_pause_type(5))
    try:
        assert config_of(node) == {"seconds": 5}
        assert config_of(IRNode("nap", "pause", "Nap", {"seconds": 9})) == {"seconds": 9}
    finally:
        unregister("pause")
