"""The http_request and sleep built-ins against a real local HTTP server."""

import asyncio
import json

import pytest
from temporalio.exceptions import ApplicationError

from compiler.activities.http import http_request
from compiler.activities.sleep import sleep
from tests.compiler.stub_http_server import StubHttpServer, json_response


def respond(request):
    if request["path"] == "/packages":
        return json_response({"packages": ["core"], "echo": json.loads(request["body"] or "null")})
    if request["path"] == "/broken":
        return 503, "text/plain", b"down for maintenance"
    return 404, "text/plain", b"no such page"


@pytest.fixture
def server(settings):
    settings.HTTP_ACTIVITY_ALLOWED_HOSTS = ["127.0.0.1"]
    with StubHttpServer(respond) as stub:
        yield stub


def test_json_response_is_parsed_and_the_body_is_sent(server):
    result = asyncio.run(
        http_request(f"{server.url}/packages", method="post", headers={"X-Build": "42"}, json={"limit": 2})
    )
    assert result["status"] == 200
    assert result["json"] == {"packages": ["core"], "echo": {"limit": 2}}
    assert result["headers"]["content-type"] == "application/json"
    assert server.requests[0]["method"] == "POST"
    assert server.requests[0]["headers"]["X-Build"] == "42"


def test_client_errors_are_returned_as_text(server):
    result = asyncio.run(http_request(f"{server.url}/missing"))
    assert (result["status"], result["text"]) == (404, "no such page")


def test_server_errors_raise_a_retryable_error(server):
    with pytest.raises(ApplicationError, match="answered 503") as caught:
        asyncio.run(http_request(f"{server.url}/broken"))
    assert caught.value.type == "HttpServerError" and not caught.value.non_retryable


def test_host_outside_the_allow_list_is_rejected_before_any_request(server):
    with pytest.raises(ApplicationError) as caught:
        asyncio.run(http_request(server.url.replace("127.0.0.1", "localhost") + "/packages"))
    assert caught.value.type == "HostNotAllowed" and caught.value.non_retryable
    assert "host 'localhost' is not allowed; add it to HTTP_ACTIVITY_ALLOWED_HOSTS" in caught.value.message
    assert server.requests == []


@pytest.mark.parametrize(
    ("url", "method", "message"),
    [("ftp://127.0.0.1/x", "GET", r"is not an http\(s\) URL"), ("http://127.0.0.1/x", "BREW", "method 'BREW'")],
)
def test_bad_url_or_method_is_rejected(server, url, method, message):
    with pytest.raises(ApplicationError, match=message):
        asyncio.run(http_request(url, method=method))


def test_sleep_waits_and_rejects_negative_seconds():
    assert asyncio.run(sleep(0.05)) == {"slept": 0.05}
    with pytest.raises(ApplicationError, match="seconds must be a number >= 0"):
        asyncio.run(sleep(-1))
