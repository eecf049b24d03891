"""Catalog benchmark: ``.venv/bin/python bench/catalog.py [--models 100000]``.

Creates a throw-away PostgreSQL database (``createdb`` at 127.0.0.1, user
postgres), migrates it, and seeds ``--models`` model repos fast with COPY:
user and organization namespaces, card metadata (licenses, tasks,
libraries, tags, languages, base models), descriptions and card text in the
full-text document, 2% private repos, and daily download/like rows from
which the trending scores are recomputed by the real service.

Then it serves the hub as deployed (gunicorn with deploy/gunicorn.conf.py,
HUB_DEBUG=false, persistent database connections, the Redis cache of
``--redis``) and measures p50/p95 latency and requests/s of /api/v1/models
with pools of ``--concurrency`` client threads (default 1 and 4; http.client
on kept-alive connections), as an anonymous caller and with a token whose user sees some
private repos, for: the default list, text searches (common words, a rare
word, a misspelt name), a 3-facet filter, sort by trending (Sam's
``license=apache-2.0&sort=trending``: first page, 50th page, a page deep in
the zero-score ties), sort by downloads, and facet counts (warm: public
counts cached; cold: the cache emptied before each request, one client:
the first request of a query nobody asked for within the hour), and the
web UI's ``/models`` page (HTML, 30 per page, with its facets and total).

Baseline, same run: each request is made once in-process with Django's
test client while its SQL is captured (exactly what the ORM sent); those
SELECTs are then replayed with psycopg directly, by the same number of
concurrent clients, and timed the same way. The ratio API/SQL shows what
the HTTP, auth, serialization and Python layers add.

Then the HF face: /api/models (what huggingface_hub's list_models() walks)
pages of 100 at depths 0, 10%, 50%, 90% and the end of the catalog, by
keyset cursor, against the OFFSET query the list ran before (its SQL,
replayed with psycopg); ``--hf-walk`` also walks the whole catalog with the
real client and prints the time per page through each tenth of the walk.
Seeding 1M models takes about ten minutes (indexes built after the load).

Target: p95 <= 30 ms for each. One client measures a request's latency; four
(more than the 2 cores, whose CPU they share with the load generator)
measure the hub saturated, where latency is mostly queueing.
``--without-indexes`` drops the indexes of migration catalog 0003 first (the
"before" figures). The database is dropped at the end (``--keep`` keeps it
and prints its name; ``--database NAME`` measures a kept one again;
``--only`` picks scenarios).
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import http.client
import itertools
import json
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
import requests  # noqa: E402

TARGET_P95_MS = 30.0
PG = ["-h", "127.0.0.1", "-U", "postgres"]

# Indexes of migration catalog 0003 (dropped by --without-indexes).
SEARCH_INDEXES = [
    "modelrepo_by_trending",
    "modelrepo_by_downloads",
    "modelrepo_by_likes",
    "modelrepo_by_created",
    "modelrepo_by_updated",
    "modelrepo_search_gin",
    "modelrepo_name_trgm",
    "modelrepo_tags_gin",
    "modelrepo_language_gin",
    "modelrepo_base_model_gin",
]

SAM = "/api/v1/models?license=apache-2.0&sort=trending"
# (label, path); None marks the paths computed once the hub runs.
SCENARIOS: list[tuple[str, str | None]] = [
    ("default list", "/api/v1/models"),
    ("text search", "/api/v1/models?search=code%20generation"),
    # A word in 0.1% of the cards: without the GIN index, every row is read.
    ("rare-word search", "/api/v1/models?search=photosynthesis"),
    # Names by trigram similarity ("mistrl" finds the mistral models).
    ("similar-name search", "/api/v1/models?search=mistrl&sort=downloads"),
    (
        "3-facet filter",
        "/api/v1/models?license=apache-2.0&task=text-generation&library=transformers",
    ),
    ("sort by trending", SAM),
    ("trending, page 50", None),  # 49 next links into the query above
    # Most scores are 0: a cursor half-way through the ties.
    ("trending, in ties", None),
    ("sort by downloads", "/api/v1/models?sort=downloads"),
    ("facet counts", "/api/v1/models?facets=all"),
    # Public facet counts are cached for a minute (hub/catalog/filters.py):
    # this one deletes the cached counts before every request.
    ("facet counts, cold", "/api/v1/models?facets=all"),
    # A narrower query nobody asked for within the hour, counted live.
    (
        "facets, cold, filtered",
        "/api/v1/models?facets=all&license=mit&language=fr",
    ),
    # The web UI's catalog page: the same FilterSet, cached counts and total.
    ("web /models", "/models"),
    ("web /models, 2 facets", "/models?license=apache-2.0&task=text-generation"),
]
COLD = {"facet counts, cold", "facets, cold, filtered"}
FACET_KEYS = "*catalog:facets:*"
CARD_TEXT_POOL = 20_000


# Seed data -------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


FAMILIES = _words(
    "llama mistral qwen gemma phi bert roberta deberta t5 flan-t5 gpt2 gpt-neo "
    "bloom falcon whisper wav2vec2 vit clip resnet convnext stable-diffusion sdxl "
    "flux yolo detr sam segformer codegen starcoder deepseek olmo mpt pythia e5 "
    "bge minilm mpnet electra xlm-roberta marian opus-mt bart pegasus"
)
SUFFIXES = _words(
    "base large small tiny 7b 13b 70b 1b 3b 8b instruct chat gguf awq gptq "
    "finetuned lora v0.1 v2 uncased cased multilingual distilled code math "
    "medical legal sentiment ner squad"
)
WORDS = _words(
    "model trained fine-tuned dataset evaluation benchmark accuracy language "
    "text generation classification translation summarization question "
    "answering code python javascript sentiment analysis medical clinical "
    "legal finance chat assistant instruction following reasoning math "
    "speech recognition audio image vision segmentation detection embedding "
    "retrieval search multilingual english french german spanish chinese "
    "japanese quantized efficient small large parameters tokens context "
    "window training learning rate epochs batch optimizer results license "
    "usage limitations bias risks intended downstream research commercial "
    "hardware gpu hours carbon emissions citation authors contact card "
    "framework pytorch tensorflow safetensors weights checkpoint adapter "
    "lora merge base architecture transformer decoder encoder attention "
    "layers hidden size vocabulary pretraining corpus web books wikipedia "
    "github papers conversation dialogue story poetry music art anime "
    "photo realistic diffusion latent upscaling inpainting depth pose"
)
TAGS = _words(
    "pytorch safetensors transformers text-generation-inference conversational "
    "endpoints_compatible autotrain_compatible custom_code region:us "
    "generated_from_trainer 4-bit 8-bit gguf lora peft trl sft dpo merge "
    "mergekit llama mistral qwen2 gemma bert t5 vit clip whisper audio vision "
    "medical legal finance code math chat instruct roleplay nsfw art anime "
    "stable-diffusion diffusers:StableDiffusionPipeline text-to-image "
    "sentence-transformers feature-extraction sentence-similarity onnx tflite "
    "jax keras tensorboard mlx coreml openvino exl2 awq gptq imatrix"
) + [f"topic-{i}" for i in range(250)]
LANGUAGES = _words(
    "en fr de es zh ja ko ru pt it nl pl tr ar hi vi id th sv fi da no cs uk "
    "el he hu ro bg sr hr sk sl lt lv et fa bn ta te ur sw ms tl ca eu gl "
    "multilingual"
)
LIBRARIES = [
    ("transformers", 50),
    ("", 10),
    ("peft", 8),
    ("diffusers", 8),
    ("sentence-transformers", 6),
    ("gguf", 5),
    ("timm", 3),
    ("pytorch", 3),
    ("keras", 2),
    ("onnx", 2),
    ("mlx", 2),
    ("adapter-transformers", 1),
]
LICENSES = [
    ("apache-2.0", 30),
    ("mit", 18),
    ("", 10),
    ("other", 6),
    ("cc-by-4.0", 4),
    ("cc-by-nc-4.0", 4),
    ("openrail", 4),
    ("creativeml-openrail-m", 4),
    ("llama3", 3),
    ("llama2", 3),
    ("gemma", 2),
    ("bsd-3-clause", 2),
    ("gpl-3.0", 2),
    ("cc-by-sa-4.0", 2),
    ("afl-3.0", 1),
    ("qwen", 1),
    ("deepseek", 1),
    ("unknown", 1),
    ("cc-by-nc-sa-4.0", 1),
    ("agpl-3.0", 1),
]
TASKS = [
    ("text-generation", 25),
    ("text-classification", 10),
    ("", 6),
    ("text-to-image", 8),
    ("feature-extraction", 6),
    ("sentence-similarity", 5),
    ("automatic-speech-recognition", 5),
    ("image-classification", 5),
    ("token-classification", 4),
    ("text2text-generation", 4),
    ("question-answering", 3),
    ("translation", 3),
    ("summarization", 2),
    ("fill-mask", 3),
    ("object-detection", 2),
    ("image-to-text", 2),
    ("image-text-to-text", 2),
    ("reinforcement-learning", 2),
    ("text-to-speech", 1),
    ("zero-shot-classification", 1),
    ("image-segmentation", 1),
]


# Cumulative weights, computed once: random.choices with plain weights sums
# them on every call, which at 1M models over 55,000 namespaces is 5.5e10
# additions (same draws either way).


def _weighted(pairs: list[tuple[str, int]]) -> tuple[list[str], list[int]]:
    return [p[0] for p in pairs], list(itertools.accumulate(p[1] for p in pairs))


def _zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return list(itertools.accumulate(1 / (i + 1) ** s for i in range(n)))


def log(message: str) -> None:
    print(message, flush=True)


def seed(conninfo: str, n_models: int, rng: random.Random) -> dict[str, Any]:
    """Bulk-load namespaces, repos and daily stats; returns a few ids."""
    from hub.catalog.search import repo_id_text, search_document_sql
    from hub.catalog.services.repos import repo_trending_recompute

    n_users = max(50, n_models // 20)
    n_orgs = max(10, n_models // 100)
    now = datetime.now(UTC)
    with psycopg.connect(conninfo, autocommit=False) as conn, conn.cursor() as cur:
        start = time.perf_counter()
        with cur.copy(
            "COPY accounts_user (password, is_superuser, username, first_name, "
            "last_name, email, is_staff, is_active, date_joined, display_name) "
            "FROM STDIN"
        ) as copy:
            for i in range(n_users):
                copy.write_row(
                    ("!", False, f"user{i}", "", "", "", False, True, now, "")
                )
        with cur.copy(
            "COPY accounts_organization (name, display_name, description, "
            "created_at) FROM STDIN"
        ) as copy:
            for i in range(n_orgs):
                copy.write_row((f"org{i}", f"Org {i}", "", now))
        cur.execute(
            "INSERT INTO accounts_namespace (name, kind, user_id) "
            "SELECT username, 'user', id FROM accounts_user WHERE username ~ '^user'"
        )
        cur.execute(
            "INSERT INTO accounts_namespace (name, kind, organization_id) "
            "SELECT name, 'org', id FROM accounts_organization WHERE name ~ '^org'"
        )
        cur.execute(
            "SELECT id, name FROM accounts_namespace WHERE name ~ '^(user|org)[0-9]'"
        )
        namespaces = cur.fetchall()
        ns_weights = _zipf_weights(len(namespaces), 0.8)
        rng.shuffle(namespaces)

        licenses, license_w = _weighted(LICENSES)
        tasks, task_w = _weighted(TASKS)
        libraries, library_w = _weighted(LIBRARIES)
        tag_w = _zipf_weights(len(TAGS))
        lang_w = _zipf_weights(len(LANGUAGES), 1.5)
        word_w = _zipf_weights(len(WORDS), 0.7)
        base_models = [
            f"org{rng.randrange(n_orgs)}/{rng.choice(FAMILIES)}-{rng.choice(SUFFIXES)}"
            for _ in range(500)
        ]

        # Card texts (80-250 words) drawn from a pool: most of the seeding
        # time went into drawing 165 million words one by one at 1M models.
        card_texts = [
            " ".join(rng.choices(WORDS, cum_weights=word_w, k=rng.randint(80, 250)))
            for _ in range(min(n_models, CARD_TEXT_POOL))
        ]
        cur.execute(
            "CREATE UNLOGGED TABLE bench_staging (namespace_id bigint, name text, "
            "is_private bool, gated text, created_at timestamptz, "
            "last_commit_at timestamptz, license text, tags jsonb, "
            "pipeline_tag text, library_name text, base_model jsonb, "
            "datasets jsonb, language jsonb, card_data jsonb, downloads bigint, "
            "likes int, description text, id_text text, card_text text, "
            "rating_avg float8, rating_count int, disabled_at timestamptz)"
        )
        used: set[tuple[int, str]] = set()
        with cur.copy("COPY bench_staging FROM STDIN") as copy:
            for i in range(n_models):
                ns_id, ns_name = rng.choices(namespaces, cum_weights=ns_weights)[0]
                name = f"{rng.choice(FAMILIES)}-{rng.choice(SUFFIXES)}"
                if (ns_id, name) in used:
                    name = f"{name}-{i}"
                used.add((ns_id, name))
                license_id = rng.choices(licenses, cum_weights=license_w)[0]
                task = rng.choices(tasks, cum_weights=task_w)[0]
                library = rng.choices(libraries, cum_weights=library_w)[0]
                tags = list(
                    dict.fromkeys(
                        rng.choices(TAGS, cum_weights=tag_w, k=rng.randint(0, 6))
                    )
                )
                language = list(
                    dict.fromkeys(
                        rng.choices(LANGUAGES, cum_weights=lang_w, k=rng.randint(0, 3))
                    )
                )
                base = [rng.choice(base_models)] if rng.random() < 0.3 else []
                datasets = (
                    [f"dataset{rng.randrange(300)}"] if rng.random() < 0.3 else []
                )
                card = {
                    key: value
                    for key, value in (
                        ("license", license_id),
                        ("pipeline_tag", task),
                        ("library_name", library),
                        ("tags", tags),
                        ("language", language),
                        ("base_model", base),
                        ("datasets", datasets),
                    )
                    if value
                }
                description = " ".join(
                    rng.choices(WORDS, cum_weights=word_w, k=rng.randint(8, 30))
                )
                card_text = rng.choice(card_texts)
                if rng.random() < 0.001:
                    card_text += " photosynthesis"
                created = now - timedelta(seconds=rng.randrange(3 * 365 * 86400))
                committed = created + (now - created) * rng.random()
                downloads = int(rng.lognormvariate(4, 2.5))
                # 5% reviewed; 0.1% disabled by a moderator.
                rating_count = rng.randint(1, 40) if rng.random() < 0.05 else 0
                rating_avg = round(rng.uniform(1, 5), 2) if rating_count else 0.0
                disabled = now if rng.random() < 0.001 else None
                copy.write_row(
                    (
                        ns_id,
                        name,
                        rng.random() < 0.02,
                        rng.choices(
                            ["off", "auto", "manual"], cum_weights=[95, 98, 100]
                        )[0],
                        created,
                        committed,
                        license_id,
                        json.dumps(tags),
                        task,
                        library,
                        json.dumps(base),
                        json.dumps(datasets),
                        json.dumps(language),
                        json.dumps(card),
                        downloads,
                        int(downloads * rng.random() / 50),
                        description,
                        repo_id_text(ns_name, name),
                        card_text,
                        rating_avg,
                        rating_count,
                        disabled,
                    )
                )
        log(f"  generated {n_models} repos in {time.perf_counter() - start:.1f}s")
        start = time.perf_counter()
        # Built once after the load rather than row by row during it (GIN
        # indexes especially): minutes instead of tens of minutes at 1M.
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = 'catalog_modelrepo' AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint "
            "WHERE conrelid = 'catalog_modelrepo'::regclass)"
        )
        indexes = cur.fetchall()
        for index_name, _definition in indexes:
            cur.execute(f"DROP INDEX {index_name}")
        # Card texts come from a pool: each one's part of the document is
        # computed once. (tsvector || shifts the right side's positions, so
        # the parts joined equal the document computed whole: checked below.)
        card_part = search_document_sql("''", "''", "t.card_text")
        cur.execute(
            f"CREATE TEMP TABLE bench_cards AS SELECT card_text, {card_part} AS doc "
            "FROM (SELECT DISTINCT card_text FROM bench_staging) AS t"
        )
        head = search_document_sql("s.id_text", "s.description", "''")
        document = f"{head} || c.doc"
        cur.execute(
            "INSERT INTO catalog_modelrepo (namespace_id, name, is_private, gated, "
            "created_at, updated_at, last_commit_at, license, license_name, tags, "
            "pipeline_tag, library_name, base_model, datasets, language, "
            "card_data, downloads, likes, trending_score, last_discussion_num, "
            "description, search_vector, rating_avg, rating_count, disabled_at, "
            "disabled_reason) "
            "SELECT namespace_id, name, is_private, gated, created_at, "
            "last_commit_at, last_commit_at, license, '', tags, pipeline_tag, "
            "library_name, base_model, datasets, language, card_data, downloads, "
            f"likes, 0, 0, description, {document}, rating_avg, rating_count, "
            "disabled_at, CASE WHEN disabled_at IS NULL THEN '' ELSE 'spam' END "
            "FROM bench_staging AS s JOIN bench_cards AS c USING (card_text)"
        )
        whole = search_document_sql("s.id_text", "s.description", "s.card_text")
        cur.execute(
            "SELECT count(*) FROM (SELECT * FROM bench_staging LIMIT 500) AS s "
            "JOIN catalog_modelrepo AS r USING (namespace_id, name) "
            f"WHERE r.search_vector <> {whole}"
        )
        differing = cur.fetchone()
        if differing is None or differing[0]:
            raise SystemExit(f"seeded documents differ from the hub's: {differing}")
        cur.execute("DROP TABLE bench_staging, bench_cards")
        log(f"  inserted with documents in {time.perf_counter() - start:.1f}s")
        conn.commit()  # the rows' deferred foreign-key checks run first

        start = time.perf_counter()
        cur.execute("SELECT id FROM catalog_modelrepo")
        repo_ids = [row[0] for row in cur.fetchall()]
        today = now.date()
        active = rng.sample(repo_ids, k=len(repo_ids) * 3 // 10)
        rows = 0
        with cur.copy(
            "COPY catalog_repodailystat (repo_id, day, downloads, likes) FROM STDIN"
        ) as copy:
            for repo_id in active:
                level = rng.lognormvariate(1, 2)
                for back in range(14):
                    day: date = today - timedelta(days=back)
                    copy.write_row(
                        (
                            repo_id,
                            day,
                            int(level * rng.random() * 10),
                            int(rng.random() < 0.1),
                        )
                    )
                    rows += 1
        conn.commit()
        log(f"  {rows} daily stat rows in {time.perf_counter() - start:.1f}s")
        # The real service, before the indexes exist: it writes the 30% of
        # repos with recent activity, which costs minutes at 1M with them.
        start = time.perf_counter()
        repo_trending_recompute()
        log(f"  trending recompute: {time.perf_counter() - start:.2f}s")
        start = time.perf_counter()
        cur.execute("SET maintenance_work_mem = '512MB'")
        for _index_name, definition in indexes:
            cur.execute(definition)
        log(f"  {len(indexes)} indexes built in {time.perf_counter() - start:.1f}s")
        conn.commit()
    return {"namespaces": namespaces}


def make_actor(n_orgs_member: int) -> str:
    """A user with read access to some organizations; returns a read token."""
    from hub.accounts.models import Membership, Organization, User
    from hub.accounts.services import token_create, user_create

    user = User.objects.filter(username="bench-reader").first()
    if user is not None:  # a kept database: a new token for the same user
        return token_create(user=user, name="bench")[1]
    user = user_create(username="bench-reader")
    orgs = Organization.objects.filter(name__regex=r"^org[0-9]+$").order_by("pk")
    Membership.objects.bulk_create(
        Membership(organization=org, user=user, role="read")
        for org in orgs[:n_orgs_member]
    )
    _token, secret = token_create(user=user, name="bench")
    return secret


# Measurement -----------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (nearest rank); NaN when nothing finished in time."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def run_pool(
    work: Any,
    make_state: Any,
    *,
    requests_n: int,
    concurrency: int,
    limit_s: float,
    before: Any = None,
) -> tuple[list[float], float]:
    """Run ``work(state)`` requests_n times on ``concurrency`` threads.

    ``before()``, if given, runs before each request, outside the timing.
    Returns the latencies (seconds) and the wall time. Stops early after
    ``limit_s`` seconds.
    """
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(requests_n))
    deadline = time.monotonic() + limit_s

    def worker() -> None:
        state = make_state()
        try:
            for _ in range(3):  # warm-up: connections, caches
                if time.monotonic() < deadline:
                    work(state)
            while time.monotonic() < deadline:
                with lock:
                    if next(counter, None) is None:
                        return
                if before is not None:
                    before()
                begin = time.perf_counter()
                work(state)
                elapsed = time.perf_counter() - begin
                with lock:
                    latencies.append(elapsed)
        finally:
            close = getattr(state, "close", None)
            if close:
                close()

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(worker) for _ in range(concurrency)]:
            future.result()
    return latencies, time.perf_counter() - start


def capture_sql(path: str, token: str | None, before: Any = None) -> list[str]:
    """The SELECTs one request sends, exactly as the ORM emitted them."""
    if before is not None:
        before()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    headers = {"Authorization": f"Bearer {token}"} if token else None
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers)
    if response.status_code != 200:
        raise SystemExit(f"{path}: {response.status_code} {response.content[:300]!r}")
    # Reads only (the token's last-use stamp is an UPDATE); SET LOCAL too,
    # replayed in the same transaction as the reads, as the request ran it.
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith(("SELECT", "WITH", "SET LOCAL"))
    ]


def tie_cursor_path(conninfo: str) -> str:
    """A trending page after the median id among repos with a zero score."""
    with psycopg.connect(conninfo) as conn:
        row = conn.execute(
            "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY id) "
            "FROM catalog_modelrepo WHERE trending_score = 0"
        ).fetchone()
    pk = int(row[0]) if row and row[0] is not None else 1
    raw = {"s": "trending", "v": 0.0, "i": pk, "r": False}
    cursor = base64.urlsafe_b64encode(json.dumps(raw).encode()).decode()
    return f"/api/v1/models?cursor={cursor}"


def explain(conninfo: str, sql: str) -> str:
    with psycopg.connect(conninfo) as conn, conn.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cur.fetchall())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(env: dict[str, str], port: int, logfile: Path) -> subprocess.Popen:
    gunicorn = str(Path(PYTHON).with_name("gunicorn"))
    proc = subprocess.Popen(
        [gunicorn, "-c", "deploy/gunicorn.conf.py", "hub.wsgi:application"],
        cwd=ROOT,
        env={**env, "HUB_BIND": f"127.0.0.1:{port}"},
        stdout=logfile.open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited: see {logfile}")
        try:
            requests.get(f"http://127.0.0.1:{port}/api/v1/licenses", timeout=5)
            return proc
        except (requests.ConnectionError, requests.Timeout):
            # Not listening yet, or a worker still importing on a busy machine.
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 60s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=400, help="per scenario")
    parser.add_argument(
        "--concurrency",
        type=lambda text: [int(part) for part in text.split(",")],
        default=[1, 4],
        help="comma-separated numbers of concurrent clients, each measured "
        "(default 1,4: one caller alone, and more callers than cores)",
    )
    parser.add_argument("--time-limit", type=float, default=30, help="s per run")
    parser.add_argument("--without-indexes", action="store_true")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument(
        "--hf-walk",
        action="store_true",
        help="also walk the whole catalog with huggingface_hub's list_models() "
        "(10,000 pages at 1M models), timing each tenth of the walk",
    )
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--only", help="comma-separated scenario label prefixes")
    parser.add_argument(
        "--database",
        help="measure an existing database kept by --keep (no seeding, not dropped)",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--web-processes",
        type=int,
        help="gunicorn processes (HUB_WEB_PROCESSES; default: the deployed one)",
    )
    parser.add_argument(
        "--web-threads",
        type=int,
        help="threads per gunicorn process (HUB_WEB_THREADS; default: deployed)",
    )
    parser.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379/3",
        help="cache of the served hub, as deployed ('' for per-process memory)",
    )
    args = parser.parse_args()

    dbname = args.database or f"mc_bench_catalog_{os.getpid()}"
    reuse = bool(args.database)
    url = f"postgres://postgres@127.0.0.1:5432/{dbname}"
    workdir = Path(tempfile.mkdtemp(prefix="mc-bench-catalog-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("HUB_")
        and key not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")
    }
    env.update(
        {
            "DATABASE_URL": url,
            "HUB_VAR_DIR": str(workdir / "var"),
            "HUB_DEBUG": "false",
            # Plain HTTP on loopback, as behind a TLS-terminating proxy.
            "HUB_HTTPS": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "HUB_LOG_LEVEL": "WARNING",
            "HUB_API_RATE_ANON": "10000000/hour",
            "HUB_API_RATE_USER": "10000000/hour",
            # Persistent connections, as a deployment runs them.
            "HUB_DB_CONN_MAX_AGE": "600",
            "DJANGO_SETTINGS_MODULE": "hub.settings",
        }
    )
    if args.web_processes:
        env["HUB_WEB_PROCESSES"] = str(args.web_processes)
    if args.web_threads:
        env["HUB_WEB_THREADS"] = str(args.web_threads)
    clear_facets = None
    if args.redis:
        import redis

        client = redis.Redis.from_url(args.redis)
        client.ping()
        env["HUB_CACHE_URL"] = args.redis

        def clear_facets() -> None:
            keys = list(client.scan_iter(FACET_KEYS, count=1000))
            if keys:
                client.delete(*keys)

        clear_facets()
    if not reuse:
        subprocess.run(["createdb", *PG, dbname], check=True)
    proc: subprocess.Popen | None = None
    try:
        log(f"database {dbname}: migrating")
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connection

        conninfo = f"host=127.0.0.1 user=postgres dbname={dbname}"
        if reuse:
            token = make_actor(n_orgs_member=0)
        else:
            log(f"seeding {args.models} models")
            seed(conninfo, args.models, random.Random(args.seed))
            # A member of 50 organizations at 100k models and beyond (fewer
            # below): a user's memberships do not grow with the catalog.
            token = make_actor(n_orgs_member=min(50, max(1, args.models // 2000)))
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
            if args.without_indexes:
                for name in SEARCH_INDEXES:
                    conn.execute(f"DROP INDEX IF EXISTS {name}")
                log("  dropped the indexes of migration catalog 0003")
            size = conn.execute(
                "SELECT pg_size_pretty(pg_total_relation_size('catalog_modelrepo'))"
            ).fetchone()
            log(f"  catalog_modelrepo: {size[0] if size else '?'} with indexes")

        port = free_port()
        proc = start_gunicorn(env, port, workdir / "gunicorn.log")
        base = f"http://127.0.0.1:{port}"
        scenarios: list[tuple[str, str]] = []
        for label, maybe_path in SCENARIOS:
            if maybe_path is not None:
                scenarios.append((label, maybe_path))
            elif label == "trending, page 50":
                path = SAM
                for _ in range(49):
                    nxt = requests.get(base + path, timeout=30).json()["next"]
                    path = nxt[len(base) :]
                scenarios.append((label, path))
            else:
                scenarios.append((label, tie_cursor_path(conninfo)))

        rows = []
        only = [part.strip() for part in (args.only or "").split(",") if part.strip()]
        for label, path in scenarios:
            if only and not any(label.startswith(prefix) for prefix in only):
                continue
            cold = label in COLD
            if cold and clear_facets is None:
                log(f"  skipped {label!r}: needs --redis")
                continue
            before = clear_facets if cold else None
            callers = [("anonymous", None), ("token", token)]
            if label.startswith("web"):
                callers = callers[:1]  # pages take a session, not a token
            for who, secret in callers:
                log(f"  measuring {label} ({who})")
                if not cold:
                    capture_sql(path, secret)  # warm: measure what repeats
                sql = capture_sql(path, secret, before)
                connection.close()
                headers = {"Authorization": f"Bearer {secret}"} if secret else {}

                def api_call(
                    conn: http.client.HTTPConnection,
                    path: str = path,
                    headers: dict[str, str] = headers,
                ) -> None:
                    # http.client on a kept-alive connection: the lightest
                    # client, so the figures are the server's, not requests'.
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    if response.status != 200:
                        raise RuntimeError(f"{path}: {response.status}")

                def sql_call(conn: psycopg.Connection, sql: list[str] = sql) -> None:
                    with conn.transaction(), conn.cursor() as cur:
                        for statement in sql:
                            cur.execute(statement.encode())
                            if cur.description is not None:
                                cur.fetchall()

                # Cold runs go one at a time: a concurrent request would
                # refill the cache another one has just emptied.
                levels = [1] if cold else args.concurrency
                for concurrency in levels:
                    api, api_wall = run_pool(
                        api_call,
                        lambda: http.client.HTTPConnection(
                            "127.0.0.1", port, timeout=60
                        ),
                        requests_n=args.requests,
                        concurrency=concurrency,
                        limit_s=args.time_limit,
                        before=before,
                    )
                    raw, raw_wall = run_pool(
                        sql_call,
                        lambda: psycopg.connect(conninfo, autocommit=True),
                        requests_n=args.requests,
                        concurrency=concurrency,
                        limit_s=args.time_limit,
                    )
                    row = (label, who, concurrency, api, api_wall, raw, raw_wall)
                    rows.append((*row, len(sql)))
                if args.explain:
                    main_sql = max(sql, key=len)
                    log(f"\n--- {label} ({who}): {main_sql[:2000]}")
                    log(explain(conninfo, main_sql))
        report(rows, args)
        if not only or any(prefix.startswith("hf") for prefix in only):
            hf_depths(base, conninfo, port, args)
        if args.hf_walk:
            hf_walk(base, args)
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001 - Django may not be set up yet
            pass
        if clear_facets is not None:
            clear_facets()  # and the rate-limit counters of this run
            keys = list(client.scan_iter(":1:throttle_*", count=1000))
            if keys:
                client.delete(*keys)
        if args.keep or reuse:
            log(f"kept database: {url}")
        else:
            subprocess.run(["dropdb", *PG, "--if-exists", dbname], check=False)


# HF list_models: cost of a page by depth ------------------------------------

HF_SORTS = ("trendingScore", "createdAt")
HF_DEPTHS = (0.0, 0.1, 0.5, 0.9, 0.999)


def hf_depths(base: str, conninfo: str, port: int, args: argparse.Namespace) -> None:
    """Time /api/models pages at several depths of the anonymous catalog.

    A page's keyset cursor is made for the row at that depth (signed with the
    served hub's key, as a next link would carry it). Baseline: the OFFSET
    query the list ran before issue 17, at the same depth, replayed with
    psycopg: its cost grows with the depth, the keyset page's does not.
    """
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from hub.catalog.keyset import RepoPosition, cursor_encode
    from hub.catalog.repo_lists import repo_list_search, repo_list_sort
    from hub.catalog.search import sort_key_expression

    ms = 1000.0
    lines = []
    for sort in HF_SORTS:
        key = repo_list_sort(sort)
        repos = repo_list_search(user=AnonymousUser(), sort=sort)
        total = repos.count()
        keyed = repos.annotate(_v=sort_key_expression(key)).values_list("_v", "pk")
        first = None
        for fraction in HF_DEPTHS:
            depth = int(total * fraction) // 100 * 100
            path = f"/api/models?sort={sort}"
            if depth:
                value, pk = keyed[depth - 1]
                cursor = cursor_encode(RepoPosition(key, value, pk, depth))
                path += f"&cursor={cursor}"
            log(f"  measuring HF list {sort} at row {depth}")
            sql, params = repos[depth : depth + 101].query.sql_with_params()
            connection.close()

            def api_call(conn: http.client.HTTPConnection, path: str = path) -> None:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    raise RuntimeError(f"{path}: {response.status}")

            def offset_call(
                conn: psycopg.Connection, sql: str = sql, params: Any = params
            ) -> None:
                conn.execute(sql, params).fetchall()

            api, _ = run_pool(
                api_call,
                lambda: http.client.HTTPConnection("127.0.0.1", port, timeout=60),
                requests_n=max(4, args.requests // 4),
                concurrency=1,
                limit_s=args.time_limit,
            )
            old, _ = run_pool(
                offset_call,
                lambda: psycopg.connect(conninfo, autocommit=True),
                requests_n=max(4, args.requests // 4),
                concurrency=1,
                limit_s=args.time_limit,
            )
            a50, a95 = percentile(api, 0.5) * ms, percentile(api, 0.95) * ms
            o50 = percentile(old, 0.5) * ms
            first = first or (a50, o50)
            # No OFFSET query finished within the time limit (3 warm-ups).
            offset = f"{o50:>8.1f}ms {o50 / first[1]:>7.1f}x"
            if not old:
                offset = f"{f'>{args.time_limit / 3:.1f}s':>10} {'':>8}"
            lines.append(
                f"{sort:<14} {depth:>9} {a50:>7.1f}ms {a95:>6.1f}ms "
                f"{a50 / first[0]:>6.2f}x | {offset}"
            )
    header = (
        f"{'sort':<14} {'row':>9} {'p50':>9} {'p95':>8} {'vs 1st':>7} | "
        f"{'OFFSET SQL':>10} {'vs 1st':>8}"
    )
    log(
        f"\nHF /api/models (list_models) page of 100 by depth, {args.models} "
        "models, anonymous, 1 client; keyset page through gunicorn vs the "
        "OFFSET query it replaced (SQL only, psycopg)"
    )
    log(header)
    log("-" * len(header))
    for line in lines:
        log(line)


def hf_walk(base: str, args: argparse.Namespace) -> None:
    """Walk every public model with huggingface_hub's list_models(); print the
    time of each tenth of the walk (flat: each page costs the same)."""
    from huggingface_hub import HfApi

    api = HfApi(endpoint=base)
    log(f"\nlist_models() walk of the whole catalog ({args.models} models)")
    times: list[float] = []
    seen: set[str] = set()
    start = time.perf_counter()
    for model in api.list_models(sort="trending_score"):
        seen.add(model.id)
        times.append(time.perf_counter() - start)
    total = len(times)
    if len(seen) != total:
        raise SystemExit(f"walk repeated models: {total} rows, {len(seen)} distinct")
    tenth = max(1, total // 10)
    previous = 0.0
    parts = []
    for index in range(tenth - 1, total, tenth):
        parts.append(f"{(times[index] - previous) * 1000 / (tenth / 100):.1f}")
        previous = times[index]
    log(
        f"  {total} models in {times[-1]:.1f}s; ms per page of 100, by tenth "
        f"of the walk: {' '.join(parts)}"
    )


def report(rows: list[Any], args: argparse.Namespace) -> None:
    ms = 1000.0
    log(
        f"\n/api/v1/models at {args.models} models; gunicorn "
        "(deploy/gunicorn.conf.py); c = concurrent clients; SQL = the "
        "request's reads replayed with psycopg, same concurrency; q = their "
        "number" + (" [WITHOUT the 0003 indexes]" if args.without_indexes else "")
    )
    header = (
        f"{'scenario':<22} {'caller':<9} {'c':>1} {'n':>4} {'API p50':>8} "
        f"{'p95':>7} {'req/s':>6} | {'SQL p50':>8} {'p95':>7} {'q':>2} | "
        f"{'API/SQL p50':>11} {'p95':>5} | p95<={TARGET_P95_MS:.0f}ms"
    )
    log(header)
    log("-" * len(header))
    for label, who, conc, api, api_wall, raw, _raw_wall, n_sql in rows:
        a50, a95 = percentile(api, 0.5) * ms, percentile(api, 0.95) * ms
        s50, s95 = percentile(raw, 0.5) * ms, percentile(raw, 0.95) * ms
        verdict = "ok" if a95 <= TARGET_P95_MS else "MISSED"
        if not api:
            verdict = f"MISSED: no request finished in {args.time_limit:.0f}s"
        log(
            f"{label:<22} {who:<9} {conc:>1} {len(api):>4} {a50:>6.1f}ms "
            f"{a95:>5.1f}ms {len(api) / api_wall:>6.0f} | {s50:>6.1f}ms "
            f"{s95:>5.1f}ms {n_sql:>2} | {a50 / s50:>11.1f} {a95 / s95:>5.1f} | "
            f"{verdict}"
        )
    for conc in sorted({row[2] for row in rows}):
        at = [row for row in rows if row[2] == conc]
        met = sum(
            1 for row in at if row[3] and percentile(row[3], 0.95) * ms <= TARGET_P95_MS
        )
        log(f"c={conc}: p95 <= {TARGET_P95_MS:.0f} ms in {met} of {len(at)} rows")


if __name__ == "__main__":
    main()
