"""The package queue as a local MCP server (stdio): what the mcp-poller asks for work.

Run with ``python -m examples.package_management.mcp_server``; the setting
``MCP_SERVERS["packages"]`` starts it this way for the ``mcp_call`` activity
and for agents. The queue lives in a JSON file, ``PACKAGES_QUEUE_FILE``
(default ``var/packages-queue.json``), created from the sample workspace's
``queue.json`` on first use, so the state survives between calls (each call
may start a fresh server process).

Tools:
- ``packages_get_build_queue(limit=10, exclude_blocked=True)``: packages
  waiting to be built, highest priority first.
- ``packages_update(name, status)``: set a package's status (a new name is
  added to the queue); the continuous builder marks packages published or
  failed with it.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from typing_extensions import TypedDict  # pydantic needs it for structured output on Python < 3.12

# Not imported from sample.py, which pulls in temporalio: this process starts on every tool call.
SAMPLE_QUEUE = Path(__file__).resolve().parent / "workspace" / "queue.json"
DEFAULT_QUEUE_FILE = Path(__file__).resolve().parents[2] / "var" / "packages-queue.json"
STATUSES = ("queued", "building", "published", "failed", "blocked")

server = MCPServer("packages")


class QueuedPackage(TypedDict):
    name: str
    priority: int
    dependencies: list[str]
    category: str
    status: str


class BuildQueue(TypedDict):
    packages: list[QueuedPackage]
    total: int


class StatusChange(TypedDict):
    name: str
    status: str
    previous: str | None


def queue_file() -> Path:
    return Path(os.environ.get("PACKAGES_QUEUE_FILE") or DEFAULT_QUEUE_FILE)


def load_queue() -> list[dict]:
    """The queue, seeded from the sample on first use."""
    path = queue_file()
    source = path if path.is_file() else SAMPLE_QUEUE
    try:
        return json.loads(source.read_text())["packages"]
    except (ValueError, KeyError) as error:
        raise ToolError(f"the package queue file {source} is not valid ({error}); fix or delete it") from error


def save_queue(packages: list[dict]) -> None:
    """Write atomically, so a reader in another server process never sees half a file."""
    path = queue_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as handle:
        json.dump({"packages": packages}, handle, indent=2, sort_keys=True)
    os.replace(handle.name, path)


def _public(entry: dict) -> QueuedPackage:
    return {
        "name": entry["name"],
        "priority": int(entry.get("priority", 0)),
        "dependencies": list(entry.get("dependencies", [])),
        "category": entry.get("category", ""),
        "status": entry.get("status", "queued"),
    }


@server.tool(description="Packages waiting to be built, highest priority first (blocked ones left out by default).")
def packages_get_build_queue(limit: int = 10, exclude_blocked: bool = True) -> BuildQueue:
    if limit < 1:
        raise ToolError(f"limit must be at least 1, got {limit}")
    wanted = ("queued",) if exclude_blocked else ("queued", "blocked")
    waiting = [_public(entry) for entry in load_queue() if entry.get("status", "queued") in wanted]
    waiting.sort(key=lambda entry: (-entry["priority"], entry["name"]))
    return {"packages": waiting[:limit], "total": len(waiting)}


@server.tool(description=f"Set a package's status ({', '.join(STATUSES)}); an unknown package is added.")
def packages_update(name: str, status: str) -> StatusChange:
    if status not in STATUSES:
        raise ToolError(f"status must be one of {', '.join(STATUSES)}, got {status!r}")
    if not name.strip():
        raise ToolError("name must not be empty")
    packages = load_queue()
    entry = next((entry for entry in packages if entry["name"] == name), None)
    previous = entry.get("status", "queued") if entry else None
    if entry is None:
        entry = {"name": name, "priority": 0, "dependencies": [], "category": ""}
        packages.append(entry)
    entry["status"] = status
    save_queue(packages)
    return {"name": name, "status": status, "previous": previous}


if __name__ == "__main__":
    server.run()
