"""The hub's Xet CAS over HTTP (``/xet``), fed what the real client uploads.

hf_xet uploads a file to a capturing stand-in; its xorbs and shard are then
sent to the live hub as the client would send them, with a token from
``xet-write-token``. After the commit, ``resolve`` and the tree name the
file's Xet id and where to get a read token, and the reconstruction and
its fetch URLs give back exactly the bytes asked for.
"""

from __future__ import annotations

import hashlib
import json
import random
import re

import pytest
import requests

from hub.catalog.models import ModelRepo
from hub.storage.models import Blob, XetXorb
from hub.storage.services import blob_mark_checked
from hub.storage.xet.stream import iter_chunk_data
from tests.factories import make_repo
from tests.hf.test_xet_tokens import NOBODY, access_token
from tests.storage.xet.cas_capture import client_upload
from tests.trust.helpers import bearer, lfs_line, ndjson_commit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def uploaded(tmp_path_factory):
    """(file bytes, [(xorb hash, body)], shard body) from the real client."""
    data = random.Random(15).randbytes(1_500_000)
    root = tmp_path_factory.mktemp("client")
    xorbs, shard = client_upload({"weights.bin": data}, root)
    return data, xorbs, shard


def post(hub_url: str, route: str, access: str | None, body: bytes):
    return requests.post(
        f"{hub_url}/xet{route}", data=body, headers=bearer(access), timeout=60
    )


def push(hub_url: str, access: str, xorbs, shard) -> list[dict]:
    for name, body in xorbs:
        answer = post(hub_url, f"/v1/xorbs/default/{name}", access, body)
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"was_inserted": True}
    again = post(hub_url, f"/v1/xorbs/default/{xorbs[0][0]}", access, xorbs[0][1])
    assert again.json() == {"was_inserted": False}
    answer = post(hub_url, "/v2/shards", access, shard)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/x-ndjson"
    return [json.loads(line) for line in answer.text.splitlines()]


def committed(hub_url: str, maya, repo_id: str, uploaded) -> str:
    """Send the client's upload to the hub and commit the file; its sha256."""
    data, xorbs, shard = uploaded
    events = push(
        hub_url, access_token(hub_url, maya[1], repo_id, "write"), xorbs, shard
    )
    assert events[-1] == {"type": "result", "result": 1}
    sha = hashlib.sha256(data).hexdigest()
    answer = ndjson_commit(
        hub_url, maya[1], repo_id, [lfs_line("weights.bin", sha, len(data))]
    )
    assert answer.status_code == 200, answer.text
    return sha


def tree_entry(url: str, secret: str) -> dict:
    listing = requests.get(url, headers=bearer(secret), timeout=30).json()
    [entry] = [item for item in listing if item["path"] == "weights.bin"]
    return entry


def rebuilt(hub_url: str, answer: dict) -> bytes:
    """The bytes a v1 reconstruction answer describes, fetched as hf_xet does."""
    chunks = {}
    for xorb_hex, entries in answer["fetch_info"].items():
        for entry in entries:
            span = entry["url_range"]
            got = requests.get(
                entry["url"],
                headers={"Range": f"bytes={span['start']}-{span['end']}"},
                timeout=60,
            )
            assert got.status_code == 206, got.text
            assert len(got.content) == span["end"] - span["start"] + 1
            for i, data in enumerate(iter_chunk_data(iter([got.content]))):
                chunks[(xorb_hex, entry["range"]["start"] + i)] = data
    out = b"".join(
        chunks[(t["hash"], i)]
        for t in answer["terms"]
        for i in range(t["range"]["start"], t["range"]["end"])
    )
    return out[answer["offset_into_first_range"] :]


def test_cas_needs_a_xet_token_and_a_write_token_to_upload(hub_url, maya):
    make_repo(maya[0], "auth")
    routes = [
        ("POST", f"/v1/xorbs/default/{NOBODY}"),
        ("HEAD", f"/v1/xorbs/default/{NOBODY}"),
        ("POST", "/v1/shards"),
        ("POST", "/v2/shards"),
        ("GET", f"/v1/chunks/default-merkledb/{NOBODY}"),
        ("GET", f"/v1/reconstructions/{NOBODY}"),
        ("GET", f"/v2/reconstructions/{NOBODY}"),
        ("HEAD", f"/v1/files/{NOBODY}"),
    ]
    for method, route in routes:
        for secret in (None, maya[1]):  # a hub API token is not a Xet token
            answer = requests.request(
                method, f"{hub_url}/xet{route}", headers=bearer(secret), timeout=30
            )
            assert answer.status_code == 401, (method, route, secret)
    read = access_token(hub_url, maya[1], "maya/auth", "read")
    for route in (f"/v1/xorbs/default/{NOBODY}", "/v1/shards", "/v2/shards"):
        refused = post(hub_url, route, read, b"x")
        assert refused.status_code == 403, route
        assert "xet-write-token" in refused.headers["X-Error-Message"]


def test_routes_the_hub_does_not_serve_answer_404(hub_url, maya):
    make_repo(maya[0], "routes")
    access = access_token(hub_url, maya[1], "maya/routes", "write")
    for method, route in [
        ("POST", "/v1/xorb-grants"),
        ("POST", "/v1/telemetry"),
        ("GET", f"/v2/file-chunk-hashes/{NOBODY}"),
        ("GET", f"/v1/reconstructions?file_id={NOBODY}"),
    ]:
        answer = requests.request(
            method, f"{hub_url}/xet{route}", headers=bearer(access), timeout=30
        )
        assert answer.status_code == 404, route


def test_bad_uploads_are_refused_with_a_reason(hub_url, maya, uploaded):
    make_repo(maya[0], "bad")
    _, xorbs, shard = uploaded
    access = access_token(hub_url, maya[1], "maya/bad", "write")
    name, body = xorbs[0]
    broken = bytearray(body)
    broken[len(broken) // 2] ^= 0xFF
    refused = post(hub_url, f"/v1/xorbs/default/{name}", access, bytes(broken))
    assert refused.status_code == 400
    assert refused.json()["error"] == refused.headers["X-Error-Message"]
    assert post(hub_url, f"/v1/xorbs/other/{name}", access, body).status_code == 400
    assert not XetXorb.objects.exists()
    # A shard naming xorbs the hub does not hold: 400 (v1), an error event (v2).
    v1 = post(hub_url, "/v1/shards", access, shard)
    assert v1.status_code == 400
    assert "not stored" in v1.json()["error"]
    v2 = post(hub_url, "/v2/shards", access, shard)
    assert v2.status_code == 200
    last = json.loads(v2.text.splitlines()[-1])
    assert last["type"] == "error" and "not stored" in last["message"]
    assert not Blob.objects.filter(xet_file__isnull=False).exists()


def test_uploaded_file_is_served_through_xet_and_resolve(hub_url, maya, uploaded):
    make_repo(maya[0], "flow")
    data = uploaded[0]
    sha = committed(hub_url, maya, "maya/flow", uploaded)
    xet_hash = Blob.objects.get(pk=sha).xet_file_id
    head = requests.head(
        f"{hub_url}/maya/flow/resolve/main/weights.bin",
        headers=bearer(maya[1]),
        timeout=30,
    )
    assert head.status_code == 200
    assert head.headers["X-Xet-Hash"] == xet_hash
    commit = head.headers["X-Repo-Commit"]
    link = re.fullmatch(r'<([^>]+)>; rel="xet-auth"', head.headers["Link"])
    assert link and link[1] == (
        f"{hub_url}/api/models/maya/flow/xet-read-token/{commit}"
    )
    token = requests.get(link[1], headers=bearer(maya[1]), timeout=30).json()
    read = token["accessToken"]
    entry = tree_entry(f"{hub_url}/api/models/maya/flow/tree/main", maya[1])
    assert entry["xetHash"] == xet_hash and entry["lfs"]["oid"] == sha
    size = requests.head(
        f"{hub_url}/xet/v1/files/{xet_hash}", headers=bearer(read), timeout=30
    )
    assert int(size.headers["Content-Length"]) == len(data)
    whole = requests.get(
        f"{hub_url}/xet/v1/reconstructions/{xet_hash}", headers=bearer(read), timeout=30
    )
    assert rebuilt(hub_url, whole.json()) == data
    part = requests.get(
        f"{hub_url}/xet/v1/reconstructions/{xet_hash}",
        headers={**bearer(read), "Range": "bytes=700000-700099"},
        timeout=30,
    )
    assert rebuilt(hub_url, part.json())[:100] == data[700000:700100]
    v2 = requests.get(
        f"{hub_url}/xet/v2/reconstructions/{xet_hash}", headers=bearer(read), timeout=30
    )
    assert v2.status_code == 200 and "xorbs" in v2.json()
    past = requests.get(
        f"{hub_url}/xet/v2/reconstructions/{xet_hash}",
        headers={**bearer(read), "Range": f"bytes={len(data)}-"},
        timeout=30,
    )
    assert past.status_code == 416
    plain = requests.get(
        f"{hub_url}/maya/flow/resolve/main/weights.bin",
        headers={**bearer(maya[1]), "Range": "bytes=10-19"},
        timeout=30,
    )
    assert plain.status_code == 206 and plain.content == data[10:20]


def test_fetch_urls_serve_only_what_they_sign(hub_url, maya, uploaded):
    make_repo(maya[0], "fetch")
    sha = committed(hub_url, maya, "maya/fetch", uploaded)
    xet_hash = Blob.objects.get(pk=sha).xet_file_id
    read = access_token(hub_url, maya[1], "maya/fetch", "read")
    answer = requests.get(
        f"{hub_url}/xet/v1/reconstructions/{xet_hash}", headers=bearer(read), timeout=30
    ).json()
    entry = next(iter(answer["fetch_info"].values()))[0]
    end = entry["url_range"]["end"]
    beyond = requests.get(
        entry["url"], headers={"Range": f"bytes=0-{end + 1}"}, timeout=30
    )
    assert beyond.status_code == 403
    forged = requests.get(entry["url"].replace("s=", "s=0"), timeout=30)
    assert forged.status_code == 403


def test_strangers_get_xet_ids_only_for_files_they_may_download(
    hub_url, maya, jun, uploaded
):
    make_repo(maya[0], "pending")
    sha = committed(hub_url, maya, "maya/pending", uploaded)
    xet_hash = Blob.objects.get(pk=sha).xet_file_id
    tree_url = f"{hub_url}/api/models/maya/pending/tree/main"
    # Checks have not run: the weights go to maintainers only, so a stranger
    # is sent to resolve (which says why) rather than to the CAS.
    entry = tree_entry(tree_url, jun[1])
    assert "xetHash" not in entry
    head = requests.head(
        f"{hub_url}/maya/pending/resolve/main/weights.bin",
        headers=bearer(jun[1]),
        timeout=30,
    )
    assert head.status_code == 403 and "X-Xet-Hash" not in head.headers
    read = access_token(hub_url, jun[1], "maya/pending", "read")
    refused = requests.get(
        f"{hub_url}/xet/v1/reconstructions/{xet_hash}", headers=bearer(read), timeout=30
    )
    assert refused.status_code == 403
    blob_mark_checked(sha256=sha)
    entry = tree_entry(tree_url, jun[1])
    assert entry["xetHash"] == xet_hash
    info = requests.post(
        f"{hub_url}/api/models/maya/pending/paths-info/main",
        json={"paths": ["weights.bin"]},
        headers=bearer(jun[1]),
        timeout=30,
    ).json()
    assert info[0]["xetHash"] == xet_hash
    ok = requests.get(
        f"{hub_url}/xet/v1/reconstructions/{xet_hash}", headers=bearer(read), timeout=30
    )
    assert ok.status_code == 200
    ModelRepo.objects.filter(name="pending").update(is_private=True)
    assert (
        requests.get(
            f"{hub_url}/xet/v1/reconstructions/{xet_hash}",
            headers=bearer(read),
            timeout=30,
        ).status_code
        == 401
    )
