"""Web page benchmark: ``.venv/bin/python bench/pages.py [--requests 30]``.

Issue 6 asks that no page takes over 200 ms of server time on the demo data.
This creates a throw-away PostgreSQL database, migrates it and seeds, through
the real services, what a small community hub holds: three namespaces (a user,
a second user, an organization) with 40 models carrying cards, licenses, tags
and safetensors weights; one model with a 60-commit history, a 300-file tree,
a long Markdown card and a 2,000-line Python file; discussions with comments
and a pull request with a text diff.

Each page is then requested ``--requests`` times in process through Django's
test client, with the production settings (DEBUG off, persistent connections)
and the caller signed in where the page is for signed-in users. Server time is
the time of the whole request through every middleware and the template
rendering (no network). Baseline, same run: the SELECTs the page sent (captured
once) replayed with psycopg on one connection; the ratio page/SQL shows what
Python, the ORM and the templates add.

Target: max ≤ 200 ms for every page. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import secrets
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

TARGET_MS = 200.0
PG = ["-h", "127.0.0.1", "-U", "postgres"]
LICENSES = ["apache-2.0", "mit", "cc-by-4.0", "cc-by-nc-4.0", "openrail", "llama3"]
TASKS = ["text-generation", "text-classification", "sentence-similarity"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def safetensors_bytes(n_tensors: int, dim: int) -> bytes:
    """A valid safetensors file of ``n_tensors`` F32 matrices dim×dim."""
    import json

    header: dict[str, Any] = {"__metadata__": {"format": "pt"}}
    offset = 0
    size = dim * dim * 4
    for i in range(n_tensors):
        header[f"layers.{i}.weight"] = {
            "dtype": "F32",
            "shape": [dim, dim],
            "data_offsets": [offset, offset + size],
        }
        offset += size
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + b"\0" * offset


def card(i: int, license_id: str, task: str, body_lines: int = 30) -> bytes:
    body = "\n".join(
        f"- Line {n} of the card: *emphasis*, `code`, and a [link](https://example.org/{n})."
        for n in range(body_lines)
    )
    return (
        f"---\nlicense: {license_id}\npipeline_tag: {task}\n"
        "library_name: transformers\n"
        f"tags:\n- demo\n- size-{i % 4}\nlanguage:\n- en\n---\n"
        f"# Model {i}\n\nA demo model for the page benchmark.\n\n"
        f"```python\nfrom transformers import AutoModel\n"
        f"model = AutoModel.from_pretrained('x/model-{i}')\n```\n\n{body}\n"
    ).encode()


def python_file(lines: int) -> bytes:
    return "\n".join(
        f"def function_{n}(value: int) -> int:\n    return value * {n}  # line {n}"
        for n in range(lines // 2)
    ).encode()


def validate_queued() -> None:
    """Run the queued validation runs here, as a worker would have: a hub
    that has been up for a while shows finished checks, and unchanged files
    reuse their parent's verdict only once that one is final."""
    from hub.jobs.models import ValidationRun
    from workers.jobs import check_file, check_repo

    for run in ValidationRun.objects.filter(status=ValidationRun.Status.QUEUED):
        task = check_file if run.kind == ValidationRun.Kind.FILE else check_repo
        task.apply(args=(run.pk,))


def seed() -> dict[str, Any]:
    """Seed through the services; return the actors and ids the pages need."""
    from hub.accounts.memberships import membership_set
    from hub.accounts.services import (
        organization_create,
        token_create,
        user_create,
    )
    from hub.catalog.services.commits import commit_create
    from hub.catalog.services.operations import AddFile
    from hub.catalog.services.repos import repo_create as catalog_repo_create
    from hub.community.services.comments import comment_create
    from hub.community.services.discussions import discussion_create
    from hub.community.services.pull_requests import pull_request_create_with_commit
    from hub.storage.services import blob_upload_bytes

    owner = user_create(username="ada", password="pw-ada-123456")
    other = user_create(username="grace", password="pw-grace-123456")
    org = organization_create(name="commons-lab", creator=owner)
    membership_set(organization=org, user=other, role="write")
    token_create(user=owner, name="cli", scope="write")
    namespaces = [owner.namespace, other.namespace, org.namespace]
    weights = blob_upload_bytes(data=safetensors_bytes(8, 64)).sha256
    repos = []
    for i in range(40):
        ns = namespaces[i % 3]
        author = other if ns == other.namespace else owner
        repo = catalog_repo_create(
            namespace=ns, name=f"model-{i}", creator=author, is_private=i % 10 == 9
        )
        license_id = LICENSES[i % len(LICENSES)]
        readme = blob_upload_bytes(data=card(i, license_id, TASKS[i % 3])).sha256
        commit_create(
            repo=repo,
            operations=[
                AddFile("README.md", readme),
                AddFile("model.safetensors", weights),
                AddFile(
                    "config.json",
                    blob_upload_bytes(data=b'{"model_type": "llama"}').sha256,
                ),
            ],
            title="Add the model",
            author=author,
        )
        validate_queued()
        repos.append(repo)

    big = repos[0]
    log("  history: 60 commits, 300 files")
    for n in range(60):
        ops = [
            AddFile(
                f"shards/part-{n * 5 + k:04d}.txt",
                blob_upload_bytes(data=f"shard {n} {k}\n".encode() * 20).sha256,
            )
            for k in range(5)
        ]
        commit_create(repo=big, operations=ops, title=f"Add shards {n}", author=owner)
        validate_queued()
    commit_create(
        repo=big,
        operations=[
            AddFile(
                "README.md",
                blob_upload_bytes(data=card(0, "apache-2.0", TASKS[0], 400)).sha256,
            ),
            AddFile("modeling.py", blob_upload_bytes(data=python_file(2000)).sha256),
        ],
        title="Long card and code",
        author=owner,
    )
    validate_queued()
    for n in range(15):
        discussion = discussion_create(
            repo=big, author=other, title=f"Question {n}", description="How?" * 20
        )
        for k in range(10):
            comment_create(
                discussion=discussion,
                author=owner if k % 2 else other,
                content=f"Reply {k} with **Markdown** and `code`.",
            )
    pr, _ = pull_request_create_with_commit(
        repo=big,
        author=other,
        base_branch="main",
        title="Fix the example",
        description="A better example.",
        operations=[
            AddFile(
                "modeling.py",
                blob_upload_bytes(data=python_file(2000) + b"\n# fixed\n").sha256,
            )
        ],
    )
    validate_queued()
    return {"owner": owner, "big": big, "pr": pr.num, "repos": repos}


def pages(seeded: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(label, path, signed in) for every page that exists in this build."""
    from django.urls import NoReverseMatch, reverse

    big = seeded["big"]
    kw = {"namespace": big.namespace.name, "name": big.name}
    wanted: list[tuple[str, str, dict[str, Any], bool]] = [
        ("home", "home", {}, False),
        ("models", "models", {}, False),
        ("models search+facets", "models", {}, False),
        ("model page", "model", kw, False),
        ("model page (owner)", "model", kw, True),
        ("files", "tree", {**kw, "rest": "main"}, False),
        ("files/shards", "tree", {**kw, "rest": "main/shards"}, False),
        ("file view (2k lines)", "blob", {**kw, "rest": "main/modeling.py"}, False),
        ("history", "commits", {**kw, "rest": "main"}, False),
        ("namespace", "namespace", {"namespace": big.namespace.name}, False),
        ("organization", "namespace", {"namespace": "commons-lab"}, False),
        ("tokens", "tokens", {}, True),
        ("new repo", "repo-new", {}, True),
        ("upload", "upload", kw, True),
        ("discussions", "discussions", kw, False),
        ("discussion", "discussion", {**kw, "num": 1}, False),
        ("pull request", "discussion", {**kw, "num": seeded["pr"]}, True),
        ("notifications", "notifications", {}, True),
        ("leaderboard", "leaderboard", {}, False),
    ]
    out = []
    for label, name, kwargs, signed_in in wanted:
        try:
            path = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            log(f"  (no page {name!r} in this build: skipped)")
            continue
        if label == "models search+facets":
            path += "?search=model&license=apache-2.0&sort=downloads"
        out.append((label, path, signed_in))
    head = big.refs.get(name="main").commit.oid
    out.append(("commit", reverse("commit", kwargs={**kw, "oid": head}), False))
    return out


def timed(fn: Callable[[], Any], n: int) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30, help="per page")
    parser.add_argument("--only", help="comma-separated page label prefixes")
    parser.add_argument(
        "--profile", action="store_true", help="print a cProfile of each page"
    )
    args = parser.parse_args()

    dbname = f"mc_bench_pages_{os.getpid()}"
    workdir = Path(tempfile.mkdtemp(prefix="mc-bench-pages-"))
    env = {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{dbname}",
        "HUB_VAR_DIR": str(workdir / "var"),
        "HUB_DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver",
        "HUB_LOG_LEVEL": "WARNING",
        "HUB_DB_CONN_MAX_AGE": "600",
        "DJANGO_SETTINGS_MODULE": "hub.settings",
        # Commits wake validation workers; none runs here, and the messages
        # only need somewhere to go.
        "CELERY_BROKER_URL": "memory://",
    }
    for key in list(os.environ):
        if key.startswith("HUB_") or key in ("REDIS_URL", "CELERY_BROKER_URL"):
            del os.environ[key]
    os.environ.update(env)
    subprocess.run(["createdb", *PG, dbname], check=True)
    try:
        log(f"database {dbname}: migrating")
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "-v", "0"],
            cwd=ROOT,
            env=os.environ,
            check=True,
        )
        import django

        django.setup()
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        log("seeding")
        seeded = seed()
        with psycopg.connect(
            f"host=127.0.0.1 user=postgres dbname={dbname}", autocommit=True
        ) as conn:
            conn.execute("VACUUM ANALYZE")
        anonymous = Client()
        owner = Client()
        owner.force_login(seeded["owner"])
        rows = []
        with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={dbname}") as raw:
            for label, path, signed_in in pages(seeded):
                if args.only and not label.startswith(tuple(args.only.split(","))):
                    continue
                client = owner if signed_in else anonymous
                first = client.get(path, secure=True)
                if first.status_code in (301, 302):  # e.g. a default choice
                    path = first["Location"]

                def get(client: Client = client, path: str = path) -> Any:
                    response = client.get(path, secure=True)
                    if response.status_code != 200:
                        raise SystemExit(f"{path}: {response.status_code}")
                    return response

                get()  # warm: template compilation, caches
                with CaptureQueriesContext(connection) as captured:
                    get()
                n_queries = len(captured.captured_queries)
                sql = [
                    q["sql"]
                    for q in captured.captured_queries
                    if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
                ]
                cpu_start = time.thread_time()
                page_ms = timed(get, args.requests)
                cpu_ms = (time.thread_time() - cpu_start) * 1000 / args.requests
                if args.profile:
                    import cProfile
                    import pstats

                    profiler = cProfile.Profile()
                    profiler.runcall(get)
                    pstats.Stats(profiler).sort_stats(
                        os.environ.get("BENCH_SORT", "tottime")
                    ).print_stats(40)

                def replay(sql: list[str] = sql) -> None:
                    with raw.cursor() as cur:
                        for statement in sql:
                            cur.execute(statement)
                            cur.fetchall()

                sql_ms = timed(replay, args.requests)
                rows.append((label, n_queries, page_ms, cpu_ms, sql_ms))
        report(rows)
    finally:
        from django.db import connections

        connections.close_all()
        subprocess.run(["dropdb", *PG, "--if-exists", "--force", dbname], check=False)


def report(rows: list[tuple[str, int, list[float], float, list[float]]]) -> None:
    """One line per page; CPU is this process's (Python) time per request."""
    print(
        f"{'page':24} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
        f"{'CPU ms':>8} {'SQL p50':>8} {'page/SQL':>8}  target max<={TARGET_MS:.0f}ms"
    )
    worst = 0.0
    for label, queries, page_ms, cpu_ms, sql_ms in rows:
        p50, p95, mx = pct(page_ms, 0.5), pct(page_ms, 0.95), max(page_ms)
        s50 = pct(sql_ms, 0.5)
        worst = max(worst, mx)
        verdict = "ok" if mx <= TARGET_MS else "OVER"
        print(
            f"{label:24} {queries:7d} {p50:8.1f} {p95:8.1f} {mx:8.1f} {cpu_ms:8.1f} "
            f"{s50:8.1f} {p50 / max(s50, 0.01):7.1f}x  {verdict}"
        )
    print(f"slowest request: {worst:.1f} ms (target {TARGET_MS:.0f} ms)")


if __name__ == "__main__":
    main()
