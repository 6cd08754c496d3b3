"""Reading requests off a raw socket, for the modes that write every byte
of their answers themselves (script, hostile)."""


def read_request(f, limit=65536):
    """(method, target, headers, body) from a buffered reader, headers as
    (name, value) pairs in arrival order; None when the client hung up."""
    line = f.readline(limit)
    if not line:
        return None
    method, target, _ = line.decode("latin-1").split(" ", 2)
    pairs = []
    while True:
        h = f.readline(limit)
        if h in (b"\r\n", b"\n", b""):
            break
        name, _, value = h.decode("latin-1").partition(":")
        pairs.append((name.strip(), value.strip()))
    headers = {k.lower(): v for k, v in pairs}
    body = b""
    if "content-length" in headers:
        body = f.read(int(headers["content-length"]))
    return method, target, pairs, body


class Headers(dict):
    """Header pairs with case-insensitive get(), as the CLI tests read them."""

    def __init__(self, pairs):
        super().__init__(pairs)
        self._lower = {k.lower(): v for k, v in pairs}

    def get(self, name, default=None):
        return self._lower.get(name.lower(), default)
