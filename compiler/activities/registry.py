"""The activity registry: every activity a generated workflow may call by name.

Generated code calls ``workflow.execute_activity("http_request", {"url": ...})``:
one positional dict of named arguments, so a graph's activity node maps its
argument rows 1:1 onto the function's parameters. ``@register_activity``
adapts a plain ``async def`` with typed keyword parameters to that calling
convention, registers it with Temporal under ``name`` and records an
``ActivitySpec`` (read from the signature) for the editor's palette and the
compiler's "unknown activity / argument" checks.

While an activity runs, the adapter heartbeats for it (`_heartbeating`):
generated code gives every activity a heartbeat timeout, so a worker that
dies mid-step is noticed within seconds instead of after the step's whole
timeout, and the step runs again elsewhere (docs/decisions.md, "A lost
worker is not a failed attempt"). Activities need not heartbeat themselves.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

_REQUIRED = inspect.Parameter.empty
# Heartbeats per heartbeat timeout, and the longest gap between two (the SDK throttles them anyway).
_BEATS_PER_TIMEOUT = 3
_MAX_BEAT_INTERVAL = 10.0


@dataclass(frozen=True)
class ArgSpec:
    """One named argument of an activity, as the palette and validator see it."""

    name: str
    type_name: str
    required: bool
    default: Any = None


@dataclass(frozen=True)
class ActivitySpec:
    """A registered activity: its Temporal name, what it does, its arguments."""

    name: str
    description: str
    args: list[ArgSpec]
    fn: Callable[..., Awaitable[Any]] = field(repr=False)
    temporal_activity: Callable[[dict], Awaitable[Any]] = field(repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able description for the palette and the API."""
        return {
            "name": self.name,
            "description": self.description,
            "args": [
                {"name": a.name, "type": a.type_name, "required": a.required, "default": a.default} for a in self.args
            ],
        }


_REGISTRY: dict[str, ActivitySpec] = {}


def register_activity(name: str, description: str) -> Callable[[Callable], Callable]:
    """Register an ``async def`` with keyword parameters as the activity ``name``.

    The function itself is returned unchanged, so it can still be called
    directly (in tests, or by another activity). Registering a second,
    different function under a taken name is an error; re-importing the same
    module (same module and qualified name) replaces the old entry.
    """

    def decorate(fn: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        if not inspect.iscoroutinefunction(fn):
            raise TypeError(f"activity {name!r}: {fn.__qualname__} must be an async def")
        existing = _REGISTRY.get(name)
        if existing is not None and _origin(existing.fn) != _origin(fn):
            raise ValueError(
                f"activity name {name!r} is taken by {_origin(existing.fn)}; cannot register {_origin(fn)}"
            )
        args = _arg_specs(name, fn)
        _REGISTRY[name] = ActivitySpec(
            name=name,
            description=description,
            args=args,
            fn=fn,
            temporal_activity=_adapt(name, fn, args),
        )
        return fn

    return decorate


def _origin(fn: Callable) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def _arg_specs(name: str, fn: Callable) -> list[ArgSpec]:
    specs = []
    for param in inspect.signature(fn).parameters.values():
        if param.kind not in (param.POSITIONAL_OR_KEYWORD, param.KEYWORD_ONLY):
            raise TypeError(f"activity {name!r}: parameter {param.name!r} must be a plain named parameter")
        specs.append(
            ArgSpec(
                name=param.name,
                type_name=_type_name(param.annotation),
                required=param.default is _REQUIRED,
                default=None if param.default is _REQUIRED else param.default,
            )
        )
    return specs


def _type_name(annotation: Any) -> str:
    """A readable type: the source text under postponed annotations, else the class name."""
    if annotation is _REQUIRED:
        return "any"
    if isinstance(annotation, str):
        return annotation
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "")


def _adapt(name: str, fn: Callable[..., Awaitable[Any]], args: list[ArgSpec]) -> Callable[[dict], Awaitable[Any]]:
    """The Temporal-facing activity: takes one dict, checks it, calls ``fn(**it)``."""
    known = {arg.name for arg in args}
    required = [arg.name for arg in args if arg.required]

    @functools.wraps(fn)
    async def run(arguments: dict) -> Any:
        if not isinstance(arguments, dict):
            raise _bad_arguments(
                f"activity {name!r} takes one object of named arguments, got {type(arguments).__name__}"
            )
        unknown = sorted(set(arguments) - known)
        if unknown:
            raise _bad_arguments(
                f"activity {name!r} got unknown argument(s) {', '.join(unknown)}; "
                f"it takes {', '.join(sorted(known)) or 'no arguments'}"
            )
        missing = [arg for arg in required if arg not in arguments]
        if missing:
            raise _bad_arguments(f"activity {name!r} is missing required argument(s) {', '.join(missing)}")
        async with _heartbeating():
            return await fn(**arguments)

    # functools.wraps copied fn's signature; Temporal must see the one-dict signature.
    del run.__wrapped__
    run.__annotations__ = {"arguments": dict, "return": Any}
    return activity.defn(name=name)(run)


@contextlib.asynccontextmanager
async def _heartbeating() -> AsyncIterator[None]:
    """Heartbeat every third of the heartbeat timeout while the body runs (nothing without a timeout).

    The heartbeats come from this worker's event loop, so they stop exactly
    when the worker dies (or the loop is blocked), which is what the
    heartbeat timeout is there to notice.
    """
    timeout = activity.info().heartbeat_timeout if activity.in_activity() else None
    if not timeout:
        yield
        return
    interval = min(timeout.total_seconds() / _BEATS_PER_TIMEOUT, _MAX_BEAT_INTERVAL)

    async def beat() -> None:
        while True:
            await asyncio.sleep(interval)
            activity.heartbeat()

    beating = asyncio.create_task(beat())
    try:
        yield
    finally:
        beating.cancel()


def _bad_arguments(message: str) -> ApplicationError:
    return ApplicationError(message, type="BadActivityArguments", non_retryable=True)


def registered_activities() -> list[ActivitySpec]:
    """Every registered activity, sorted by name."""
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def get_activity(name: str) -> ActivitySpec | None:
    return _REGISTRY.get(name)


def temporal_activities() -> list[Callable[[dict], Awaitable[Any]]]:
    """The callables to hand to ``temporalio.worker.Worker(activities=...)``."""
    return [spec.temporal_activity for spec in registered_activities()]


def load_activity_modules(module_paths: list[str]) -> list[ActivitySpec]:
    """Import each module so its ``@register_activity`` decorators run."""
    for path in module_paths:
        try:
            importlib.import_module(path)
        except ImportError as error:
            raise ImportError(f"cannot load activity module {path!r}: {error}") from error
    return registered_activities()
