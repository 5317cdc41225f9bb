"""Pausing Python's cyclic garbage collector while a graph compiles.

Compiling builds hundreds of thousands of small objects that stay alive
until the module is printed (the validator's tables, the workflow's `ast`
tree, the printed lines). The cyclic collector counts them as they are
made and, every time the live heap has grown by a quarter, walks all of
it: a third or more of the compile time (measured on the 1,000- and
5,000-node graphs of benchmarks/compile_scaling.py), growing faster than
the graph. A compile makes no reference cycles (tests/compiler/
test_gc_pause.py checks), so there is nothing for the collector to find:
reference counting frees every temporary at once. Cyclic garbage made
anyway would be collected at the first collection after the pause.

The pause is process-wide (that is how `gc` works), so it is counted:
threads compiling at the same time share one pause, and the collector is
switched back on when the last of them finishes, and only if it was on.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_active = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off (usable as a decorator)."""
    global _active, _was_enabled
    with _lock:
        if _active == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _was_enabled:
                gc.enable()
