"""Time to first byte of a GET, on a new connection each, as a series.

bench/transfer.py --deployed measures X-Accel against nginx static with it
(issue 17: target <= 3 ms). A few downloads' ``time_starttransfer`` is a
poor median: the first request of a gunicorn thread also opens its database
connection. Here each series is warmed up first, then sampled many times,
taking turns between the URLs so a busy moment slows them alike; each
sample is timed from ``connect()`` to the first byte of the answer, and the
connection is closed without reading the body (a 1 GiB file costs nothing
more than a small one).
"""

from __future__ import annotations

import socket
import statistics
import time
from urllib.parse import urlsplit


def first_byte_seconds(url: str, headers: dict[str, str] | None = None) -> float:
    """Seconds from connect() to the first byte of the answer to a GET."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [f"GET {path} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close"]
    lines += [f"{key}: {value}" for key, value in (headers or {}).items()]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    started = time.perf_counter()
    with socket.create_connection((parts.hostname, parts.port or 80)) as sock:
        sock.sendall(request)
        first = sock.recv(1)
        elapsed = time.perf_counter() - started
    if not first:
        raise RuntimeError(f"{url}: the connection closed without an answer")
    return elapsed


def first_byte_series(
    series: dict[str, tuple[str, dict[str, str]]], samples: int, warmup: int = 5
) -> dict[str, tuple[float, float]]:
    """p50 and p95 (ms) of each named (url, headers), sampled in turns."""
    times: dict[str, list[float]] = {name: [] for name in series}
    for round_number in range(warmup + samples):
        for name, (url, headers) in series.items():
            seconds = first_byte_seconds(url, headers)
            if round_number >= warmup:
                times[name].append(seconds)
    result = {}
    for name, values in times.items():
        cut = statistics.quantiles(values, n=20) if len(values) > 1 else values * 19
        result[name] = (statistics.median(values) * 1000, cut[18] * 1000)
    return result
