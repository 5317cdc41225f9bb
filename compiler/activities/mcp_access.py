"""Which MCP servers a project may use: each entry of MCP_SERVERS lists its projects.

    MCP_SERVERS = {"packages": {"transport": "stdio", ..., "projects": ["package-management"]}}

A server serves only the project slugs in its ``projects`` list (none when
the list is missing), so one project's workflows cannot call tools that
read or change another project's data. The ``mcp_call`` and ``agent``
activities learn the calling workflow's project from the task queue they
run on (``<uuid8>-<slug>-queue``, compiler/activities/caller.py) and refuse any other
server; validation (compiler/pipeline.py) applies the same rule to graphs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from temporalio.exceptions import ApplicationError

from compiler.activities.caller import calling_project
from compiler.activities.config import setting


def available_to(servers: Mapping[str, Mapping[str, Any]], slug: str) -> dict[str, Mapping[str, Any]]:
    """The servers whose ``projects`` list names the project `slug`."""
    return {name: config for name, config in servers.items() if slug in (config.get("projects") or ())}


def servers_for_caller(wanted: Iterable[str]) -> dict[str, Mapping[str, Any]]:
    """The configured servers of the calling workflow's project (activity context only).

    A configured server in `wanted` that the project may not use is a
    non-retryable ``McpServerNotAllowed``; unknown names are left to the
    caller's "unknown server" message.
    """
    servers = setting("MCP_SERVERS", {})
    slug = calling_project()
    allowed = available_to(servers, slug)
    refused = sorted(name for name in set(wanted) if name in servers and name not in allowed)
    if refused:
        raise ApplicationError(
            f"MCP server {', '.join(map(repr, refused))} is not available to project {slug or '(none)'!r}; "
            f"its servers: {', '.join(sorted(allowed)) or 'none'} (the 'projects' list of each MCP_SERVERS entry)",
            type="McpServerNotAllowed",
            non_retryable=True,
        )
    return allowed
