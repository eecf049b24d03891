"""Entry point of the sandboxed dataset-file child: ``python -I main.py``.

Started by ``workers.tabular.runner`` with rlimits, no network, no
capabilities and a scratch environment. Protocol on its pipes:

- stdin, first line: the spec, ``{"format": ..., "size": ..., "caps": {...}}``;
- stdout: JSON lines. ``{"op": "read", "offset": o, "length": n}`` asks the
  parent for bytes of the file; the parent answers on stdin with a JSON line
  ``{"length": n}`` followed by exactly n bytes, or ``{"error": "..."}``.
  The last line is ``{"op": "done", "result": {...}}``.

Everything libraries print goes to stderr (fd 1 is pointed there at start),
so nothing can corrupt the protocol. The result is ``{"ok": true, ...}``
(schema, rows, counts) or ``{"ok": false, "code", "message"[, "line"]}``:
a hostile file is an answer, never a crash of the worker.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tab_channel import Channel, ReadRefused  # noqa: E402
from tab_parquet import inspect_parquet  # noqa: E402
from tab_text import inspect_text  # noqa: E402
from tab_values import Problem, clean  # noqa: E402


def _inspect(channel: Channel, spec: dict[str, Any]) -> dict[str, Any]:
    fmt = spec["format"]
    if fmt == "parquet":
        return inspect_parquet(channel, spec["caps"])
    return inspect_text(channel, fmt, spec["caps"])


def main() -> int:
    answer = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # libraries' prints go to the log, not to the protocol
    spec = json.loads(sys.stdin.buffer.readline())
    channel = Channel(sys.stdin.buffer, answer, size=int(spec["size"]))
    try:
        result = _inspect(channel, spec)
    except Problem as problem:
        result = problem.as_result()
    except ReadRefused as exc:
        result = {"ok": False, "code": "read_budget", "message": str(exc)}
    except RecursionError:
        result = {
            "ok": False,
            "code": "too_deep",
            "message": "The file nests values too deeply to be read.",
        }
    except MemoryError:
        raise
    except Exception as exc:  # a library refusing the bytes: the file's fault
        traceback.print_exc()
        result = {
            "ok": False,
            "code": "unreadable",
            "message": clean(
                f"The file cannot be read: {type(exc).__name__}: {str(exc)[:500]}"
            ),
        }
    channel.send({"op": "done", "result": result})
    return 0


if __name__ == "__main__":
    sys.exit(main())
