"""What a request may carry before any route sees it: sizes of its line and headers, no body.

Every route is GET (or HEAD): a body on one is either a client bug or request smuggling
through a proxy that reads the body differently, so it is refused, not ignored.
"""

from __future__ import annotations

from starlette.types import Scope

from smartmed.http.params import has_control

MAX_PATH_BYTES = 2048
# Browsers send 1–3 KB; nginx in front allows one 8 KB line (large_client_header_buffers).
# uvicorn itself closes the connection past ~16 KB (h11) or answers 431 (httptools):
# this limit sits below both, so the client always gets the JSON error.
MAX_HEADER_BYTES = 12288
MAX_HEADERS = 100
_BODYLESS = frozenset({"GET", "HEAD"})


def refusal(scope: Scope, max_query_bytes: int) -> tuple[int, str] | None:
    """(status, message) when the request must be refused, else None."""
    query = scope.get("query_string", b"")
    if len(query) > max_query_bytes:
        return 414, f"query: longer than {max_query_bytes} bytes"
    path = scope.get("raw_path") or scope["path"].encode()
    if len(path) > MAX_PATH_BYTES:
        return 414, f"path: longer than {MAX_PATH_BYTES} bytes"
    # No address of this service holds a control character, and Starlette's route patterns
    # end in "$", which matches before a final "\n": "/metrics\n" would reach /metrics.
    if has_control(scope["path"]):
        return 404, "path: there is nothing at an address with a control character"
    headers = scope["headers"]
    if len(headers) > MAX_HEADERS:
        return 431, f"headers: more than {MAX_HEADERS} header fields"
    size = 0
    body = False
    for name, value in headers:
        size += len(name) + len(value) + 4  # ": " and CRLF, as on the wire
        if name == b"content-length":
            body = body or value.strip() not in (b"0", b"")
        elif name == b"transfer-encoding":
            body = True
    if size > MAX_HEADER_BYTES:
        return 431, f"headers: {size} bytes in all; the limit is {MAX_HEADER_BYTES}"
    if body and scope["method"] in _BODYLESS:
        return 400, f"body: a {scope['method']} request takes no body (Content-Length or " \
                    "Transfer-Encoding was sent)"
    return None
