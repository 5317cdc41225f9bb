"""The Package Management example: four workflow graphs, their activities and an offline sample workspace.

- ``graphs``: the four workflow JSON documents the seed imports.
- ``activities``: the Temporal activities the graphs call (simulated builds on a copy of ``workspace/``).
- ``mcp_server``: a local MCP server for the package queue (``packages_get_build_queue``, ``packages_update``).
- ``agent_script``: the scripted agent provider's replies for the scaffold and fix agents.
"""
