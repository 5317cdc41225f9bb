"""The one door from synchronous Django code to Temporal.

A `temporalio.client.Client` belongs to the asyncio loop it was created on,
while views, admin actions and management commands are synchronous. This
module owns one loop in a daemon thread and one cached client per
(address, namespace) on it. Sync code hands it coroutines:

    async def running(client):
        return [w.id async for w in client.list_workflows('ExecutionStatus="Running"')]

    ids = temporal.call(running)          # runs on the loop with the cached client

Connection errors and timeouts become `TemporalUnavailable` with a message a
user can act on. Tests point the module at their own server by overriding
`settings.TEMPORAL_ADDRESS` (the cache is keyed by address and namespace, so
no reset is needed).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import sys
import threading
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import timedelta
from typing import Any, TypeVar

from django.conf import settings
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

T = TypeVar("T")

CONNECT_TIMEOUT = 5.0
DEFAULT_TIMEOUT = 30.0
UNREACHABLE_STATUSES = {RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED}


class TemporalUnavailable(Exception):
    """Temporal cannot be reached; the message says where and what to do."""

    def __init__(self, address: str, detail: str = "") -> None:
        message = f"Cannot reach Temporal at {address} — is the dev server running? Start everything with `make run`."
        if detail:
            message = f"{message} ({detail})"
        super().__init__(message)
        self.address = address


class LoopThread:
    """An asyncio loop running forever in a daemon thread; `run(coro)` waits for its result from sync code.

    The module keeps one for its cached clients; the test suite keeps one for
    its Temporal servers and workers (tests/conftest.py).
    """

    def __init__(self, name: str = "temporal-client-loop") -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name=name, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        """Cancel what is pending and stop the loop.

        Left running into interpreter shutdown, a pending connect attempt of
        the Temporal core (Rust threads) can call back into a finalising
        interpreter and abort the process (SIGABRT instead of a clean exit).
        """

        async def cancel_pending() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        if self.thread.is_alive():
            # Best effort: the process is exiting either way.
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(cancel_pending(), self.loop).result(2)
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(2)


_lock = threading.Lock()
_loop_thread: LoopThread | None = None
_clients: dict[tuple[str, str], Client] = {}


def _loop() -> asyncio.AbstractEventLoop:
    global _loop_thread
    with _lock:
        if _loop_thread is None:
            _loop_thread = LoopThread()
            atexit.register(_loop_thread.stop)
        return _loop_thread.loop


def address() -> str:
    return settings.TEMPORAL_ADDRESS


def namespace() -> str:
    return settings.TEMPORAL_NAMESPACE


async def get_client() -> Client:
    """The cached client for the current settings; call on the module's loop (inside `run`)."""
    key = (address(), namespace())
    client = _clients.get(key)
    if client is None:
        client = await connect(*key)
        _clients[key] = client
    return client


async def connect(target: str, target_namespace: str) -> Client:
    """A new client from settings' TLS and API key; `TemporalUnavailable` if nobody answers.

    The worker process uses this directly (it owns its own loop).
    """
    try:
        return await asyncio.wait_for(
            Client.connect(
                target,
                namespace=target_namespace,
                api_key=settings.TEMPORAL_API_KEY or None,
                tls=bool(settings.TEMPORAL_TLS),
                connect_timeout=timedelta(seconds=CONNECT_TIMEOUT),
            ),
            timeout=CONNECT_TIMEOUT + 1,
        )
    except (RuntimeError, OSError, TimeoutError) as error:
        global _failed_connect
        _failed_connect = True
        raise TemporalUnavailable(target) from error


# Set when a connection attempt failed: the Temporal core may still hold a
# thread that calls back into Python, which aborts a finalising interpreter.
_failed_connect = False


def exit_after_failed_connect(code: int) -> None:
    """Leave at once with `code` if a connection attempt failed in this process.

    After a failed connect the Temporal core (Rust threads) can release the
    GIL during interpreter finalisation and abort the process with SIGABRT
    instead of the clean exit code a command promised. Output is flushed
    first; nothing else is pending at that point of a management command.
    """
    if _failed_connect:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def run(coro: Coroutine[Any, Any, T], timeout: float = DEFAULT_TIMEOUT) -> T:
    """Run `coro` on the client loop and wait for it (from synchronous code only).

    Raises `TemporalUnavailable` when the server cannot be reached or does not
    answer within `timeout` seconds; other Temporal errors pass through.
    """
    future = asyncio.run_coroutine_threadsafe(_translated(coro), _loop())
    try:
        return future.result(timeout)
    except FutureTimeout:
        future.cancel()
        raise TemporalUnavailable(address(), f"no answer within {timeout:g} s") from None


def call(fn: Callable[[Client], Awaitable[T]], timeout: float = DEFAULT_TIMEOUT) -> T:
    """`run(fn(client))` with the cached client: the usual way for sync code to talk to Temporal."""

    async def with_client() -> T:
        return await fn(await get_client())

    return run(with_client(), timeout=timeout)


async def _translated(coro: Coroutine[Any, Any, T]) -> T:
    try:
        return await coro
    except RPCError as error:
        if error.status in UNREACHABLE_STATUSES:
            raise TemporalUnavailable(address(), error.message) from error
        raise
