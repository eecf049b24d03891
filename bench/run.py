"""Benchmarks: ``.venv/bin/python bench/run.py [--size-mib N]``.

Each figure is printed beside a baseline measured in the same run on the
same data, so the ratio means something on any machine:

* blob store streamed write (hash + verify + fsync + atomic rename) against
  a bare ``read → sha256 → write`` loop with the same chunk size;
* peak Python memory of that write (must stay flat whatever the size).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hub.storage.backends import LocalBlobStore  # noqa: E402

CHUNK = 1024 * 1024


class Pattern(io.RawIOBase):
    def __init__(self, size: int) -> None:
        self.remaining = size
        self.block = os.urandom(CHUNK)

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = min(self.remaining, CHUNK if n is None or n < 0 else n, CHUNK)
        self.remaining -= n
        return self.block[:n]


def baseline(size: int, folder: Path) -> float:
    src, digest = Pattern(size), hashlib.sha256()
    start = time.perf_counter()
    with open(folder / "baseline.bin", "wb") as out:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    elapsed = time.perf_counter() - start
    (folder / "baseline.bin").unlink()
    return elapsed


def blob_write(size: int, folder: Path) -> tuple[float, int]:
    store = LocalBlobStore(folder / "blobs")
    tracemalloc.start()
    start = time.perf_counter()
    written = store.write(Pattern(size), expected_size=size, chunk_size=CHUNK)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    store.delete(written.sha256)
    return elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mib", type=int, default=512)
    args = parser.parse_args()
    size = args.size_mib * 1024 * 1024
    with tempfile.TemporaryDirectory(prefix="mc-bench-") as tmp:
        folder = Path(tmp)
        base = min(baseline(size, folder) for _ in range(2))
        runs = [blob_write(size, folder) for _ in range(2)]
        ours = min(t for t, _ in runs)
        peak = max(p for _, p in runs)
    mib = size / 1024 / 1024
    print(f"blob write, {mib:.0f} MiB streamed in {CHUNK // 1024} KiB chunks")
    print(f"  baseline read→sha256→write : {base:.2f} s  ({mib / base:.0f} MiB/s)")
    print(f"  LocalBlobStore.write        : {ours:.2f} s  ({mib / ours:.0f} MiB/s)")
    print(f"  ratio (store / baseline)    : {ours / base:.2f}x")
    print(
        f"  peak Python memory          : {peak / 1024 / 1024:.1f} MiB "
        f"({peak / size * 100:.2f}% of the file)"
    )


if __name__ == "__main__":
    main()
