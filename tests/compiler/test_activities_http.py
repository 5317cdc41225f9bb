"""The http_request and sleep built-ins against a real local HTTP server.

The stub listens on a loopback port, so every request that reaches it had to
pass the deny-by-default rules of compiler/activities/outbound.py.
"""

import asyncio
import contextlib
import json
import re
import socket
import ssl
import threading

import httpx
import pytest
import trustme
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from temporalio.exceptions import ApplicationError

from compiler.activities.http import http_request
from compiler.activities.sleep import sleep
from tests.compiler.stub_http_server import StubHttpServer, json_response
from tests.config.production_settings import production_settings


def respond(request):
    if request["path"] == "/packages":
        return json_response({"packages": ["core"], "echo": json.loads(request["body"] or "null")})
    if request["path"] == "/broken":
        return 503, "text/plain", b"down for maintenance"
    if request["path"] == "/moved":
        return 302, "text/plain", b"see elsewhere"
    return 404, "text/plain", b"no such page"


@pytest.fixture
def server(settings):
    """The stub, explicitly allowed by its exact scheme://host:port (loopback needs that)."""
    with StubHttpServer(respond) as stub:
        settings.HTTP_ACTIVITY_ALLOWED_HOSTS = [stub.url]
        yield stub


def refusal(url: str, **kwargs) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        asyncio.run(http_request(url, **kwargs))
    assert caught.value.non_retryable, caught.value
    return caught.value


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
    error = refusal(server.url.replace("127.0.0.1", "localhost") + "/packages")
    assert error.type == "HostNotAllowed"
    assert f"http://localhost:{server.port} is not allowed; add it to HTTP_ACTIVITY_ALLOWED_HOSTS" in error.message
    assert f"(allowed: {server.url})" in error.message
    assert server.requests == []


def test_redirects_are_returned_not_followed(server):
    result = asyncio.run(http_request(f"{server.url}/moved"))
    assert result["status"] == 302 and [r["path"] for r in server.requests] == ["/moved"]


def test_another_port_or_scheme_on_an_allowed_host_is_refused(server, settings):
    with StubHttpServer(respond) as other:
        assert refusal(f"{other.url}/packages").type == "HostNotAllowed"
        assert refusal(f"https://127.0.0.1:{server.port}/packages").type == "HostNotAllowed"
        assert other.requests == [] and server.requests == []


def test_nothing_is_allowed_by_default_and_production_allows_nothing_until_configured(server, settings, monkeypatch):
    settings.HTTP_ACTIVITY_ALLOWED_HOSTS = []
    assert "(allowed: nothing)" in refusal(f"{server.url}/packages").message
    assert production_settings(monkeypatch)["HTTP_ACTIVITY_ALLOWED_HOSTS"] == []
    configured = production_settings(monkeypatch, HTTP_ACTIVITY_ALLOWED_HOSTS="https://api.example.com:443")
    assert configured["HTTP_ACTIVITY_ALLOWED_HOSTS"] == ["https://api.example.com:443"]
    assert server.requests == []


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",  # loopback
        "localhost",  # a name resolving to loopback
        "[::1]",  # IPv6 loopback
        "[::ffff:127.0.0.1]",  # IPv4-mapped IPv6 loopback
        "10.1.2.3",  # private
        "192.168.0.10",  # private
        "[fd00::1]",  # IPv6 unique local (private)
        "169.254.169.254",  # link-local: cloud metadata
        "[fe80::1]",  # IPv6 link-local
        "[::ffff:169.254.169.254]",  # IPv4-mapped link-local
        "0.0.0.0",  # unspecified
        "224.0.0.1",  # multicast
        "240.0.0.1",  # reserved
        "100.64.0.1",  # shared address space (carrier-grade NAT)
    ],
)
def test_wildcard_entries_reach_public_addresses_only(server, settings, host):
    settings.HTTP_ACTIVITY_ALLOWED_HOSTS = [f"http://*:{server.port}"]
    error = refusal(f"http://{host}:{server.port}/packages", timeout_seconds=1)
    assert error.type == "HostNotAllowed"
    assert "only an exact HTTP_ACTIVITY_ALLOWED_HOSTS entry 'http://" in error.message
    assert server.requests == []


def test_an_exact_entry_for_a_name_allows_it_and_keeps_the_host_header(server, settings):
    settings.HTTP_ACTIVITY_ALLOWED_HOSTS = [f"http://LOCALHOST:{server.port}/"]
    assert asyncio.run(http_request(f"http://localhost:{server.port}/packages"))["status"] == 200
    assert server.requests[0]["headers"]["Host"] == f"localhost:{server.port}"


def test_the_connection_goes_to_the_address_that_was_checked(server, settings, monkeypatch):
    """DNS rebinding: a second lookup would answer an unroutable address, so a request that
    arrives proves the connection used the first, checked answer."""
    settings.HTTP_ACTIVITY_ALLOWED_HOSTS = [f"http://rebind.test:{server.port}"]
    real_getaddrinfo, answers = socket.getaddrinfo, iter(["127.0.0.1"])

    def rebinding_dns(host, *args, **kwargs):
        if host == "rebind.test":
            return real_getaddrinfo(next(answers, "203.0.113.7"), *args, **kwargs)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    result = asyncio.run(http_request(f"http://rebind.test:{server.port}/packages", timeout_seconds=2))
    assert result["status"] == 200
    assert server.requests[0]["headers"]["Host"] == f"rebind.test:{server.port}"


def test_https_names_the_url_host_in_sni_while_connecting_to_the_checked_address(settings):
    """The TLS handshake must carry the URL's host name (for virtual hosts and certificate
    checks), not the IP the connection is pinned to; the test CA is unknown, so it ends there."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    trustme.CA().issue_cert("localhost").configure_cert(context)
    names = []
    context.sni_callback = lambda _socket, name, _context: names.append(name)

    def handshake(listener: socket.socket) -> None:
        connection, _ = listener.accept()
        with connection, contextlib.suppress(ssl.SSLError, OSError):  # the client refuses the unknown CA
            context.wrap_socket(connection, server_side=True).close()

    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        thread = threading.Thread(target=handshake, args=(listener,), daemon=True)
        thread.start()
        settings.HTTP_ACTIVITY_ALLOWED_HOSTS = [f"https://localhost:{port}"]
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            asyncio.run(http_request(f"https://localhost:{port}/", timeout_seconds=5))
        thread.join(5)
    assert names == ["localhost"]


@pytest.mark.parametrize(
    ("temporal_setting", "value"),
    [("TEMPORAL_ADDRESS", "127.0.0.1:{port}"), ("TEMPORAL_WEB_URL", "http://localhost:{port}")],
)
def test_the_temporal_ports_are_refused_even_when_listed(server, settings, temporal_setting, value):
    setattr(settings, temporal_setting, value.format(port=server.port))
    settings.HTTP_ACTIVITY_ALLOWED_HOSTS = [server.url, f"http://localhost:{server.port}", f"http://*:{server.port}"]
    for host in ("127.0.0.1", "localhost", "127.0.0.2", "[::ffff:127.0.0.1]"):
        error = refusal(f"http://{host}:{server.port}/api/v1/namespaces", timeout_seconds=1)
        assert "is the Temporal frontend or Web UI (TEMPORAL_ADDRESS / TEMPORAL_WEB_URL)" in error.message
    assert server.requests == []


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("127.0.0.1", "is not scheme://host:port"),
        ("localhost:8080", "is not scheme://host:port"),
        ("http://localhost", "scheme, host and port are required"),
        ("ftp://files.example.com:21", "scheme, host and port are required"),
        ("http://example.com:99999", "is not scheme://host:port"),
        ("https://example.com:443/api", "no user, path or query"),
        ("https://user@example.com:443", "no user, path or query"),
        ("https://api.*.example.com:443", "a wildcard is only '*' or '*.domain'"),
    ],
)
def test_a_malformed_entry_stops_the_check_at_start_and_the_activity_at_first_use(server, settings, entry, problem):
    settings.HTTP_ACTIVITY_ALLOWED_HOSTS = [server.url, entry]
    with pytest.raises(SystemCheckError, match="compiler.E001") as caught:
        call_command("check")
    assert f"HTTP_ACTIVITY_ALLOWED_HOSTS entry {entry!r}" in str(caught.value) and problem in str(caught.value)
    error = refusal(f"{server.url}/packages")
    assert error.type == "BadHttpAllowList" and problem in error.message
    assert "misconfigured" in error.message and server.requests == []


def test_a_bad_allow_list_shape_is_reported_too(server, settings):
    settings.HTTP_ACTIVITY_ALLOWED_HOSTS = server.url
    assert "must be a list of entries" in refusal(f"{server.url}/packages").message


@pytest.mark.parametrize(
    ("url", "method", "message"),
    [
        ("ftp://127.0.0.1/x", "GET", r"is not an http\(s\) URL"),
        (42, "GET", r"42 is not an http\(s\) URL"),
        (["http://127.0.0.1/x"], "GET", r"is not an http\(s\) URL"),
        ("http://127.0.0.1:99999/x", "GET", r"is not an http\(s\) URL"),
        ("http://127.0.0.1/x", "BREW", "method 'BREW'"),
        ("http://127.0.0.1/x", None, "method None"),
    ],
)
def test_bad_url_or_method_is_rejected(server, url, method, message):
    error = refusal(url, method=method)
    assert error.type == "BadActivityArguments" and re.search(message, error.message)


def test_sleep_waits_and_rejects_negative_seconds():
    assert asyncio.run(sleep(0.05)) == {"slept": 0.05}
    with pytest.raises(ApplicationError, match="seconds must be a number >= 0"):
        asyncio.run(sleep(-1))
