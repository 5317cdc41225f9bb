"""A free TCP port on the loopback interface, for tests that start a server of their own."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A port nothing listens on right now; the OS picks it, so parallel tests do not collide (a race remains
    until the server binds it, which is as good as a test can do without passing the socket)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
