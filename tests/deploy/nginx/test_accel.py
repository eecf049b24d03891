"""nginx in front of the hub: X-Accel-Redirect downloads of local blobs.

A real nginx (deploy/nginx/hub.conf.template) proxies a live hub whose
blob store is local; downloads must be sent by nginx from the blob file
with every header the HF client needs, byte ranges included.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import string
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from tests.factories import make_repo
from tests.xet.e2e_support import (
    MIB,
    auth,
    paths_info,
    random_file,
    run_client,
    xet_token,
)

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists(), reason="nginx is not installed (scripts/run-tests.sh)"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def nginx_url(hub_url, settings, tmp_path):
    settings.HUB_BLOB_ACCEL_REDIRECT_PREFIX = "/_blobs/"
    port = free_port()
    server = string.Template((DEPLOY / "nginx" / "hub.conf.template").read_text())
    rendered = server.safe_substitute(
        HUB_LISTEN=f"127.0.0.1:{port}",
        HUB_UPSTREAM=urlsplit(hub_url).netloc,
        HUB_STATIC_ROOT=str(tmp_path / "static"),
        HUB_BLOB_ROOT=str(settings.HUB_BLOB_ROOT),
    )
    user = "user root root;" if os.geteuid() == 0 else ""
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"{user}\ndaemon off; pid {tmp_path}/nginx.pid; error_log stderr warn;\n"
        "events {}\nhttp {\n"
        f"client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;\n"
        f"{rendered}\n}}\n"
    )
    proc = subprocess.Popen(
        [NGINX, "-c", str(conf), "-p", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            requests.get(f"{url}/healthz", timeout=2)
            break
        except requests.ConnectionError:
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(10)


def test_downloads_through_nginx_come_from_the_blob_file(nginx_url, maya, tmp_path):
    from huggingface_hub import HfApi

    api = HfApi(endpoint=nginx_url, token=maya[1])
    repo_id = api.create_repo("accel").repo_id
    data = hashlib.sha256(b"seed").digest() * 65536  # 2 MiB
    api.upload_file(path_or_fileobj=data, path_in_repo="model.bin", repo_id=repo_id)

    path = api.hf_hub_download(repo_id, "model.bin", cache_dir=str(tmp_path / "c"))
    assert Path(path).read_bytes() == data

    url = f"{nginx_url}/{repo_id}/resolve/main/model.bin"
    auth = {"authorization": f"Bearer {maya[1]}"}
    full = requests.get(url, headers=auth, timeout=30)
    assert full.status_code == 200 and full.content == data
    assert "X-Accel-Redirect" not in full.headers  # consumed by nginx
    assert len(full.headers["X-Repo-Commit"]) == 40
    assert full.headers["X-Linked-Size"] == str(len(data))
    assert full.headers["ETag"] == full.headers["X-Linked-Etag"]
    assert full.headers["Content-Disposition"].startswith("attachment")
    assert full.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in full.headers["Content-Security-Policy"]
    part = requests.get(url, headers={**auth, "Range": "bytes=100-199"}, timeout=30)
    assert part.status_code == 206 and part.content == data[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(data)}"
    # The internal location cannot be fetched directly.
    sha = hashlib.sha256(data).hexdigest()
    direct = requests.get(f"{nginx_url}/_blobs/{sha[:2]}/{sha[2:4]}/{sha}", timeout=10)
    assert direct.status_code == 404


def test_xet_uploads_and_downloads_go_through_nginx(nginx_url, hub_url, maya, tmp_path):
    """The stock client (Xet on) through nginx: xorbs and shards stream to the
    hub under /xet/, reconstruction fetch URLs name nginx, and nginx sends the
    xorb ranges from the files (the hub answers them with X-Accel-Redirect)."""
    make_repo(maya[0], "xet-private", is_private=True)
    data = tmp_path / "weights.bin"
    digest = random_file(data, 12 * MIB)  # over the inline limit: Xet
    run_client(
        nginx_url, maya[1], "upload-file", "maya/xet-private", str(data), "weights.bin",
        home=tmp_path / "up",
    )  # fmt: skip
    got = run_client(
        nginx_url, maya[1], "download", "maya/xet-private", "weights.bin",
        home=tmp_path / "down",
    )  # fmt: skip
    assert got["sha256"] == {"weights.bin": digest}

    entry = paths_info(nginx_url, maya[1], "maya/xet-private", ["weights.bin"])
    file_id = entry["weights.bin"]["xetHash"]
    resolved = requests.get(
        f"{nginx_url}/maya/xet-private/resolve/main/weights.bin",
        headers={**auth(maya[1]), "Range": "bytes=0-9"},
        timeout=30,
    )
    assert resolved.status_code == 206 and resolved.headers["X-Xet-Hash"] == file_id
    assert 'rel="xet-auth"' in resolved.headers["Link"]
    token = xet_token(nginx_url, maya[1], "maya/xet-private", "read")
    assert token.cas_url == f"{nginx_url}/xet"
    answer = requests.get(
        f"{token.cas_url}/v2/reconstructions/{file_id}",
        headers={**auth(token.access_token), "Range": "bytes=0-99"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    [(xorb, [fetch])] = answer.json()["xorbs"].items()
    [span] = fetch["ranges"]
    assert fetch["url"].startswith(f"{nginx_url}/xet/fetch/{xorb}?")
    first, last = span["bytes"]["start"], span["bytes"]["end"]
    wanted = {"Range": f"bytes={first}-{last}"}
    via_nginx = requests.get(fetch["url"], headers=wanted, timeout=30)
    assert via_nginx.status_code == 206
    assert len(via_nginx.content) == last - first + 1
    from_hub = requests.get(
        fetch["url"].replace(nginx_url, hub_url), headers=wanted, timeout=30
    )
    assert from_hub.headers["X-Accel-Redirect"].startswith("/_blobs/xorbs/")
    assert from_hub.content == b""
    # Beyond the signed range, nothing.
    wider = {"Range": f"bytes={first}-{last + 1}"}
    assert requests.get(fetch["url"], headers=wider, timeout=30).status_code == 403
