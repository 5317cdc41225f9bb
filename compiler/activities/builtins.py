"""Importing this module registers every built-in activity.

It is the first entry of the ``WORKFLOW_ACTIVITY_MODULES`` setting.
"""

from compiler.activities import agent, http, mcp_call, signals, sleep  # noqa: F401
