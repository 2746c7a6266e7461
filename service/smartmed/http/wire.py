"""One socket write per response: uvicorn's HTTP protocol with coalesced writes.

uvicorn writes a response's head as soon as the app sends it and the body right after, in
two system calls. A replica killed between the two leaves nginx holding a head it has
already passed on: the client's answer is cut, and nginx cannot retry it on another
replica. Gathering the writes of one event-loop step into one write closes that window:
nginx then gets all of an answer or none of it, and retries "none". One syscall instead
of two is also cheaper.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class CoalescingTransport:
    """Delegates to a transport, holding writes until the current loop step ends."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(bytes(data))

    def writelines(self, lines: Any) -> None:
        for data in lines:
            self.write(data)

    def flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            if not self._transport.is_closing():
                self._transport.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class CoalescingHttpToolsProtocol(HttpToolsProtocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(CoalescingTransport(transport, self.loop))  # type: ignore[arg-type]


class HeaderDeadlineProtocol(asyncio.Protocol):
    """uvicorn's HTTP protocol, with a deadline for each request's head.

    uvicorn closes idle keep-alive connections (timeout_keep_alive), but a connection that
    has sent part of a request head, or nothing at all, is held open for ever: thousands of
    slow-header clients hold thousands of connections. This asyncio protocol (uvicorn's
    `http` setting takes any asyncio.Protocol class) hands every event to uvicorn's own and
    watches the bytes: from a connection's start, and from the first byte of each further
    request, the head must end (a blank line, CRLF CRLF) within `header_timeout` seconds or
    the connection is closed. A request whose head has arrived is the app's, however long
    its answer takes. No route takes a body, so bytes after a head are the next request.
    """

    def __init__(self, **options: Any) -> None:
        self.inner = CoalescingHttpToolsProtocol(**options)
        self.timeout = header_timeout()
        self.transport: Any = None  # uvloop's transports do not subclass asyncio's
        self.timer: asyncio.TimerHandle | None = None
        self.tail = b""  # the last bytes since the last head ended: a CRLF CRLF may straddle

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.arm()
        self.inner.connection_made(transport)  # type: ignore[arg-type]

    def data_received(self, data: bytes) -> None:
        seen = self.tail + data
        end = seen.rfind(b"\r\n\r\n")
        rest = seen if end < 0 else seen[end + 4:]
        self.tail = rest[-3:]
        if end >= 0:
            self.disarm()  # a head is complete
        if rest:
            self.arm()  # a request has begun and its head is not complete: its clock runs
        self.inner.data_received(data)

    def arm(self) -> None:
        if self.timer is None:
            self.timer = asyncio.get_running_loop().call_later(self.timeout, self.expire)

    def disarm(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def expire(self) -> None:
        self.timer = None
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.disarm()
        self.inner.connection_lost(exc)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received()

    def pause_writing(self) -> None:
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self.inner.resume_writing()


@functools.cache
def header_timeout() -> float:
    # Read once per worker process, from the same SMARTMED_* environment as the app.
    from smartmed.settings import Settings

    return Settings.from_env().header_timeout
