"""The activity registry: specs from signatures, the one-dict calling convention, loading modules."""

import asyncio
import dataclasses
from datetime import timedelta

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from compiler.activities import registry
from compiler.activities.loading import load_configured_activities
from compiler.activities.registry import get_activity, load_activity_modules, register_activity, registered_activities

BUILTINS = {"agent", "http_request", "mcp_call", "signal_with_start", "sleep"}


@pytest.fixture
def isolated_registry(monkeypatch):
    """Activities registered by a test disappear after it."""
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))


@pytest.fixture
def greet_spec(isolated_registry):
    @register_activity(name="test_greet", description="Greets someone.")
    async def greet(name: str, times: int = 1, punctuation: str | None = None) -> str:
        return " ".join([f"Hello, {name}{punctuation or '!'}"] * times)

    return get_activity("test_greet")


def test_spec_is_read_from_the_signature(greet_spec):
    assert greet_spec.description == "Greets someone."
    assert [(a.name, a.type_name, a.required, a.default) for a in greet_spec.args] == [
        ("name", "str", True, None),
        ("times", "int", False, 1),
        ("punctuation", "str | None", False, None),
    ]
    assert greet_spec.to_dict()["args"][1] == {"name": "times", "type": "int", "required": False, "default": 1}


def test_temporal_activity_takes_one_dict_of_named_arguments(greet_spec):
    assert asyncio.run(greet_spec.temporal_activity({"name": "Ada", "times": 2})) == "Hello, Ada! Hello, Ada!"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"times": 2}, "activity 'test_greet' is missing required argument(s) name"),
        ({"name": "Ada", "color": "red"}, "activity 'test_greet' got unknown argument(s) color; it takes name, "),
        (["Ada"], "activity 'test_greet' takes one object of named arguments, got list"),
    ],
)
def test_bad_arguments_are_a_non_retryable_error(greet_spec, arguments, message):
    with pytest.raises(ApplicationError) as caught:
        asyncio.run(greet_spec.temporal_activity(arguments))
    assert caught.value.type == "BadActivityArguments"
    assert caught.value.non_retryable
    assert caught.value.message.startswith(message)


def test_a_taken_name_cannot_be_registered_by_another_function(greet_spec):
    with pytest.raises(ValueError, match="activity name 'test_greet' is taken by"):

        @register_activity(name="test_greet", description="Another.")
        async def other(name: str) -> str:
            return name


def test_only_async_functions_with_named_parameters_register(isolated_registry):
    with pytest.raises(TypeError, match="must be an async def"):
        register_activity(name="test_sync", description="")(lambda: None)
    with pytest.raises(TypeError, match="parameter 'rest' must be a plain named parameter"):

        @register_activity(name="test_varargs", description="")
        async def varargs(*rest: str) -> None:
            return None


def test_loading_a_missing_module_names_it():
    with pytest.raises(ImportError, match="cannot load activity module 'examples.no_such_module'"):
        load_activity_modules(["examples.no_such_module"])


def test_configured_modules_register_the_builtins(settings):
    settings.WORKFLOW_ACTIVITY_MODULES = ["compiler.activities.builtins"]
    names = [spec.name for spec in load_configured_activities()]
    assert set(names) >= BUILTINS
    assert names == sorted(names)
    assert [spec.name for spec in registered_activities()] == names
    assert len(registry.temporal_activities()) == len(names)


@pytest.fixture
def slow_spec(isolated_registry):
    @register_activity(name="test_slow", description="Takes a while without heartbeating itself.")
    async def slow(seconds: float) -> str:
        await asyncio.sleep(seconds)
        return "done"

    return get_activity("test_slow")


def _run_with_heartbeat_timeout(spec, timeout: timedelta | None) -> tuple[str, int]:
    """Run the activity in the SDK's activity test environment; its result and how many heartbeats it sent."""
    environment = ActivityEnvironment()
    environment.info = dataclasses.replace(environment.info, heartbeat_timeout=timeout)
    beats: list[tuple] = []
    environment.on_heartbeat = lambda *details: beats.append(details)
    result = asyncio.run(environment.run(spec.temporal_activity, {"seconds": 0.5}))
    return result, len(beats)


def test_an_activity_heartbeats_while_it_runs_so_a_lost_worker_is_noticed(slow_spec):
    result, beats = _run_with_heartbeat_timeout(slow_spec, timedelta(seconds=0.3))
    assert result == "done"
    assert beats >= 3  # every 0.1 s (a third of the timeout) for 0.5 s


def test_an_activity_without_heartbeat_timeout_sends_none(slow_spec):
    assert _run_with_heartbeat_timeout(slow_spec, None) == ("done", 0)
