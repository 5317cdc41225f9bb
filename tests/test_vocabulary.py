"""vocabulary.py is read by the registry, the emitter and the runtime in Temporal's sandbox: it imports nothing else."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import vocabulary
from compiler.expressions.language import check_identifier
from compiler.runtime.retry import RetryBlock
from workflows.node_types import NODE_TYPES

SOURCE = Path(vocabulary.__file__)


def test_vocabulary_imports_only_the_standard_library():
    tree = ast.parse(SOURCE.read_text())
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}

    assert {module.partition(".")[0] for module in modules} <= set(sys.stdlib_module_names) | {"__future__"}


def test_the_registry_and_the_runtime_give_a_retry_block_the_same_defaults():
    block = RetryBlock(None, "again", "Again")
    registry = NODE_TYPES["retry_block"].defaults()
    settings = ("max_attempts", "backoff", "initial_interval", "multiplier", "max_interval")

    assert {name: getattr(block, name) for name in settings} == {name: registry[name] for name in settings}


def test_every_name_a_node_type_binds_is_a_context_name_no_variable_may_take():
    bound = {name for node_type in NODE_TYPES.values() for name in (*node_type.slot_names, *node_type.own_names)}

    assert bound <= set(vocabulary.CONTEXT_NAMES)
    for name, reason in vocabulary.CONTEXT_NAMES.items():
        assert check_identifier(name) == f"variable name '{name}' is reserved ({reason}); choose another name"
