"""Seed a hub for ``bench/load.py``: ``python bench/load_seed.py --out F``.

Run with the environment of the hub to seed (``<state>/hub.env`` of the
deployed topology): Django is set up against its database and blob store.

The catalog rows come from ``bench/catalog.py``'s bulk seed (namespaces,
card metadata, descriptions, 2% private, gated and disabled repos, daily
download and like rows, trending scores recomputed by the real service).
Then every repo gets content through the real services, as pushed by a
user: an initial ``.gitattributes`` commit (as ``repo_create`` makes), then
a commit of ``README.md`` (front matter = the seeded card, a body of card
text), ``config.json`` and a small ``model.safetensors`` (LFS). The
deployed workers check every file (downloads of unchecked weights are
refused to strangers); the seed waits until no check is left queued.

It writes the targets of the traffic to ``--out`` (JSON): repos anyone may
download from, the search words and facets, a read token whose user sees
some private repos, and a write token with its own repos for commits.
"""

from __future__ import annotations

import argparse
import json
import random
import struct
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402
import psycopg  # noqa: E402
import yaml  # noqa: E402

WRITER = "bench-writer"


def log(message: str) -> None:
    print(message, flush=True)


def safetensors_bytes(variant: int) -> bytes:
    """A valid safetensors file (a few KiB); ``variant`` changes its bytes."""
    dim = 16 + variant % 8
    header: dict[str, Any] = {"__metadata__": {"format": "pt", "v": str(variant)}}
    offset = 0
    for i in range(4):
        size = dim * dim * 4
        header[f"layers.{i}.weight"] = {
            "dtype": "F32",
            "shape": [dim, dim],
            "data_offsets": [offset, offset + size],
        }
        offset += size
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + bytes(offset)


def readme(card: dict[str, Any], name: str, rng: random.Random) -> bytes:
    from bench.catalog import WORDS

    front = yaml.safe_dump(card, sort_keys=False) if card else ""
    body = " ".join(rng.choices(WORDS, k=rng.randint(80, 250)))
    summary = " ".join(rng.choices(WORDS, k=rng.randint(8, 30)))
    text = f"# {name}\n\n{summary}.\n\n## Usage\n\n{body}\n"
    return (f"---\n{front}---\n\n{text}" if front else text).encode()


def config_json(rng: random.Random) -> bytes:
    from bench.catalog import FAMILIES

    return json.dumps(
        {
            "model_type": rng.choice(FAMILIES),
            "hidden_size": rng.choice([256, 512, 768, 1024, 2048, 4096]),
            "num_hidden_layers": rng.choice([6, 12, 24, 32]),
            "vocab_size": rng.choice([32000, 50257, 128256]),
        },
        indent=2,
    ).encode()


def give_content(repo: Any, rng: random.Random, weights: list[Any]) -> None:
    """One commit on a new ``main``, as ``repo_create`` makes its first one:
    the default .gitattributes, the card, a config and the weights (LFS)."""
    from hub.catalog.attributes import DEFAULT_GITATTRIBUTES
    from hub.catalog.services.commits import commit_insert, readme_parse
    from hub.catalog.services.operations import entry_for
    from hub.storage.services import blob_upload_bytes

    blobs = {
        ".gitattributes": blob_upload_bytes(data=DEFAULT_GITATTRIBUTES.encode()),
        "README.md": blob_upload_bytes(
            data=readme(dict(repo.card_data or {}), repo.name, rng)
        ),
        "config.json": blob_upload_bytes(data=config_json(rng)),
        "model.safetensors": rng.choice(weights),
    }
    commit_insert(
        repo=repo,
        ref=None,
        ref_name="main",
        parent=None,
        entries={
            path: entry_for(blob, path, DEFAULT_GITATTRIBUTES)
            for path, blob in blobs.items()
        },
        title="Upload the model",
        description="",
        author=None,
        card=readme_parse(blobs["README.md"].sha256),
    )


def checks_pending() -> int:
    from hub.jobs.models import ValidationRun

    return ValidationRun.objects.filter(
        status__in=(ValidationRun.Status.QUEUED, ValidationRun.Status.RUNNING)
    ).count()


def wait_for_checks(timeout: float) -> None:
    start = time.monotonic()
    pending = checks_pending()
    while pending and time.monotonic() - start < timeout:
        time.sleep(1)
        pending = checks_pending()
    log(f"  checks finished in {time.monotonic() - start:.0f}s ({pending} left)")


def writer(n_repos: int) -> dict[str, Any]:
    """The committing user: a write token and repos of its own."""
    from hub.accounts.services import token_create, user_create
    from hub.catalog.services.repos import repo_create

    user = user_create(username=WRITER)
    _token, secret = token_create(user=user, name="load", scope="write")
    names = []
    for i in range(n_repos):
        repo = repo_create(namespace=user.namespace, name=f"notes-{i}", creator=user)
        names.append(repo.full_name)
    return {"token": secret, "repos": names}


def targets(rng: random.Random) -> dict[str, Any]:
    """What the traffic asks for, from the seeded catalog."""
    from django.contrib.auth.models import AnonymousUser

    from bench.catalog import FAMILIES, WORDS
    from hub.catalog.models import ModelRepo
    from hub.catalog.permissions import repo_has_access

    public = [
        repo
        for repo in ModelRepo.objects.filter(refs__name="main")
        .exclude(namespace__name=WRITER)
        .select_related("namespace")
        .order_by("-downloads", "pk")
        # Files anyone may download: public, enabled, no gate (the license's
        # gate included), by the hub's own rule.
        if repo_has_access(user=AnonymousUser(), repo=repo)
    ]
    repos = [repo.full_name for repo in public]
    facets = list(
        ModelRepo.objects.exclude(license="")
        .exclude(pipeline_tag="")
        .values_list("license", "pipeline_tag", "library_name")
        .distinct()[:200]
    )
    tags = {
        tag for row in ModelRepo.objects.values_list("tags", flat=True) for tag in row
    }
    authors = sorted({repo.namespace.name for repo in public})
    return {
        "repos": repos,
        "facets": [list(row) for row in facets],
        "tags": sorted(tags)[:100],
        "authors": authors,
        "words": WORDS[:60],
        "families": FAMILIES,
        "seed": rng.random(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=3000)
    parser.add_argument(
        "--with-files",
        type=int,
        default=500,
        help="repos given content by real commits (the most downloaded); "
        "the others are catalog rows only",
    )
    parser.add_argument("--writer-repos", type=int, default=8)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--checks-timeout", type=float, default=900)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    django.setup()
    from django.conf import settings
    from django.db import connection, transaction

    from bench.catalog import make_actor, seed
    from hub.catalog.models import ModelRepo
    from hub.catalog.services.repos import repo_trending_recompute
    from hub.storage.services import blob_upload_bytes

    rng = random.Random(args.seed)
    conninfo = " ".join(
        f"{key}={value}"
        for key, value in connection.get_connection_params().items()
        if key in ("host", "port", "user", "dbname", "password") and value
    )
    started = time.perf_counter()
    log(f"seeding {args.models} models (bench/catalog.py's bulk seed)")
    seed(conninfo, args.models, rng)
    reader = make_actor(n_orgs_member=max(1, args.models // 2000))
    weights = [blob_upload_bytes(data=safetensors_bytes(v)) for v in range(20)]
    store = "S3" if settings.HUB_S3_BUCKET else "local"
    log(f"  content for every repo through the services ({store} blob store)")
    begin = time.perf_counter()
    # The most downloaded first: the traffic picks its targets among them.
    repos = list(
        ModelRepo.objects.select_related("namespace").order_by("-downloads", "pk")[
            : args.with_files
        ]
    )
    with connection.cursor() as cursor:
        # The seed's own commits need not wait for the disk (a crash only
        # loses the seed); the hub's processes keep their durable commits.
        cursor.execute("SET synchronous_commit = off")
    for first in range(0, len(repos), 50):
        with transaction.atomic():
            for repo in repos[first : first + 50]:
                give_content(repo, rng, weights)
        done = min(first + 50, len(repos))
        log(f"    {done} repos ({done / (time.perf_counter() - begin):.0f}/s)")
    repo_trending_recompute()
    out = {"reader_token": reader, "writer": writer(args.writer_repos)}
    out.update(targets(rng))
    wait_for_checks(args.checks_timeout)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    Path(args.out).write_text(json.dumps(out))
    log(f"  seeded in {time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    main()
