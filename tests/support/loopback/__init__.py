"""The modes of tests/support/loopback_server.py, one module each, and what
they share."""
import socket

LOOPBACK_HOSTS = ("127.0.0.1", "::1")


class Skip(Exception):
    """Raised by a mode's start() when what it needs is not installed."""


def bind_loopback(host="127.0.0.1"):
    """A listening socket on a loopback address, port 0: nothing else."""
    if host not in LOOPBACK_HOSTS:
        raise ValueError("test servers bind loopback only, not " + host)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, 0), family=family, backlog=64)
