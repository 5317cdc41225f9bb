"""gc_paused: the cyclic collector is off inside, restored after, shared by overlapping users."""

from __future__ import annotations

import gc
import threading

import pytest

from benchmarks.compile_scaling import build_graph
from compiler.gc_pause import gc_paused
from compiler.pipeline import compile_graph


@pytest.fixture
def collector_on():
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    if not was_enabled:
        gc.disable()


def test_collector_is_off_inside_and_back_on_after(collector_on):
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collector_comes_back_after_an_exception(collector_on):
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("compile failed")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off(collector_on):
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_overlapping_pauses_end_with_the_last_one(collector_on):
    first_inside, second_done = threading.Event(), threading.Event()
    seen = {}

    def first():
        with gc_paused():
            first_inside.set()
            second_done.wait(5)
            seen["first, after second left"] = gc.isenabled()

    thread = threading.Thread(target=first)
    thread.start()
    first_inside.wait(5)
    with gc_paused():
        pass
    second_done.set()
    thread.join(5)
    assert seen == {"first, after second left": False}
    assert gc.isenabled()


def test_usable_as_a_decorator(collector_on):
    @gc_paused()
    def compile_something():
        return gc.isenabled()

    assert compile_something() is False
    assert gc.isenabled()


def test_compiling_makes_no_reference_cycles(collector_on):
    """The pause frees nothing late: a compile's garbage is freed by reference counting alone."""
    graph = build_graph(100)
    gc.collect()
    gc.disable()
    assert compile_graph(graph).ok
    assert gc.collect() == 0
