"""compiler.temporal: the sync door to Temporal, with one clear error when Temporal is away."""

import asyncio

import pytest

from compiler import temporal


def test_call_runs_on_the_client_for_the_configured_server(temporal_address):
    client_namespace = temporal.call(lambda client: asyncio.sleep(0, result=client.namespace))
    assert client_namespace == "default"
    assert temporal.call(lambda client: client.count_workflows()).count >= 0


def test_the_client_is_cached_per_address(temporal_address):
    first = temporal.run(temporal.get_client())
    assert temporal.run(temporal.get_client()) is first


def test_an_unreachable_server_raises_a_message_saying_what_to_do(settings):
    settings.TEMPORAL_ADDRESS = "127.0.0.1:1"
    with pytest.raises(temporal.TemporalUnavailable) as caught:
        temporal.call(lambda client: client.count_workflows())
    assert str(caught.value) == (
        "Cannot reach Temporal at 127.0.0.1:1 — is the dev server running? Start everything with `make run`."
    )


def test_no_answer_in_time_is_unavailable_too(settings):
    settings.TEMPORAL_ADDRESS = "127.0.0.1:1"
    with pytest.raises(temporal.TemporalUnavailable, match=r"\(no answer within 0\.1 s\)"):
        temporal.run(asyncio.sleep(5), timeout=0.1)
