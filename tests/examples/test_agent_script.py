"""The scripted agent replies answer every agent node of package-build in the shape its schema asks for."""

from __future__ import annotations

import asyncio

from compiler.agents.loop import run_agent
from compiler.agents.scripted import ScriptedProvider
from examples.package_management.agent_script import SCRIPT
from examples.package_management.graphs.package_build import package_build

AGENTS = {node["key"]: node["config"] for node in package_build()["nodes"] if node["type"] == "agent"}
CONTEXT = {"package_name": "auth", "category": "service", "code_exists": True, "attempt": 1, "error": "boom"}


def answer(config: dict, **context) -> dict:
    # Context expressions are evaluated by the workflow; here they get sample values by name.
    values = {name: context.get(name, CONTEXT.get(name)) for name in config["context"]}
    return asyncio.run(
        run_agent(
            provider=ScriptedProvider(SCRIPT),
            prompt=config["prompt"],
            context=values,
            output_schema=config["output_schema"],
            max_turns=config["max_turns"],
        )
    )


def test_package_build_has_a_scaffold_agent_and_three_fix_agents():
    assert set(AGENTS) == {"scaffold", "fix-build", "fix-tests", "fix-quality"}


def test_scaffold_answer_lists_files():
    result = answer(AGENTS["scaffold"])
    assert result["turns"] == 1
    assert "package.json" in result["output"]["files"]


def test_each_fix_agent_gets_its_own_fix():
    fixes = [answer(AGENTS[f"fix-{step}"], step=step)["output"] for step in ("build", "tests", "quality")]
    assert all(set(fix) == {"diagnosis", "fix", "files"} for fix in fixes)
    assert len({fix["fix"] for fix in fixes}) == 3
