"""bench/first_byte.py times the first byte of real answers, warm-up left out."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.first_byte import first_byte_series


class _Slow(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.seen.append(self.headers.get("X-Series", ""))
        if self.path == "/slow":
            threading.Event().wait(0.05)
        self.send_response(200)
        self.send_header("Content-Length", "1048576")
        self.end_headers()
        self.wfile.write(b"x" * 1048576)

    def log_message(self, *args: object) -> None:
        pass


def test_series_are_sampled_in_turns_and_a_slow_answer_shows():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        result = first_byte_series(
            {
                "fast": (f"{base}/fast", {"X-Series": "fast"}),
                "slow": (f"{base}/slow", {"X-Series": "slow"}),
            },
            samples=6,
            warmup=2,
        )
    finally:
        server.shutdown()
    assert _Slow.seen[:4] == ["fast", "slow", "fast", "slow"]
    assert len(_Slow.seen) == 16
    fast_p50, fast_p95 = result["fast"]
    slow_p50, slow_p95 = result["slow"]
    assert 0 < fast_p50 <= fast_p95
    assert slow_p50 >= 50 > fast_p50
