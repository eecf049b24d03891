"""A fault-injecting HTTP proxy in front of the topology's S3 server.

The topology's S3 endpoints (internal and public) point at this proxy
(``deploy/local/up --s3-port`` puts moto on a port chosen here); it passes
every request through unchanged until a test arms a :class:`Fault`: answer
a status (500, 503) instead of forwarding, or hold the request for a while
before forwarding it (a stall). A fault matches by method, by a substring
of the path and query, and by side: the hub's own client names
``127.0.0.1`` in its Host header, clients following presigned URLs name
``localhost`` (the public endpoint), so a test can fail one side alone.
Standard library only; one thread per connection.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.faults.topology import MIB, Topology, started_topology

_CHUNK = 1024 * 1024
_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection"}
_ERROR_CODES = {500: "InternalError", 503: "SlowDown"}


@dataclass
class Fault:
    """What to do to matching requests: ``status`` answered instead of
    forwarding, or forwarded after ``stall`` seconds; ``times`` matching
    requests at most (None: until cleared)."""

    status: int | None = None
    stall: float = 0.0
    method: str | None = None
    path: str = ""
    side: str | None = None  # "hub" (internal endpoint) or "client" (public)
    times: int | None = None
    hits: int = field(default=0, init=False)

    def matches(self, method: str, path: str, host: str) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method and method != self.method:
            return False
        if self.path not in path:
            return False
        side = "hub" if host.startswith("127.0.0.1") else "client"
        return self.side in (None, side)


class S3FaultProxy:
    """``with S3FaultProxy(upstream_port) as proxy:`` listens on proxy.port."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.faults: list[Fault] = []
        self.log: list[tuple[str, str, str, int]] = []  # method, path, host, status
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                return

            def _any(self) -> None:
                proxy._handle(self)

            do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _any  # noqa: N815

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]

    def __enter__(self) -> S3FaultProxy:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def arm(self, fault: Fault) -> Fault:
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self.faults.clear()
            self.log.clear()

    def seen(self, method: str, path: str = "", side: str | None = None) -> int:
        """How many requests of this kind reached the proxy (answered or not)."""
        return sum(
            1
            for m, p, host, _ in list(self.log)
            if m == method
            and path in p
            and (side is None or (side == "hub") == host.startswith("127.0.0.1"))
        )

    def _fault_for(self, method: str, path: str, host: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.matches(method, path, host):
                    fault.hits += 1
                    return fault
        return None

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        method, path = request.command, request.path
        host = request.headers.get("Host", "")
        length = int(request.headers.get("Content-Length") or 0)
        fault = self._fault_for(method, path, host)
        if fault is not None and fault.stall:
            time.sleep(fault.stall)
        if fault is not None and fault.status:
            request.rfile.read(length)  # drain, so the client reads the answer
            self._answer_error(request, fault.status)
            self.log.append((method, path, host, fault.status))
            return
        status = self._forward(request, method, path, length)
        self.log.append((method, path, host, status))

    @staticmethod
    def _answer_error(request: BaseHTTPRequestHandler, status: int) -> None:
        code = _ERROR_CODES.get(status, "InternalError")
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code>'
            f"<Message>injected fault</Message></Error>"
        ).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/xml")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(body)

    def _forward(
        self, request: BaseHTTPRequestHandler, method: str, path: str, length: int
    ) -> int:
        upstream = http.client.HTTPConnection(
            "127.0.0.1", self.upstream_port, timeout=600
        )
        try:
            upstream.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for key, value in request.headers.items():
                if key.lower() not in _HOP:
                    upstream.putheader(key, value)
            upstream.endheaders()
            remaining = length
            while remaining > 0:
                chunk = request.rfile.read(min(_CHUNK, remaining))
                if not chunk:
                    break
                upstream.send(chunk)
                remaining -= len(chunk)
            answer = upstream.getresponse()
            request.send_response(answer.status)
            body_length = answer.getheader("Content-Length")
            for key, value in answer.getheaders():
                if key.lower() not in _HOP and key.lower() not in ("server", "date"):
                    request.send_header(key, value)
            if body_length is None and method != "HEAD":
                request.send_header("Connection", "close")
                request.close_connection = True
            request.end_headers()
            if method != "HEAD":
                while chunk := answer.read(_CHUNK):
                    request.wfile.write(chunk)
            return answer.status
        finally:
            upstream.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def proxied_topology(
    *args: str, env: dict[str, str] | None = None
) -> Iterator[tuple[Topology, S3FaultProxy]]:
    """``started_topology`` whose S3 endpoints are a fault proxy in front of
    moto; uploads of 5 MiB or more are S3 multipart uploads of 5 MiB parts."""
    moto_port = _free_port()
    with S3FaultProxy(moto_port) as proxy:
        settings = {
            "HUB_S3_ENDPOINT_URL": f"http://127.0.0.1:{proxy.port}",
            "HUB_S3_PUBLIC_ENDPOINT_URL": f"http://localhost:{proxy.port}",
            "HUB_S3_MULTIPART_THRESHOLD_BYTES": str(5 * MIB),
            "HUB_LFS_MULTIPART_CHUNK_BYTES": str(5 * MIB),
            **(env or {}),
        }
        with started_topology("--s3-port", str(moto_port), *args, env=settings) as topo:
            yield topo, proxy
