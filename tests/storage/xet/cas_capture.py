"""A stand-in CAS that records what the real Xet client (hf_xet) sends.

The hub's CAS API does not exist yet (issue 15), so these tests catch the
client's uploads here and hand the bytes to the format readers: xorbs and
shards written by the real client, not only by this package's writers.
Every upload succeeds; dedup queries go to ``dedup`` (404 without one); other
lookups (HEAD, newer endpoints the client tries first) answer 404, so the
client falls back to /v1 uploads.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import hf_xet

# Answers a dedup query for a chunk hash string with shard bytes, or None.
DedupAnswer = Callable[[str], bytes | None]


@dataclass
class Captured:
    requests: list[tuple[str, str, bytes]] = field(default_factory=list)

    def bodies(self, prefix: str) -> list[tuple[str, bytes]]:
        return [
            (p, b) for m, p, b in self.requests if m == "POST" and p.startswith(prefix)
        ]


def _handler(
    captured: Captured, dedup: DedupAnswer | None
) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
                return self.rfile.read(int(self.headers.get("Content-Length", 0)))
            out = b""
            while size := int(self.rfile.readline().strip(), 16):
                out += self.rfile.read(size)
                self.rfile.readline()
            self.rfile.readline()
            return out

        def _send(self, code: int, answer: object = None) -> None:
            if isinstance(answer, bytes):
                body, kind = answer, "application/octet-stream"
            else:
                body = b"" if answer is None else json.dumps(answer).encode()
                kind = "application/json"
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_POST(self) -> None:
            captured.requests.append(("POST", self.path, self._body()))
            if self.path.startswith("/v1/xorbs/"):
                self._send(200, {"was_inserted": True})
            elif self.path == "/v1/shards":
                self._send(200, {"result": 1})
            else:
                self._send(404, {})

        def do_GET(self) -> None:
            captured.requests.append(("GET", self.path, b""))
            answer = None
            if dedup is not None and self.path.startswith("/v1/chunks/"):
                answer = dedup(self.path.rsplit("/", 1)[1])
            self._send(404, {}) if answer is None else self._send(200, answer)

        def do_HEAD(self) -> None:
            captured.requests.append(("HEAD", self.path, b""))
            self._send(404)

    return Handler


class CaptureCAS:
    def __init__(self, dedup: DedupAnswer | None = None) -> None:
        self.captured = Captured()
        handler = _handler(self.captured, dedup)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def client_upload(
    files: dict[str, bytes], folder: Path
) -> tuple[list[tuple[str, bytes]], bytes]:
    """Upload ``files`` with the real client to a capturing CAS: the xorbs it
    sent (hash hex, body) and its shard."""
    for name, data in files.items():
        (folder / name).write_bytes(data)
    cas = CaptureCAS()
    try:
        hf_xet.upload_files(
            [str(folder / name) for name in files],
            cas.url,
            ("t", 4102444800),
            None,
            None,
            "model",
        )
    finally:
        cas.stop()
    xorbs = [(p.rsplit("/", 1)[1], b) for p, b in cas.captured.bodies("/v1/xorbs/")]
    [(_, shard)] = cas.captured.bodies("/v1/shards")
    return xorbs, shard
