"""The stock client against the live hub through Xet (issue 15, "Tests").

huggingface_hub 2.4 with hf_xet 1.8 and no Xet-related environment variable
(tests/xet/scripts/xet_client.py, in processes of their own with a clean
environment) against the live hub: on PostgreSQL the blobs live in S3 (moto's
server, spoken to over HTTP), on SQLite -- the embedded default -- on local
disk (``HUB_TEST_XET_STORE=local|s3`` overrides the pairing). What is
asserted is what users see: HTTP answers, the client's results, what the
store holds under ``xorbs/``; beside them, that a refused upload left no Xet
row behind. Where a stranger needs the base checked first, the validation
worker's tasks run in this process.

The large file is ``HUB_TEST_XET_BIG_MIB`` MiB (300 by default, which CI runs:
the issue's "few hundred MB"); the fine-tune's base is 128 MiB; the interrupted
upload moves half of it and the fine-tune's base is twice its size. Small
files are pushed through Xet by lowering the hub's inline upload limit, so
the other tests stay quick.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests

from hub.accounts.models import ApiToken
from hub.accounts.services import token_create, token_revoke
from hub.jobs.models import ValidationRun
from hub.storage.models import Blob, XetFile, XetShard, XetXorb
from hub.storage.stores import raw_store
from hub.storage.xet.chunking import chunk_boundaries, file_hash_of_bytes
from hub.storage.xet.hashes import chunk_hash, hash_to_hex, verification_hash
from hub.storage.xet.shard import FileTerm, Shard, ShardChunk, ShardFile, ShardXorb
from hub.storage.xet.shard_write import shard_write
from hub.storage.xet.xorb import Compression, xorb_write
from tests.databases import on_sqlite
from tests.factories import make_repo, make_user_with_token
from tests.storage.s3server import MotoServer
from tests.xet.e2e_support import (
    MIB,
    CuttingProxy,
    XorbShelf,
    api_v1_storage,
    auth,
    client_env,
    client_popen,
    paths_info,
    random_file,
    run_client,
    sha256_file,
    xet_token,
    xet_token_response,
)
from workers.jobs import check_file, check_repo

pytestmark = pytest.mark.slow

BIG = int(float(os.environ.get("HUB_TEST_XET_BIG_MIB", "300")) * MIB)
# The fine-tune's base: several xorbs (64 MiB each at most), seeded.
BASE = 128 * MIB
# Small test files still go through Xet: anything above this is "lfs" in
# preupload, and the stock client sends "lfs" files through Xet.
SMALL_INLINE = 1024


# Fixtures -------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _restore_migrated_data(django_db_serialized_rollback):
    """Live-server tests flush the database; put the license catalog back."""


@pytest.fixture(scope="module")
def moto_server(tmp_path_factory):
    server = MotoServer(tmp_path_factory.mktemp("moto") / "moto.log")
    yield server
    server.stop()


def _store_kind() -> str:
    chosen = os.environ.get("HUB_TEST_XET_STORE")
    if chosen:
        return chosen
    return "local" if on_sqlite() else "s3"


@pytest.fixture
def store(request, settings) -> str:
    """S3 (moto) beside PostgreSQL, local disk beside SQLite."""
    kind = _store_kind()
    if kind == "s3":
        moto = request.getfixturevalue("moto_server")
        bucket = f"xet-{uuid.uuid4().hex[:12]}"
        settings.HUB_S3_BUCKET = bucket
        settings.HUB_S3_PREFIX = "hub/"
        settings.HUB_S3_ENDPOINT_URL = moto.url
        settings.HUB_S3_PUBLIC_ENDPOINT_URL = moto.public_url
        settings.HUB_S3_ACCESS_KEY_ID = "test"
        settings.HUB_S3_SECRET_ACCESS_KEY = "test"
        settings.HUB_S3_REGION = "us-east-1"
        settings.HUB_S3_ADDRESSING_STYLE = "path"
        raw_store().client.create_bucket(Bucket=bucket)  # type: ignore[attr-defined]
    return kind


@pytest.fixture
def hub_url(live_server, store, settings) -> str:
    settings.HUB_PUBLIC_URL = live_server.url
    return str(live_server.url)


@pytest.fixture
def maya(transactional_db):
    """A publisher with a write token: (user, token)."""
    return make_user_with_token("maya")


@pytest.fixture
def jun(transactional_db):
    """A stranger to maya's repos, with a write token of his own."""
    return make_user_with_token("jun")


@pytest.fixture
def small_files_via_xet(settings):
    settings.HUB_INLINE_UPLOAD_MAX_BYTES = SMALL_INLINE


def _run_checks() -> None:
    """What the validation worker does after a commit (its tasks, called
    here): until a file is checked, only its repo's maintainers may read it,
    or dedup against it."""
    queued = ValidationRun.objects.filter(status="queued")
    for run in queued.filter(kind=ValidationRun.Kind.FILE):
        check_file(run.pk)
    for run in queued.filter(kind=ValidationRun.Kind.REPO):
        check_repo(run.pk)
    assert not ValidationRun.objects.filter(status="queued").exists()


def _xet_hash(hub_url: str, token: str, repo_id: str, path: str) -> str:
    entry = paths_info(hub_url, token, repo_id, [path])[path]
    xet_hash = entry.get("xetHash")
    assert xet_hash and len(xet_hash) == 64, entry  # stored through Xet
    return str(xet_hash)


# (a) A large file up and down, and the classic resolve URL ------------------------


def test_large_file_round_trips_through_xet_and_the_resolve_url(
    hub_url, maya, tmp_path
):
    make_repo(maya[0], "big", is_private=True)
    data = tmp_path / "weights.bin"
    digest = random_file(data, BIG)
    shelf = XorbShelf()

    run_client(
        hub_url, maya[1], "upload-file", "maya/big", str(data), "weights.bin",
        home=tmp_path / "up",
    )  # fmt: skip
    entry = paths_info(hub_url, maya[1], "maya/big", ["weights.bin"])["weights.bin"]
    assert entry["size"] == BIG
    assert entry["lfs"]["oid"] == digest
    assert len(entry.get("xetHash") or "") == 64, entry
    # Random bytes do not compress: the xorbs hold about the file's size.
    assert shelf.total() >= 0.95 * BIG

    got = run_client(
        hub_url, maya[1], "download", "maya/big", "weights.bin",
        home=tmp_path / "down",
    )  # fmt: skip
    assert got["sha256"] == {"weights.bin": digest}

    # Without hf_xet: plain HTTP on the resolve URL, whole and by range.
    url = f"{hub_url}/maya/big/resolve/main/weights.bin"
    with open(data, "rb") as local:
        for first, last in (
            (BIG // 2 - 1000, BIG // 2 + 3 * MIB),
            (BIG - 100, BIG - 1),
        ):
            response = requests.get(
                url,
                headers={**auth(maya[1]), "Range": f"bytes={first}-{last}"},
                timeout=300,
            )
            assert response.status_code == 206, response.text[:500]
            assert response.headers["Content-Range"] == f"bytes {first}-{last}/{BIG}"
            local.seek(first)
            assert response.content == local.read(last - first + 1)
    whole = hashlib.sha256()
    with requests.get(url, headers=auth(maya[1]), stream=True, timeout=600) as response:
        assert response.status_code == 200
        for block in response.iter_content(MIB):
            whole.update(block)
    assert whole.hexdigest() == digest


# (b) A sharded checkpoint folder ------------------------------------------------


def _sharded_checkpoint(folder: Path, shards: int = 3, per_shard: int = 4) -> None:
    np = pytest.importorskip("numpy")
    safetensors_numpy = pytest.importorskip("safetensors.numpy")
    folder.mkdir(parents=True)
    rng = np.random.default_rng(7)
    weight_map: dict[str, str] = {}
    total = 0
    for s in range(1, shards + 1):
        name = f"model-{s:05d}-of-{shards:05d}.safetensors"
        tensors = {
            f"layers.{s}.{t}.weight": rng.standard_normal((256, 1024), dtype="float32")
            for t in range(per_shard)
        }
        safetensors_numpy.save_file(tensors, str(folder / name))
        weight_map.update(dict.fromkeys(tensors, name))
        total += sum(t.nbytes for t in tensors.values())
    index = {"metadata": {"total_size": total}, "weight_map": weight_map}
    (folder / "model.safetensors.index.json").write_text(json.dumps(index, indent=2))
    (folder / "config.json").write_text('{"model_type": "llama"}\n')


def test_sharded_folder_uploads_and_snapshot_downloads(
    hub_url, maya, tmp_path, small_files_via_xet
):
    make_repo(maya[0], "sharded")
    folder = tmp_path / "ckpt"
    _sharded_checkpoint(folder)
    local = {p.name: sha256_file(p) for p in folder.iterdir()}

    run_client(
        hub_url, maya[1], "upload-folder", "maya/sharded", str(folder),
        home=tmp_path / "up",
    )  # fmt: skip
    shards = sorted(n for n in local if n.endswith(".safetensors"))
    assert len(shards) == 3
    for name in shards:
        _xet_hash(hub_url, maya[1], "maya/sharded", name)

    got = run_client(
        hub_url, maya[1], "snapshot", "maya/sharded", home=tmp_path / "down"
    )
    got["sha256"].pop(".gitattributes", None)
    assert got["sha256"] == local


# (c) A fine-tune costs about its changed tensors --------------------------------


def _checkpoint(path: Path, tensors: int, changed: set[int], seed: int) -> int:
    """One safetensors file of ``tensors`` float32 tensors, ``BASE`` bytes in
    all (so it spans several xorbs, as real checkpoints do); those in
    ``changed`` differ from the base (seed 0). Returns the changed bytes.
    Seeded: the same chunks, hence the same xorbs, on every run."""
    np = pytest.importorskip("numpy")
    safetensors_numpy = pytest.importorskip("safetensors.numpy")
    base = np.random.default_rng(0)
    tuned = np.random.default_rng(seed)
    out = {}
    changed_bytes = 0
    shape = (BASE // tensors // 4096, 1024)
    for t in range(tensors):
        value = base.standard_normal(shape, dtype="float32")
        if t in changed:
            value = tuned.standard_normal(shape, dtype="float32")
            changed_bytes += value.nbytes
        out[f"h.{t:02d}.weight"] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    safetensors_numpy.save_file(out, str(path))
    return changed_bytes


def test_fine_tune_of_a_public_base_is_stored_as_its_changed_tensors(
    hub_url, maya, jun, tmp_path, small_files_via_xet
):
    """jun fine-tunes maya's public model (1 tensor of 20, 5%) on another
    machine (a fresh client cache, so only the hub's dedup can help). The
    checkpoint spans xorbs: a dedup answer that named only the xorb of the
    chunk asked about would leave the others to be sent and stored again."""
    make_repo(maya[0], "base")
    make_repo(jun[0], "tuned")
    base, tuned = (
        tmp_path / "base" / "model.safetensors",
        tmp_path / "ft" / "model.safetensors",
    )
    _checkpoint(base, 20, set(), seed=0)
    changed = _checkpoint(tuned, 20, {7}, seed=1)
    shelf = XorbShelf()

    run_client(
        hub_url, maya[1], "upload-file", "maya/base", str(base), "model.safetensors",
        home=tmp_path / "maya",
    )  # fmt: skip
    base_stored = shelf.total()
    _run_checks()  # strangers may use the base's bytes once it is checked
    # Float noise compresses a little (BG4-LZ4 groups the exponent bytes).
    assert base_stored >= 0.8 * base.stat().st_size

    run_client(
        hub_url, jun[1], "upload-file", "jun/tuned", str(tuned), "model.safetensors",
        home=tmp_path / "jun",
    )  # fmt: skip
    growth = shelf.total() - base_stored
    # The changed tensor, plus at most a chunk (<= 128 KiB) either side of it
    # and the framing of a new xorb.
    assert growth <= changed + 2 * 128 * 1024 + 64 * 1024, (growth, changed)
    assert (base_stored + growth) / base_stored <= 1.15
    # The same in /api/v1: each xorb counted once hub-wide (read once, at the
    # end: the hub-wide figure is cached), whole in the repo that uses it.
    hub_wide = requests.get(f"{hub_url}/api/v1/storage", timeout=60).json()
    base_repo = api_v1_storage(hub_url, maya[1], "maya/base")
    assert hub_wide["logical_bytes"] >= base.stat().st_size + tuned.stat().st_size
    small_files = 64 * 1024  # .gitattributes, in the store beside the xorbs
    assert 0 <= base_repo["stored_bytes"] - base_stored < small_files, base_repo
    hub_growth = hub_wide["stored_bytes"] - base_repo["stored_bytes"]
    assert abs(hub_growth - growth) < small_files, (hub_wide, base_repo, growth)

    got = run_client(
        hub_url, jun[1], "download", "jun/tuned", "model.safetensors",
        home=tmp_path / "jun-down",
    )  # fmt: skip
    assert got["sha256"] == {"model.safetensors": sha256_file(tuned)}


# (d) An interrupted upload, resumed ---------------------------------------------


def test_interrupted_upload_is_resumed_by_running_it_again(
    hub_url, live_server, maya, tmp_path, settings
):
    make_repo(maya[0], "resume")
    size = max(min(BIG // 2, 64 * MIB), 16 * MIB)
    data = tmp_path / "weights.bin"
    digest = random_file(data, size)
    port = int(hub_url.rsplit(":", 1)[1])
    holder: dict[str, subprocess.Popen[bytes]] = {}
    proxy = CuttingProxy(port, size // 2, lambda: holder["proc"].kill())
    settings.HUB_PUBLIC_URL = proxy.url
    home = tmp_path / "client"
    holder["proc"] = client_popen(
        proxy.url, maya[1], "upload-file", "maya/resume", str(data), "weights.bin",
        home=home, log=tmp_path / "first.log",
    )  # fmt: skip
    holder["proc"].wait(timeout=600)
    proxy.close()
    log = (tmp_path / "first.log").read_text(errors="replace")[-3000:]
    assert proxy.cut.is_set(), f"the upload ended before half was sent:\n{log}"
    assert holder["proc"].returncode != 0
    assert paths_info(hub_url, maya[1], "maya/resume", ["weights.bin"]) == {}

    settings.HUB_PUBLIC_URL = hub_url
    run_client(
        hub_url, maya[1], "upload-file", "maya/resume", str(data), "weights.bin",
        home=home,
    )  # fmt: skip
    assert _xet_hash(hub_url, maya[1], "maya/resume", "weights.bin")
    got = run_client(
        hub_url, maya[1], "download", "maya/resume", "weights.bin",
        home=tmp_path / "down",
    )  # fmt: skip
    assert got["sha256"] == {"weights.bin": digest}


# (e) The CAS refuses what does not verify, and stores nothing then --------------


def _chunks(data: bytes) -> list[bytes]:
    ends = chunk_boundaries(data)
    return [data[s:e] for s, e in zip([0, *ends], ends, strict=False)]


def _xorb(data: bytes) -> tuple[bytes, bytes, list[bytes]]:
    """(serialized xorb, its hash, its chunks), uncompressed so that a
    flipped byte is a flipped byte of content."""
    chunks = _chunks(data)
    body, digest = xorb_write(chunks, Compression.NONE)
    return body, digest, chunks


def _shard_for(data: bytes, xorb: bytes, chunks: list[bytes], body_len: int) -> bytes:
    hashes = [chunk_hash(c) for c in chunks]
    term = FileTerm(xorb, len(data), 0, len(chunks), verification_hash(hashes))
    starts = [sum(len(c) for c in chunks[:i]) for i in range(len(chunks))]
    entries = tuple(
        ShardChunk(h, s, len(c)) for h, s, c in zip(hashes, starts, chunks, strict=True)
    )
    shard = Shard(
        files=[
            ShardFile(file_hash_of_bytes(data), (term,), hashlib.sha256(data).digest())
        ],
        xorbs=[ShardXorb(xorb, entries, body_len)],
    )
    return shard_write(shard, footer=False)


def _rows() -> tuple[int, int, int, int]:
    return (
        XetXorb.objects.count(),
        XetFile.objects.count(),
        XetShard.objects.count(),
        Blob.objects.count(),
    )


def _post(cas: str, path: str, token: str, body: bytes) -> requests.Response:
    return requests.post(f"{cas}{path}", data=body, headers=auth(token), timeout=60)


def _refused_with_reason(response: requests.Response) -> None:
    assert response.status_code == 400, (response.status_code, response.text[:500])
    assert len(response.text.strip()) > 10, "a 400 must say why"


def test_corrupt_or_mis_hashed_xorbs_are_refused_and_nothing_is_stored(hub_url, maya):
    make_repo(maya[0], "cas")
    grant = xet_token(hub_url, maya[1], "maya/cas", "write")
    cas, token = grant.cas_url, grant.access_token
    shelf = XorbShelf()

    good, good_hash, _ = _xorb(os.urandom(300_000))
    answer = _post(cas, f"/v1/xorbs/default/{hash_to_hex(good_hash)}", token, good)
    assert answer.status_code == 200, answer.text
    assert answer.json()["was_inserted"] is True
    before_files, before_rows = shelf.sizes(), _rows()

    body, digest, _ = _xorb(os.urandom(300_000))
    flipped = bytearray(body)
    flipped[8 + 1000] ^= 0xFF  # a content byte of the first chunk
    truncated = body[: len(body) - 5000]
    other_hash = hash_to_hex(_xorb(os.urandom(1000))[1])
    for path, sent in (
        (f"/v1/xorbs/default/{hash_to_hex(digest)}", bytes(flipped)),
        (f"/v1/xorbs/default/{hash_to_hex(digest)}", truncated),
        (f"/v1/xorbs/default/{other_hash}", body),  # the hash of other content
        (f"/v1/xorbs/default/{hash_to_hex(digest)}", b"not a xorb at all"),
    ):
        _refused_with_reason(_post(cas, path, token, sent))
    head = requests.head(
        f"{cas}/v1/xorbs/default/{hash_to_hex(digest)}", headers=auth(token), timeout=60
    )
    assert head.status_code == 404
    assert shelf.sizes() == before_files
    assert _rows() == before_rows


def test_shard_naming_a_missing_xorb_is_refused_and_registers_nothing(hub_url, maya):
    make_repo(maya[0], "cas")
    grant = xet_token(hub_url, maya[1], "maya/cas", "write")
    cas, token = grant.cas_url, grant.access_token
    data = os.urandom(200_000)
    body, xorb, chunks = _xorb(data)
    shard = _shard_for(data, xorb, chunks, len(body))
    file_id = hash_to_hex(file_hash_of_bytes(data))
    shelf = XorbShelf()
    before_files, before_rows = shelf.sizes(), _rows()

    _refused_with_reason(_post(cas, "/v1/shards", token, shard))
    streamed = _post(cas, "/v2/shards", token, shard)
    if streamed.status_code == 200:  # the stream's last event carries the verdict
        last = json.loads(streamed.text.strip().splitlines()[-1])
        assert last["type"] == "error" and last["message"], last
    else:
        _refused_with_reason(streamed)
    head = requests.head(f"{cas}/v1/files/{file_id}", headers=auth(token), timeout=60)
    assert head.status_code == 404
    assert shelf.sizes() == before_files
    assert _rows() == before_rows

    # The same shard once its xorb is stored: accepted; the file can be
    # committed by its SHA-256, and is then known to the repo's readers.
    stored = _post(cas, f"/v1/xorbs/default/{hash_to_hex(xorb)}", token, body)
    assert stored.status_code == 200, stored.text
    accepted = _post(cas, "/v1/shards", token, shard)
    assert accepted.status_code == 200, accepted.text
    _commit_lfs_file(hub_url, maya[1], "maya/cas", "f.bin", data)
    head = requests.head(f"{cas}/v1/files/{file_id}", headers=auth(token), timeout=60)
    assert head.status_code == 200
    assert int(head.headers["Content-Length"]) == len(data)


def _commit_lfs_file(
    hub_url: str, token: str, repo_id: str, path: str, data: bytes
) -> None:
    """Commit uploaded content by its SHA-256, as the client does after an
    upload (an ``lfsFile`` line)."""
    lines = [
        {"key": "header", "value": {"summary": "add", "description": ""}},
        {
            "key": "lfsFile",
            "value": {
                "path": path,
                "algo": "sha256",
                "oid": hashlib.sha256(data).hexdigest(),
                "size": len(data),
            },
        },
    ]
    response = requests.post(
        f"{hub_url}/api/models/{repo_id}/commit/main",
        data="\n".join(json.dumps(line) for line in lines),
        headers={**auth(token), "Content-Type": "application/x-ndjson"},
        timeout=60,
    )
    assert response.status_code == 200, response.text


def test_shard_with_terms_outside_its_xorb_is_refused(hub_url, maya):
    make_repo(maya[0], "cas")
    grant = xet_token(hub_url, maya[1], "maya/cas", "write")
    cas, token = grant.cas_url, grant.access_token
    data = os.urandom(200_000)
    body, xorb, chunks = _xorb(data)
    assert _post(cas, f"/v1/xorbs/default/{hash_to_hex(xorb)}", token, body).ok
    extra = chunks + [os.urandom(20_000)]  # one chunk more than the xorb holds
    lying = _shard_for(data + extra[-1], xorb, extra, len(body))
    before = _rows()
    _refused_with_reason(_post(cas, "/v1/shards", token, lying))
    assert _rows() == before


# (f) Strangers, read-only tokens, revoked tokens ---------------------------------


def test_read_only_and_stranger_tokens_get_no_write_token(hub_url, maya, jun):
    make_repo(maya[0], "public")
    make_repo(maya[0], "private", is_private=True)
    _, maya_read = token_create(user=maya[0], name="read", scope=ApiToken.Scope.READ)

    def refused(token: str | None, repo: str, kind: str) -> None:
        response = xet_token_response(hub_url, token, repo, kind)
        assert response.status_code in (401, 403, 404), (
            token, repo, kind, response.status_code, response.text[:300],
        )  # fmt: skip
        assert "X-Xet-Access-Token" not in response.headers

    refused(maya_read, "maya/public", "write")
    refused(jun[1], "maya/public", "write")
    refused(jun[1], "maya/private", "write")
    refused(jun[1], "maya/private", "read")
    refused(None, "maya/public", "write")
    refused(None, "maya/private", "read")
    assert xet_token(hub_url, maya_read, "maya/private", "read").access_token
    assert xet_token(hub_url, jun[1], "maya/public", "read").access_token


def test_read_and_revoked_xet_tokens_cannot_upload(hub_url, maya):
    make_repo(maya[0], "cas")
    body, xorb, _ = _xorb(os.urandom(100_000))
    path = f"/v1/xorbs/default/{hash_to_hex(xorb)}"
    read = xet_token(hub_url, maya[1], "maya/cas", "read")
    shelf = XorbShelf()

    refused = _post(read.cas_url, path, read.access_token, body)
    assert refused.status_code in (401, 403), refused.text
    assert _post(read.cas_url, "/v1/shards", read.access_token, b"").status_code in (
        401,
        403,
    )

    row, secret = token_create(user=maya[0], name="soon revoked", scope="write")
    write = xet_token(hub_url, secret, "maya/cas", "write")
    token_revoke(token=row)
    refused = _post(write.cas_url, path, write.access_token, body)
    assert refused.status_code in (401, 403), refused.text
    assert shelf.sizes() == {}
    assert not XetXorb.objects.exists()


def test_stranger_cannot_read_a_private_xet_file_through_his_own_token(
    hub_url, maya, jun, tmp_path, small_files_via_xet
):
    """A Xet token opens one repo: jun's, for his own repo, reconstructs
    nothing of maya's private repo, nor learns of its chunks by dedup."""
    make_repo(maya[0], "secret", is_private=True)
    make_repo(jun[0], "own")
    data = tmp_path / "secret.bin"
    random_file(data, 300_000)
    run_client(
        hub_url, maya[1], "upload-file", "maya/secret", str(data), "secret.bin",
        home=tmp_path / "maya",
    )  # fmt: skip
    file_id = _xet_hash(hub_url, maya[1], "maya/secret", "secret.bin")
    first_chunk = hash_to_hex(chunk_hash(_chunks(data.read_bytes())[0]))

    own = xet_token(hub_url, jun[1], "jun/own", "read")
    for path in (
        f"/v2/reconstructions/{file_id}",
        f"/v1/reconstructions/{file_id}",
        f"/v1/chunks/default-merkledb/{first_chunk}",
    ):
        response = requests.get(
            f"{own.cas_url}{path}", headers=auth(own.access_token), timeout=60
        )
        assert response.status_code in (403, 404), (path, response.status_code)
    mine = xet_token(hub_url, maya[1], "maya/secret", "read")
    response = requests.get(
        f"{mine.cas_url}/v2/reconstructions/{file_id}",
        headers=auth(mine.access_token),
        timeout=60,
    )
    assert response.status_code == 200, response.text[:300]


# (g) transformers loads a Xet-stored model ---------------------------------------

LOAD_SCRIPT = """
import json, sys, torch
from transformers import AutoModel
from huggingface_hub import constants
assert not constants.HF_HUB_DISABLE_XET
model = AutoModel.from_pretrained(sys.argv[1]).eval()
with torch.no_grad():
    out = model(torch.tensor([[2, 3, 4, 5]])).last_hidden_state
print(json.dumps(out[0, -1, :8].tolist()))
"""


def test_from_pretrained_loads_a_model_stored_through_xet(
    hub_url, maya, tmp_path, small_files_via_xet
):
    torch = pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from transformers import AutoModel, GPT2Config, GPT2Model

    make_repo(maya[0], "tiny")
    folder = tmp_path / "tiny"
    torch.manual_seed(3)
    config = GPT2Config(vocab_size=64, n_positions=32, n_embd=32, n_layer=2, n_head=2)
    GPT2Model(config).save_pretrained(folder)
    local = AutoModel.from_pretrained(folder).eval()
    with torch.no_grad():
        expected = local(torch.tensor([[2, 3, 4, 5]])).last_hidden_state[0, -1, :8]

    run_client(
        hub_url, maya[1], "upload-folder", "maya/tiny", str(folder),
        home=tmp_path / "up",
    )  # fmt: skip
    _xet_hash(hub_url, maya[1], "maya/tiny", "model.safetensors")
    env = client_env(
        tmp_path / "load",
        HF_ENDPOINT=hub_url,
        HF_TOKEN=maya[1],
        TRANSFORMERS_VERBOSITY="error",
    )
    done = subprocess.run(
        [sys.executable, "-c", LOAD_SCRIPT, "maya/tiny"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got == pytest.approx(expected.tolist(), abs=1e-6)


# (h) The 0.36 client, on LFS, in the same repo -----------------------------------


def test_legacy_client_uses_lfs_beside_xet_files_in_the_same_repo(
    hub_url, maya, tmp_path, settings
):
    from tests.e2e.test_hf_legacy_client import LEGACY_VERSION, legacy_python

    settings.HUB_INLINE_UPLOAD_MAX_BYTES = MIB
    make_repo(maya[0], "mixed")
    xet_file, lfs_file = tmp_path / "xet.bin", tmp_path / "lfs.bin"
    xet_digest = random_file(xet_file, 2 * MIB + 11)
    lfs_digest = random_file(lfs_file, 3 * MIB + 17)
    run_client(
        hub_url, maya[1], "upload-file", "maya/mixed", str(xet_file), "xet.bin",
        home=tmp_path / "new",
    )  # fmt: skip
    _xet_hash(hub_url, maya[1], "maya/mixed", "xet.bin")

    env = client_env(tmp_path / "legacy", HF_ENDPOINT=hub_url, HF_TOKEN=maya[1])
    script = Path(__file__).parent / "scripts" / "legacy_mixed.py"
    done = subprocess.run(
        [str(legacy_python()), str(script), "maya/mixed", str(lfs_file), "lfs.bin",
         "xet.bin"],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["version"] == LEGACY_VERSION
    assert report["sha256"] == {"lfs.bin": lfs_digest, "xet.bin": xet_digest}
    assert {"lfs.bin", "xet.bin"} <= set(report["files"])
    # The legacy upload went through LFS: its bytes are in the blob store.
    lfs_blob = Blob.objects.get(pk=lfs_digest)
    assert lfs_blob.in_store and raw_store().exists(lfs_digest)

    got = run_client(hub_url, maya[1], "snapshot", "maya/mixed", home=tmp_path / "s")
    assert got["sha256"]["lfs.bin"] == lfs_digest
    assert got["sha256"]["xet.bin"] == xet_digest
