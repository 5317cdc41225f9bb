"""Retry policies as module-level constants, one per distinct setting.

Most steps of a workflow share a handful of retry settings (the node
types' defaults, a preset or two). Spelling the whole `RetryPolicy(...)`
out in every call made a reviewer read the same five lines after each
step, and made the module a third longer for Python to parse. Each
distinct policy is instead defined once, after the imports, under a name
that says how many attempts it allows, and the calls refer to it:

    UP_TO_3_ATTEMPTS = RetryPolicy(initial_interval=timedelta(seconds=1), ...)
    ...
    await workflow.execute_activity('build', ..., retry_policy=UP_TO_3_ATTEMPTS)

Names come from the settings alone and are numbered in order of first use
when two policies allow the same attempts, so the same graph still gives
the same bytes; the module's name allocator (compiler/emit/names.py)
gives them, so no class, import or local takes one.
"""

from __future__ import annotations

import ast

from compiler.emit.names import Names

# A setting's value: seconds, a count or coefficient, or the names of non-retryable errors.
Setting = int | float | tuple[str, ...]
_SECONDS = frozenset({"initial_interval", "maximum_interval"})


class RetryPolicies:
    """The policies one module uses, in order of first use."""

    def __init__(self, names: Names) -> None:
        self._module_names = names
        self._names: dict[tuple[tuple[str, Setting], ...], str] = {}

    def reference(self, settings: dict[str, Setting]) -> ast.Name:
        """The constant holding a `RetryPolicy` with these keyword settings (defined on first use)."""
        key = tuple(settings.items())
        if key not in self._names:
            self._names[key] = self._new_name(settings.get("maximum_attempts"))
        return ast.Name(self._names[key], ast.Load())

    def definitions(self) -> list[ast.stmt]:
        """`NAME = RetryPolicy(...)` for every policy referred to, in order of first use."""
        policy = ast.Name("RetryPolicy", ast.Load())
        return [
            ast.Assign([ast.Name(constant, ast.Store())], ast.Call(policy, [], _keywords(key)))
            for key, constant in self._names.items()
        ]

    def imported_names(self) -> set[str]:
        """What the definitions need imported."""
        if not self._names:
            return set()
        seconds = any(keyword in _SECONDS for key in self._names for keyword, _ in key)
        return {"RetryPolicy", "timedelta"} if seconds else {"RetryPolicy"}

    def _new_name(self, attempts: Setting | None) -> str:
        if attempts == 1:
            base = "NO_RETRIES"
        elif attempts == 0:
            base = "RETRY_FOREVER"
        elif isinstance(attempts, int):
            base = f"UP_TO_{attempts}_ATTEMPTS"
        else:
            base = "RETRY_POLICY"
        return self._module_names.module_name(base)


def _keywords(settings: tuple[tuple[str, Setting], ...]) -> list[ast.keyword]:
    return [ast.keyword(keyword, _value(keyword, value)) for keyword, value in settings]


def _value(keyword: str, value: Setting) -> ast.expr:
    if keyword in _SECONDS:
        return ast.Call(ast.Name("timedelta", ast.Load()), [], [ast.keyword("seconds", ast.Constant(value))])
    if isinstance(value, tuple):
        return ast.List([ast.Constant(item) for item in value], ast.Load())
    return ast.Constant(value)
