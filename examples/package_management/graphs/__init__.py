"""The four Package Management workflows as workflow JSON documents (docs/package-management.md).

The seed imports them through ``workflows.services.workflow_import``, the same
validated path as any user import.
"""

from __future__ import annotations

from .continuous_builder import continuous_builder
from .mcp_poller import mcp_poller
from .package_build import package_build
from .package_builder import package_builder


def workflow_documents() -> list[dict]:
    """The documents in seeding order: the builder, its child, the orchestrator, the poller."""
    return [package_builder(), package_build(), continuous_builder(), mcp_poller()]
