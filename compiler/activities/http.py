"""The ``http_request`` built-in: one HTTP call to an allow-listed host."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx
from temporalio.exceptions import ApplicationError

from compiler.activities.config import setting
from compiler.activities.registry import register_activity

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")


@register_activity(
    name="http_request",
    description="Send an HTTP request to an allow-listed host; returns status, headers and the JSON or text body.",
)
async def http_request(
    url: str,
    method: str = "GET",
    headers: dict | None = None,
    json: Any = None,
    timeout_seconds: float = 10,
) -> dict:
    """Hosts are checked against the ``HTTP_ACTIVITY_ALLOWED_HOSTS`` setting."""
    return await send_request(
        url=url,
        method=method,
        headers=headers,
        json=json,
        timeout_seconds=timeout_seconds,
        allowed_hosts=setting("HTTP_ACTIVITY_ALLOWED_HOSTS", []),
    )


async def send_request(
    *,
    url: str,
    method: str,
    headers: dict | None,
    json: Any,
    timeout_seconds: float,
    allowed_hosts: list[str],
) -> dict:
    """Send the request; 5xx raises a retryable error, anything else is returned.

    Redirects are not followed: a redirect could lead off the allow-list.
    """
    method = method.upper()
    if method not in METHODS:
        raise ApplicationError(
            f"http_request: method {method!r} is not one of {', '.join(METHODS)}",
            type="BadActivityArguments",
            non_retryable=True,
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ApplicationError(
            f"http_request: {url!r} is not an http(s) URL", type="BadActivityArguments", non_retryable=True
        )
    if parts.hostname not in allowed_hosts:
        raise ApplicationError(
            f"http_request: host {parts.hostname!r} is not allowed; add it to HTTP_ACTIVITY_ALLOWED_HOSTS "
            f"(allowed: {', '.join(allowed_hosts) or 'none'})",
            type="HostNotAllowed",
            non_retryable=True,
        )
    async with httpx.AsyncClient(timeout=timeout_seconds, follow_redirects=False) as client:
        response = await client.request(method, url, headers=headers, json=json)
    if response.status_code >= 500:
        raise ApplicationError(f"http_request: {method} {url} answered {response.status_code}", type="HttpServerError")
    result: dict[str, Any] = {"status": response.status_code, "headers": dict(response.headers)}
    if "json" in response.headers.get("content-type", ""):
        result["json"] = response.json()
    else:
        result["text"] = response.text
    return result
