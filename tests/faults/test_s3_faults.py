"""S3 answering 500/503 or stalling, on the deployed topology.

The topology's S3 endpoints point at a fault-injecting proxy in front of
moto (tests/faults/s3proxy.py): the hub's own calls (internal endpoint) and
the clients' presigned transfers (public endpoint) can fail separately.
The real huggingface_hub client uploads (LFS multipart, Xet) and downloads
through nginx; after each fault the invariant checker is green, /readyz
answers 200 and the repo holds the whole commit or nothing, with the error
the client raises.
"""

from __future__ import annotations

import os
import time

import pytest

from tests.faults.s3proxy import Fault, proxied_topology
from tests.faults.topology import (
    MIB,
    Topology,
    sparse_file,
    wait_for,
)
from tests.faults.verdicts import (
    http_error,
    sha256_of,
    wait_runs_final,
)


@pytest.fixture(scope="module")
def proxied():
    with proxied_topology() as (topo, proxy):
        yield topo, proxy


@pytest.fixture
def s3(proxied):
    topo, proxy = proxied
    proxy.clear()
    yield topo, proxy
    proxy.clear()


def api_for(topo: Topology, user: str = "maya", *, xet: bool = False):
    """The real client as ``user``; LFS only unless ``xet`` (the suite's
    conftest turns Xet off again after each test)."""
    from huggingface_hub import constants

    constants.HF_HUB_DISABLE_XET = not xet
    return topo.api(user)


def new_repo(api, name: str) -> str:
    return str(api.create_repo(f"maya/{name}").repo_id)


def files_at_main(api, repo_id: str) -> set[str]:
    return set(api.list_repo_files(repo_id)) - {".gitattributes"}


def test_the_hubs_s3_calls_go_through_the_fault_proxy(s3):
    """The faults below reach the hub: /readyz's bucket check passes the proxy."""
    topo, proxy = s3
    assert topo.readyz()[0] == 200
    assert proxy.seen("HEAD", side="hub") >= 1


@pytest.mark.faults_quick
def test_s3_failing_while_the_hub_assembles_an_upload_is_retried_and_whole(
    s3, tmp_path
):
    """Quick subset. S3 answers 503 to the client's first part PUTs, then to
    the hub's completion of the multipart upload, then to the hub's read
    back of the assembled object: the hub answers each with a retryable
    503 (keeping what was uploaded), the client retries, the commit is
    whole."""
    topo, proxy = s3
    api = api_for(topo)
    repo_id = new_repo(api, "assembled")
    data = tmp_path / "weights.bin"
    oid = sparse_file(data, 12 * MIB, b"assembled")
    part_puts = proxy.arm(Fault(status=503, method="PUT", side="client", times=2))
    # botocore tries each call 3 times: the hub's first completion fails.
    complete = proxy.arm(
        Fault(status=503, method="POST", path="uploadId=", side="hub", times=3)
    )
    read_back = proxy.arm(
        Fault(status=503, method="GET", path="/staging/", side="hub", times=3)
    )

    api.upload_file(path_or_fileobj=str(data), path_in_repo="w.bin", repo_id=repo_id)

    assert (part_puts.hits, complete.hits, read_back.hits) == (2, 3, 3)
    assert files_at_main(api, repo_id) == {"w.bin"}
    path = api.hf_hub_download(repo_id, "w.bin", cache_dir=str(tmp_path / "c"))
    assert sha256_of(path) == oid
    topo.assert_recovered()


def test_s3_down_for_the_hub_fails_the_upload_with_a_503_and_commits_nothing(
    s3, tmp_path
):
    """S3 fails the hub's read back of the uploaded bytes for longer than
    the client retries the completion: upload_file raises (RuntimeError
    from HfHubHTTPError 503 naming the object store), main is unchanged;
    once S3 is back the same upload succeeds."""
    topo, proxy = s3
    api = api_for(topo)
    repo_id = new_repo(api, "down")
    data = tmp_path / "weights.bin"
    oid = sparse_file(data, 12 * MIB, b"down")
    # The hub's read back of the assembled upload fails for good.
    proxy.arm(Fault(status=503, method="GET", path="/staging/", side="hub"))

    with pytest.raises(RuntimeError, match="Error while uploading") as raised:
        api.upload_file(
            path_or_fileobj=str(data), path_in_repo="w.bin", repo_id=repo_id
        )

    error = http_error(raised.value)
    assert error.response.status_code == 503
    assert "object store is unavailable" in str(error)
    assert error.response.headers.get("Retry-After")
    assert files_at_main(api, repo_id) == set()
    proxy.clear()
    topo.assert_recovered()
    api.upload_file(path_or_fileobj=str(data), path_in_repo="w.bin", repo_id=repo_id)
    path = api.hf_hub_download(repo_id, "w.bin", cache_dir=str(tmp_path / "c"))
    assert sha256_of(path) == oid


def test_s3_500_on_a_download_raises_in_the_client_and_leaves_no_file(s3, tmp_path):
    """A presigned download answered 500: hf_hub_download (which retries a
    GET only on 408/429) raises HfHubHTTPError 500 with S3's message, and
    no file, whole or partial, is in the cache under the file's name; the
    next download gets the whole file."""
    from huggingface_hub.errors import HfHubHTTPError

    topo, proxy = s3
    api = api_for(topo)
    repo_id = new_repo(api, "downloads")
    data = tmp_path / "weights.bin"
    oid = sparse_file(data, 12 * MIB, b"downloads")
    api.upload_file(path_or_fileobj=str(data), path_in_repo="w.bin", repo_id=repo_id)
    proxy.arm(Fault(status=500, method="GET", side="client", times=1))
    cache = tmp_path / "c"

    with pytest.raises(HfHubHTTPError) as raised:
        api.hf_hub_download(repo_id, "w.bin", cache_dir=str(cache))

    assert raised.value.response.status_code == 500
    assert "InternalError" in str(raised.value)
    assert not list(cache.rglob("w.bin"))
    path = api.hf_hub_download(repo_id, "w.bin", cache_dir=str(cache))
    assert sha256_of(path) == oid
    topo.assert_recovered()


def test_s3_stalling_20s_delays_uploads_and_checks_but_nothing_fails(s3, tmp_path):
    """S3 holds the hub's read back of an upload for 20 s, then a
    validation worker's read of the file for 20 s (twice the stale-run
    limit of this topology): the upload completes, and the check finishes
    once, on its first attempt (a stalled but healthy worker keeps its
    run)."""
    topo, proxy = s3
    api = api_for(topo)
    repo_id = new_repo(api, "stalled")
    wait_runs_final(topo)
    (last_run,) = topo.sql("SELECT coalesce(max(id), 0) FROM jobs_validationrun")[0]
    data = tmp_path / "weights.bin"
    oid = sparse_file(data, 12 * MIB, b"stalled")
    proxy.arm(Fault(stall=20, method="GET", path="/staging/", side="hub", times=1))
    worker_read = proxy.arm(
        Fault(stall=20, method="GET", path="/blobs/", side="hub", times=1)
    )
    started = time.monotonic()

    api.upload_file(path_or_fileobj=str(data), path_in_repo="w.bin", repo_id=repo_id)

    assert time.monotonic() - started >= 20
    wait_for(lambda: worker_read.hits, 60, "the worker to read the file")
    wait_runs_final(topo, timeout=120)
    runs = topo.sql(
        "SELECT path, status, attempts FROM jobs_validationrun WHERE id > %s",
        last_run,
    )
    # Reused verdicts (the parent's .gitattributes) took no attempt.
    assert runs and all(attempts <= 1 for _, _, attempts in runs), runs
    assert all(status != "errored" for _, status, _ in runs), runs
    path = api.hf_hub_download(repo_id, "w.bin", cache_dir=str(tmp_path / "c"))
    assert sha256_of(path) == oid
    topo.assert_recovered()


def test_s3_503_on_xet_xorb_writes_is_retried_and_the_commit_is_whole(s3, tmp_path):
    """With hf_xet: S3 answers 503 to the hub's first writes of a xorb; the
    hub answers the CAS upload 503, hf_xet retries, the commit is whole."""
    pytest.importorskip("hf_xet")
    topo, proxy = s3
    api = api_for(topo, xet=True)
    repo_id = new_repo(api, "xet")
    data = tmp_path / "weights.bin"
    data.write_bytes(os.urandom(3 * MIB) * 4)
    oid = sha256_of(data)
    xorbs = proxy.arm(Fault(status=503, path="/xorbs/", side="hub", times=3))

    api.upload_file(path_or_fileobj=str(data), path_in_repo="w.bin", repo_id=repo_id)

    assert xorbs.hits == 3
    assert files_at_main(api, repo_id) == {"w.bin"}
    path = api.hf_hub_download(repo_id, "w.bin", cache_dir=str(tmp_path / "c"))
    assert sha256_of(path) == oid
    topo.assert_recovered()


def test_s3_failing_a_proxied_read_of_a_xet_file_is_a_503_not_a_cut_download(
    s3, tmp_path
):
    """A Xet-only file downloaded by a client without hf_xet streams through
    the hub, rebuilt from its xorbs in S3. S3 failing those reads: resolve
    answers 503 naming the object store before sending any byte (not a 200
    cut short), hf_hub_download raises HfHubHTTPError 503 and leaves no
    file; once S3 answers, the download is whole."""
    pytest.importorskip("hf_xet")
    from huggingface_hub.errors import HfHubHTTPError

    topo, proxy = s3
    uploader = api_for(topo, xet=True)
    repo_id = new_repo(uploader, "xet-read")
    data = tmp_path / "weights.bin"
    # Above the 10 MB of inline commits: uploaded through Xet.
    data.write_bytes(os.urandom(3 * MIB) * 4)
    oid = sha256_of(data)
    uploader.upload_file(
        path_or_fileobj=str(data), path_in_repo="w.bin", repo_id=repo_id
    )
    wait_runs_final(topo)
    (xet_only,) = topo.sql(
        "SELECT NOT in_store FROM storage_blob WHERE sha256 = %s", oid
    )[0]
    assert xet_only
    api = api_for(topo)  # LFS-era client: reads through resolve
    proxy.arm(Fault(status=503, method="GET", path="/xorbs/", side="hub"))
    cache = tmp_path / "c"

    with pytest.raises(HfHubHTTPError) as raised:
        api.hf_hub_download(repo_id, "w.bin", cache_dir=str(cache))

    assert raised.value.response.status_code == 503
    assert "object store is unavailable" in str(raised.value)
    assert not list(cache.rglob("w.bin"))
    proxy.clear()
    path = api.hf_hub_download(repo_id, "w.bin", cache_dir=str(cache))
    assert sha256_of(path) == oid
    topo.assert_recovered()
