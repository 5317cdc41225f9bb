"""Diagnostics: what the compiler tells a user about their graph.

Each one is pinned to a node (and a config field) or an edge, so the editor
can outline the node and the inspector can show the message by the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Diagnostic:
    severity: Severity
    message: str
    node: str | None = None  # node key
    edge: str | None = None  # "source -kind-> target"
    field: str | None = None  # config field, e.g. "expression" or "args.url"
    hint: str = ""
    column: int | None = None  # 1-based column inside the field's expression

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    def line(self) -> str:
        """`node-key: message` as printed by `compile_workflow --check`."""
        where = self.node or self.edge or "workflow"
        field = f" [{self.field}]" if self.field else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{field}: {self.message}{hint}"

    def as_dict(self) -> dict:
        return {
            "severity": self.severity.value,
            "message": self.message,
            "node": self.node,
            "edge": self.edge,
            "field": self.field,
            "hint": self.hint,
            "column": self.column,
        }


def error(message: str, **where) -> Diagnostic:
    return Diagnostic(Severity.ERROR, message, **where)


def warning(message: str, **where) -> Diagnostic:
    return Diagnostic(Severity.WARNING, message, **where)


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)
