"""Every module that registers node-type emitters (compiler/emit/registry.py), imported once.

Importing this module fills the table; compiler/emit/module.py does so
before it emits anything. A new node type's emitter module is listed here.
"""

from compiler.emit import concurrent, containers, control, handlers, spawn, steps
from compiler.emit.registry import DECLARATION_EMITTERS, EMITTERS

__all__ = ["DECLARATION_EMITTERS", "EMITTERS", "concurrent", "containers", "control", "handlers", "spawn", "steps"]
