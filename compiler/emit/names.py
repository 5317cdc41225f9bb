"""The one place that names things in a generated module, so no name means two things.

Every name the emitters make up (the workflow and state classes, retry
policy constants, handler methods, the locals of `run`: retry block and
spawner variables, loop counters) is asked for here. A name is given once:
when the wanted one is taken, the next free `<want>_2`, `<want>_3`... is
given instead, so `retry_fix_a` for block `fix-a` and `retry_fix_a_2` for
block `fix_a`. Never given: what the module imports (read from the import
statements the emitter builds, compiler/emit/module.py), Python's keywords, soft
keywords and builtins (user expressions call `len`, a class `TypeError`
would replace the one the workflow fails on), and the fixed names a scope
uses with one meaning throughout (`item`, `failure`...).

Module-level names and locals never meet, so a local never hides a
constant or class that the code around it reads.
"""

from __future__ import annotations

import builtins
import keyword
from collections.abc import Iterable

NEVER_GIVEN = frozenset({*keyword.kwlist, *keyword.softkwlist, *dir(builtins)})


class Names:
    """The names of one generated module."""

    def __init__(self, imported: Iterable[str]) -> None:
        self._module = set(NEVER_GIVEN) | set(imported)
        self._locals: set[str] = set()

    def module_name(self, want: str, *alternatives: str) -> str:
        """A module-level name: `want`, else the first free alternative, else `want` numbered."""
        name = _first_free((want, *alternatives), self._taken)
        self._module.add(name)
        return name

    def scope(self, fixed: Iterable[str] = ()) -> Scope:
        """The locals of one function (nested functions included); `fixed` names are the scope's own words."""
        return Scope(self, fixed)

    def _taken(self, name: str) -> bool:
        return name in self._module or name in self._locals


class Scope:
    """Locals of one function of the generated module."""

    def __init__(self, names: Names, fixed: Iterable[str]) -> None:
        self._names = names
        self._taken = set(fixed)
        names._locals |= self._taken

    def local(self, want: str) -> str:
        """A local variable named `want`, or numbered when that is taken here or at module level."""
        name = _first_free((want,), lambda name: name in self._taken or self._names._taken(name))
        self._taken.add(name)
        self._names._locals.add(name)
        return name


def _first_free(wanted: tuple[str, ...], taken) -> str:
    for name in wanted:
        if not taken(name):
            return name
    number = 2
    while taken(f"{wanted[0]}_{number}"):
        number += 1
    return f"{wanted[0]}_{number}"
