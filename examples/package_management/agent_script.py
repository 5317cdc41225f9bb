"""Replies of the scripted agent provider for the package-build agents (setting AGENT_PROVIDER["script"]).

The rules match the prompts of `package-build` (graphs/package_build.py):
Scaffold Package and the Build / Tests / Quality fix agents. Each answer is
JSON that satisfies the node's output schema, so the demo runs offline and
deterministically; Apply Fix then records the fix and the failing step's
next attempt passes. Scripted tool calls would always carry the same
arguments (a script cannot see which package it is working on), so these
agents use none; the MCP tools are exercised by the mcp-poller and the
continuous builder's Mark Published / Mark Failed steps instead.
"""

from __future__ import annotations


def _fix(step: str, diagnosis: str, fix: str, files: list[str]) -> dict:
    return {
        "match": f"Fix the failing {step} of package",
        "replies": [{"json": {"diagnosis": diagnosis, "fix": fix, "files": files}}],
    }


SCRIPT = [
    {
        "match": "Scaffold the package",
        "replies": [
            {
                "json": {
                    "files": ["package.json", "src/index.js", "tests/cases.json"],
                    "notes": "Standard layout: manifest, one entry module, one smoke test.",
                }
            }
        ],
    },
    _fix(
        "build",
        "The entry module does not compile: a trailing token after the export.",
        "Remove the stray token at the end of src/index.js.",
        ["src/index.js"],
    ),
    _fix(
        "tests",
        "The token refresh test expects a retry with a fresh token, but the client gives up on 401.",
        "On a 401 response, refresh the token once and retry the request.",
        ["src/index.js", "tests/cases.json"],
    ),
    _fix(
        "quality",
        "Exported functions have no documentation comments.",
        "Add a documentation comment to every exported function.",
        ["src/index.js"],
    ),
]
