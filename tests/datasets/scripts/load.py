"""Run ``datasets.load_dataset`` calls in a process of their own.

The ``datasets`` library and huggingface_hub read HF_ENDPOINT, HF_TOKEN and
HF_HOME at import, and the live hub's URL is known only once a test runs, so
each test starts this script with its environment set. Reads a JSON list of
loads on stdin ({"path", "kwargs", "streaming", "take"}) and prints one JSON
answer per load: {"splits": {name: rows}} or {"error": class names, "message"}.
"""

from __future__ import annotations

import json
import sys
import traceback

import datasets


def _rows(dataset, take):
    rows = dataset.take(take) if take else dataset
    return [dict(row) for row in rows]


def _load(request):
    loaded = datasets.load_dataset(
        request["path"], streaming=request.get("streaming", False), **request["kwargs"]
    )
    take = request.get("take") or 0
    return {"splits": {name: _rows(split, take) for name, split in loaded.items()}}


def main() -> None:
    answers = []
    for request in json.load(sys.stdin):
        try:
            answers.append(_load(request))
        except Exception as exc:  # noqa: BLE001 - the test judges the error
            answers.append(
                {
                    "error": [cls.__name__ for cls in type(exc).__mro__],
                    "message": str(exc),
                    "trace": traceback.format_exc()[-3000:],
                }
            )
    print(json.dumps(answers, default=str))


if __name__ == "__main__":
    main()
