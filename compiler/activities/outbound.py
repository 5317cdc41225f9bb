"""Where ``http_request`` may connect: deny by default, checked on the resolved address.

A workflow's author is not the operator, so a URL in a graph must not reach
what the worker's network position alone grants: the Temporal frontend and
Web UI (which would let one project read and terminate another's runs),
cloud metadata, or services on a private network. The operator lists what
workflows may reach in ``HTTP_ACTIVITY_ALLOWED_HOSTS``, one
``scheme://host:port`` entry each:

- ``https://api.example.com:443``: exactly that host and port;
- ``https://*.example.com:443``: any subdomain of example.com on that port;
- ``https://*:443``: any host on that port.

Wildcard entries reach public addresses only. Loopback, link-local, private,
shared, multicast, unspecified and reserved addresses (IPv4 and IPv6, an
IPv4-mapped IPv6 address counting as its IPv4 address) need an exact entry
naming that scheme, host and port. The Temporal frontend and Web UI ports
are refused even when listed.

The host is resolved once and the connection goes to the address that was
checked (``compiler.activities.http``), so a DNS answer that changes between the
check and the connect (DNS rebinding) cannot redirect the request.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from temporalio.exceptions import ApplicationError

SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
ENTRY_FORMAT = "scheme://host:port, e.g. https://api.example.com:443 or https://*.example.com:443"
SETTING = "HTTP_ACTIVITY_ALLOWED_HOSTS"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AllowListError(ValueError):
    """An ``HTTP_ACTIVITY_ALLOWED_HOSTS`` entry that is not ``scheme://host:port``."""


@dataclass(frozen=True)
class Endpoint:
    """A scheme, a normalised host (name or IP text) and a port."""

    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"


@dataclass(frozen=True)
class AllowedEntry(Endpoint):
    """One allow-list entry; ``host`` may be ``*`` or ``*.domain``."""

    @property
    def is_wildcard(self) -> bool:
        return self.host.startswith("*")

    def matches(self, target: Endpoint) -> bool:
        if (self.scheme, self.port) != (target.scheme, target.port):
            return False
        if self.host == "*":
            return True
        if self.is_wildcard:
            return target.host.endswith(self.host[1:])
        return self.host == target.host


def normal_host(host: str) -> str:
    """IP literals in their canonical text (so ``[0:0::1]`` is ``::1``), names lower case without a final dot."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host.lower().rstrip(".")


def parse_entry(entry: object) -> AllowedEntry:
    """One ``scheme://host:port`` entry; AllowListError says what is wrong with it."""
    if not isinstance(entry, str):
        raise AllowListError(f"{SETTING} entry {entry!r} is not a string; write {ENTRY_FORMAT}")
    try:
        parts = urlsplit(entry.strip())
        port = parts.port
    except ValueError as error:
        raise AllowListError(f"{SETTING} entry {entry!r} is not {ENTRY_FORMAT} ({error})") from None
    if parts.scheme not in SCHEMES or not parts.hostname or port is None:
        raise AllowListError(f"{SETTING} entry {entry!r} is not {ENTRY_FORMAT} (scheme, host and port are required)")
    if parts.username is not None or parts.path not in ("", "/") or parts.query or parts.fragment:
        raise AllowListError(f"{SETTING} entry {entry!r} is not {ENTRY_FORMAT} (no user, path or query)")
    host = normal_host(parts.hostname)
    if "*" in host and not (host == "*" or (host.startswith("*.") and "*" not in host[2:] and len(host) > 2)):
        raise AllowListError(f"{SETTING} entry {entry!r}: a wildcard is only '*' or '*.domain'")
    return AllowedEntry(parts.scheme, host, port)


def parse_allow_list(entries: object) -> list[AllowedEntry]:
    if isinstance(entries, str) or not isinstance(entries, list | tuple):
        raise AllowListError(f"{SETTING} must be a list of entries ({ENTRY_FORMAT}), not {entries!r}")
    return [parse_entry(entry) for entry in entries]


def target_of(url: str) -> Endpoint:
    """The endpoint an http(s) URL names (the scheme's default port when none is given)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except (ValueError, TypeError, AttributeError):  # not a URL, or not text at all
        parts, port = None, None
    if parts is None or parts.scheme not in SCHEMES or not parts.hostname:
        raise refused(f"{url!r} is not an http(s) URL", "BadActivityArguments")
    return Endpoint(parts.scheme, normal_host(parts.hostname), port or DEFAULT_PORTS[parts.scheme])


def temporal_endpoints(address: str, web_url: str) -> list[tuple[str, int]]:
    """(host, port) of the Temporal frontend (``host:port``) and Web UI (a URL); unparsable ones are left out."""
    endpoints = []
    for url in (f"//{address}", web_url):
        try:
            parts = urlsplit(url)
            port = parts.port or DEFAULT_PORTS.get(parts.scheme)
        except ValueError:
            continue
        if parts.hostname and port:
            endpoints.append((normal_host(parts.hostname), port))
    return endpoints


def address_class(address: IPAddress) -> str | None:
    """Why an address is not public ("loopback", "private", ...), or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    for name in ("loopback", "link_local", "private", "multicast", "unspecified", "reserved", "site_local"):
        if getattr(address, f"is_{name}", False):
            return name.replace("_", "-")
    return None if address.is_global else "non-global"


def _is_local(address: IPAddress) -> bool:
    """Loopback or unspecified: both reach a server listening on this machine."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_loopback or address.is_unspecified


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (an IP literal resolves to itself); a DNS failure is retryable."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise ApplicationError(f"http_request: cannot resolve {host!r}: {error}", type="HostNotResolved") from None
    addresses = []
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


async def _hits_temporal(target: Endpoint, addresses: list[IPAddress], temporal: list[tuple[str, int]]) -> bool:
    for host, port in temporal:
        if port != target.port:
            continue
        if host == target.host:
            return True
        try:
            temporal_addresses = await resolve(host, port)
        except ApplicationError:
            continue  # an unresolvable Temporal host cannot be the one this target reaches
        if any(address in temporal_addresses for address in addresses):
            return True
        if any(map(_is_local, temporal_addresses)) and any(map(_is_local, addresses)):
            return True
    return False


def refused(message: str, type_: str = "HostNotAllowed") -> ApplicationError:
    return ApplicationError(f"http_request: {message}", type=type_, non_retryable=True)


async def checked_addresses(
    target: Endpoint, allowed: list[AllowedEntry], temporal: list[tuple[str, int]]
) -> list[IPAddress]:
    """The addresses to connect to, once the target passed every rule; refusals are non-retryable."""
    matching = [entry for entry in allowed if entry.matches(target)]
    if not matching:
        listed = ", ".join(map(str, allowed)) or "nothing"
        raise refused(f"{target} is not allowed; add it to {SETTING} as {ENTRY_FORMAT} (allowed: {listed})")
    addresses = await resolve(target.host, target.port)
    if await _hits_temporal(target, addresses, temporal):
        raise refused(
            f"{target} is the Temporal frontend or Web UI (TEMPORAL_ADDRESS / TEMPORAL_WEB_URL), "
            "which workflows may never call, even when listed in " + SETTING
        )
    exact = any(not entry.is_wildcard for entry in matching)
    for address in addresses:
        kind = address_class(address)
        if kind and not exact:
            raise refused(
                f"{target} resolves to {address}, a {kind} address; only an exact {SETTING} entry "
                f"'{target}' allows it (wildcards reach public addresses only)"
            )
    return addresses
