"""compiler.validate.dependencies: build layers and cycles of static items on graphlib, as the runtime sees them."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.runtime.scheduling import DependencyCycleError
from compiler.runtime.scheduling import dependency_layers as runtime_layers
from compiler.validate.dependencies import DependencyCycle, dependency_layers, unknown_dependency

KEYS = ["a", "b", "c", "d", "e", "f"]


def test_layers_put_every_dependency_in_an_earlier_layer():
    packages = {"cli": ["api"], "api": ["http", "utils"], "http": ["core"], "utils": ["core"], "core": [], "docs": []}
    assert dependency_layers(packages) == [["core", "docs"], ["http", "utils"], ["api"], ["cli"]]


def test_a_cycle_follows_depends_on_from_its_smallest_key():
    with pytest.raises(DependencyCycle) as caught:
        dependency_layers({"c": ["b"], "a": ["c"], "b": ["a"], "free": []})
    assert str(caught.value) == "dependency cycle: a -> c -> b -> a"
    with pytest.raises(DependencyCycle, match="dependency cycle: a -> a"):
        dependency_layers({"a": ["a"]})


def test_an_unknown_dependency_is_named_and_left_out_of_the_layers():
    items = {"api": ["core", "ghost"], "core": []}
    assert unknown_dependency(items) == ("api", "ghost")
    assert dependency_layers(items) == [["core"], ["api"]]


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), st.lists(st.sampled_from(KEYS), max_size=3), max_size=len(KEYS)))
def test_the_same_layers_and_cycles_as_the_runtime_that_runs_the_items(items):
    """The spawner's runtime (compiler/runtime/scheduling.py) layers the same items at run time."""
    items = {key: [dep for dep in deps if dep in items] for key, deps in items.items()}
    try:
        expected = runtime_layers(items)
    except DependencyCycleError:
        with pytest.raises(DependencyCycle):
            dependency_layers(items)
        return
    assert dependency_layers(items) == expected
