"""One write per response: what keeps a killed replica from cutting an answer in two."""

from __future__ import annotations

import asyncio
import socket

from uvicorn.importer import import_from_string

from smartmed.http.wire import CoalescingTransport, HeaderDeadlineProtocol
from smartmed.ops import runner
from smartmed.settings import Settings


class Recorder(asyncio.Protocol):
    def __init__(self) -> None:
        self.data = b""
        self.closed = asyncio.Event()

    def data_received(self, data: bytes) -> None:
        self.data += data

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed.set()


async def _writes_of_one_step_go_out_together() -> tuple[list[bytes], bytes]:
    loop = asyncio.get_running_loop()
    ours, theirs = socket.socketpair()
    transport, _ = await loop.connect_accepted_socket(asyncio.Protocol, ours)
    sent: list[bytes] = []
    real_write = transport.write

    def counting_write(data: bytes) -> None:  # the real write, counted
        sent.append(bytes(data))
        real_write(data)

    transport.write = counting_write  # type: ignore[method-assign]
    coalescing = CoalescingTransport(transport, loop)  # type: ignore[arg-type]
    coalescing.write(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n")
    coalescing.write(b"hello")
    assert sent == []  # nothing leaves before the step ends
    await asyncio.sleep(0)
    coalescing.write(b"bye")
    coalescing.close()  # flushes what is pending before closing
    reader_transport, reader = await loop.connect_accepted_socket(Recorder, theirs)
    await asyncio.wait_for(reader.closed.wait(), 5)
    reader_transport.close()
    return sent, reader.data


def test_writes_of_one_loop_step_leave_in_one_write_and_close_flushes() -> None:
    sent, received = asyncio.run(_writes_of_one_step_go_out_together())
    assert sent == [b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello", b"bye"]
    assert received == b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhellobye"


def test_smartmed_serve_uses_the_coalescing_protocol_with_a_header_deadline() -> None:
    options = runner.uvicorn_options("127.0.0.1", 8000, 1, Settings())
    assert import_from_string(options["http"]) is HeaderDeadlineProtocol
