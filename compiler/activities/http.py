"""The ``http_request`` built-in: one HTTP call to an allow-listed endpoint.

What may be reached is decided by ``compiler.activities.outbound``; this
module sends the request to the address that was checked.
"""

from __future__ import annotations

from typing import Any

import httpx
from temporalio.exceptions import ApplicationError

from compiler.activities import outbound
from compiler.activities.config import setting
from compiler.activities.registry import register_activity

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")


@register_activity(
    name="http_request",
    description="Send an HTTP request to an allow-listed scheme://host:port; returns status, headers and the "
    "JSON or text body.",
)
async def http_request(
    url: str,
    method: str = "GET",
    headers: dict | None = None,
    json: Any = None,
    timeout_seconds: float = 10,
) -> dict:
    """Endpoints are checked against ``HTTP_ACTIVITY_ALLOWED_HOSTS``; Temporal's own ports never pass."""
    try:
        allowed = outbound.parse_allow_list(setting(outbound.SETTING, []))
    except outbound.AllowListError as error:
        raise outbound.refused(f"the operator's allow-list is misconfigured: {error}", "BadHttpAllowList") from None
    return await send_request(
        url=url,
        method=method,
        headers=headers,
        json=json,
        timeout_seconds=timeout_seconds,
        allowed=allowed,
        temporal=outbound.temporal_endpoints(setting("TEMPORAL_ADDRESS", ""), setting("TEMPORAL_WEB_URL", "")),
    )


async def send_request(
    *,
    url: str,
    method: str,
    headers: dict | None,
    json: Any,
    timeout_seconds: float,
    allowed: list[outbound.AllowedEntry],
    temporal: list[tuple[str, int]],
) -> dict:
    """Send the request; 5xx raises a retryable error, anything else is returned.

    Redirects are not followed: a redirect could lead off the allow-list.
    """
    method = method.upper() if isinstance(method, str) else method
    if method not in METHODS:
        raise outbound.refused(f"method {method!r} is not one of {', '.join(METHODS)}", "BadActivityArguments")
    target = outbound.target_of(url)
    addresses = await outbound.checked_addresses(target, allowed, temporal)
    response = await _send_pinned(httpx.URL(url), addresses, method, headers, json, timeout_seconds)
    if response.status_code >= 500:
        raise ApplicationError(f"http_request: {method} {url} answered {response.status_code}", type="HttpServerError")
    result: dict[str, Any] = {"status": response.status_code, "headers": dict(response.headers)}
    if "json" in response.headers.get("content-type", ""):
        result["json"] = response.json()
    else:
        result["text"] = response.text
    return result


async def _send_pinned(
    url: httpx.URL, addresses: list, method: str, headers: dict | None, json: Any, timeout_seconds: float
) -> httpx.Response:
    """Connect to a checked address, never to a fresh DNS answer; Host and TLS SNI keep the URL's host name.

    ``trust_env=False`` keeps proxy variables from sending the request
    anywhere else. The addresses are tried in order, as a client would.
    """
    pinned_headers = {key: value for key, value in (headers or {}).items() if str(key).lower() != "host"}
    pinned_headers["Host"] = url.netloc.decode("ascii")
    async with httpx.AsyncClient(timeout=timeout_seconds, follow_redirects=False, trust_env=False) as client:

        async def send(address) -> httpx.Response:
            pinned = url.copy_with(host=str(address))
            extensions = {"sni_hostname": url.host}
            return await client.request(method, pinned, headers=pinned_headers, json=json, extensions=extensions)

        for address in addresses[:-1]:
            try:
                return await send(address)
            except httpx.ConnectError:
                continue
        return await send(addresses[-1])
