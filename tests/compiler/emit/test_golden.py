"""Golden files: the generated module of each graph in tests/golden/graphs is fixed.

Each tests/golden/graphs/<name>.json (a workflow JSON document) compiles to
exactly tests/golden/<name>.py. After an intended change to the emitter,
regenerate them and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/compiler/emit/test_golden.py

Output must not depend on dict/set hashing: a subprocess with other
PYTHONHASHSEED values must produce the same bytes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from compiler.pipeline import compile_graph
from tests.compiler.documents import GOLDEN_DIR, golden_graph, golden_names

REPO = Path(__file__).resolve().parents[3]


def _compiled(name: str) -> str:
    result = compile_graph(golden_graph(name))
    assert result.source is not None, [d.line() for d in result.diagnostics]
    return result.source


@pytest.mark.parametrize("name", golden_names())
def test_generated_module_matches_golden_file(name):
    source = _compiled(name)
    golden = GOLDEN_DIR / f"{name}.py"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(source)
    assert golden.exists(), f"missing {golden}; run with UPDATE_GOLDEN=1 to create it"
    assert source == golden.read_text()


def test_golden_graphs_compile_without_errors_or_warnings_about_the_compiler():
    for name in golden_names():
        result = compile_graph(golden_graph(name))
        assert not [d for d in result.diagnostics if d.is_error], name


SCRIPT = """
import hashlib, sys
from compiler.pipeline import compile_graph
from tests.compiler.documents import golden_graph, golden_names
for name in golden_names():
    print(name, hashlib.sha256(compile_graph(golden_graph(name)).source.encode()).hexdigest())
"""


@pytest.mark.parametrize("seed", ["1", "4242"])
def test_output_is_identical_under_other_hash_seeds(seed):
    expected = "".join(f"{name} {hashlib.sha256(_compiled(name).encode()).hexdigest()}\n" for name in golden_names())
    environment = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
    output = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=REPO, env=environment, capture_output=True, text=True, check=True
    ).stdout
    assert output == expected
