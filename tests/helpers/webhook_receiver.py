"""A real HTTP receiver on 127.0.0.1 for the webhook tests: records every request and answers
from a script (status codes and headers, in order; then 200), optionally slowly or hanging, or
— as a hostile or broken receiver does — trickling its answer or never ending it."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return orjson.loads(self.body)


#: How the receiver sends its answers (`Receiver.mode`).
WHOLE = "whole"  # at once
TRICKLE_HEAD = "trickle_head"  # the status line and headers one byte every `pause` seconds
TRICKLE_BODY = "trickle_body"  # the head at once, then a long body one byte at a time
ENDLESS = "endless"  # the head at once, then a body that never ends


@dataclass
class Receiver:
    """What the server does: `script` answers (status, headers) first, then 200s; `delay`
    seconds before each answer; while `hold` is clear, every request waits for it; `mode`
    says how an answer is sent (trickles and endless answers go on until the client hangs up
    or the receiver is closed)."""

    url: str = ""
    script: deque[tuple[int, dict[str, str]]] = field(default_factory=deque)
    received: list[Received] = field(default_factory=list)
    delay: float = 0.0
    hold: threading.Event = field(default_factory=threading.Event)
    arrived: threading.Condition = field(default_factory=threading.Condition)
    mode: str = WHOLE
    pause: float = 0.2
    closing: threading.Event = field(default_factory=threading.Event)

    def answer(self, *statuses: int | tuple[int, dict[str, str]]) -> None:
        for status in statuses:
            self.script.append(status if isinstance(status, tuple) else (status, {}))

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        """Until `count` requests have arrived (answered or not)."""
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.received) >= count, timeout)


@contextmanager
def serve() -> Iterator[Receiver]:
    receiver = Receiver()
    receiver.hold.set()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            with receiver.arrived:
                receiver.received.append(Received(self.path, dict(self.headers.items()), body))
                receiver.arrived.notify_all()
                status, headers = receiver.script.popleft() if receiver.script else (200, {})
            receiver.hold.wait(30)
            if receiver.delay:
                threading.Event().wait(receiver.delay)
            self.close_connection = receiver.mode != WHOLE
            try:
                if receiver.mode == TRICKLE_HEAD:
                    self._trickle(f"HTTP/1.1 {status} Whatever\r\nContent-Length: 2\r\n\r\n"
                                  "ok".encode())
                    return
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if receiver.mode == ENDLESS:
                    self.end_headers()  # no length: the body ends with the connection
                    while not receiver.closing.is_set():
                        self.wfile.write(b"x" * 65536)
                    return
                body = b"x" * 1_000_000 if receiver.mode == TRICKLE_BODY else b"ok"
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if receiver.mode == TRICKLE_BODY:
                    self._trickle(body)
                else:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up on the answer

        def _trickle(self, data: bytes) -> None:
            for index in range(len(data)):
                self.wfile.write(data[index:index + 1])
                if receiver.closing.wait(receiver.pause):
                    return

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/s3cr3t-path"
    try:
        yield receiver
    finally:
        receiver.closing.set()
        receiver.hold.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
