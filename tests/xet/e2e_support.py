"""Helpers of the Xet end-to-end tests (tests/xet/test_e2e_client.py).

The stock client runs in processes of its own (``run_client``) with a clean
environment; the store is looked at from outside (``XorbShelf``: what lies
under ``xorbs/`` on disk or in the bucket); the CAS is spoken to by hand with
a token from the hub's token endpoint (``xet_token``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from hub.storage.stores import raw_store

SCRIPT = Path(__file__).parent / "scripts" / "xet_client.py"
MIB = 1024 * 1024


def client_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a user with default settings: no HF_* or XET_*
    variable at all (HF_HUB_DISABLE_XET in particular), a home of its own."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HF_", "XET_", "HUGGINGFACE_"))
    }
    env.update(
        HF_HOME=str(home),
        HF_HUB_DISABLE_TELEMETRY="1",
        HF_HUB_DISABLE_PROGRESS_BARS="1",
        **extra,
    )
    return env


def run_client(
    hub_url: str, token: str, *args: str, home: Path, timeout: float = 900
) -> dict[str, Any]:
    """Run tests/xet/scripts/xet_client.py; its JSON report, Xet checked on."""
    done = subprocess.run(
        [sys.executable, str(SCRIPT), hub_url, token, *args],
        env=client_env(home),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"client {args[:2]} failed:\n{done.stderr[-5000:]}"
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["xet_available"] is True, report  # the stock client, Xet on
    assert report["xet_disabled"] is False, report
    return report


def client_popen(
    hub_url: str, token: str, *args: str, home: Path, log: Path
) -> subprocess.Popen[bytes]:
    """The same client, started in the background (to be interrupted)."""
    with open(log, "wb") as out:
        return subprocess.Popen(
            [sys.executable, str(SCRIPT), hub_url, token, *args],
            env=client_env(home),
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def random_file(path: Path, size: int) -> str:
    """Write ``size`` random bytes to ``path``; their SHA-256."""
    digest = hashlib.sha256()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        remaining = size
        while remaining:
            block = os.urandom(min(remaining, 4 * MIB))
            digest.update(block)
            out.write(block)
            remaining -= len(block)
    return digest.hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(MIB):
            digest.update(block)
    return digest.hexdigest()


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# The hub's HF face ---------------------------------------------------------------


def paths_info(hub_url: str, token: str, repo_id: str, paths: list[str]) -> dict:
    """``POST /api/models/{repo}/paths-info/main``: entries by path."""
    response = requests.post(
        f"{hub_url}/api/models/{repo_id}/paths-info/main",
        data={"paths": paths, "expand": "true"},
        headers=auth(token),
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return {entry["path"]: entry for entry in response.json()}


@dataclass(frozen=True)
class XetToken:
    cas_url: str
    access_token: str
    expires_at: int


def xet_token_response(
    hub_url: str, token: str | None, repo_id: str, kind: str, revision: str = "main"
) -> requests.Response:
    """``GET /api/models/{repo}/xet-{kind}-token/{revision}`` as the client asks."""
    return requests.get(
        f"{hub_url}/api/models/{repo_id}/xet-{kind}-token/{revision}",
        headers=auth(token) if token else {},
        timeout=60,
    )


def xet_token(
    hub_url: str, token: str, repo_id: str, kind: str, revision: str = "main"
) -> XetToken:
    """A Xet access token (the headers huggingface_hub reads)."""
    response = xet_token_response(hub_url, token, repo_id, kind, revision)
    assert response.status_code == 200, (response.status_code, response.text)
    return XetToken(
        cas_url=response.headers["X-Xet-Cas-Url"].rstrip("/"),
        access_token=response.headers["X-Xet-Access-Token"],
        expires_at=int(response.headers["X-Xet-Token-Expiration"]),
    )


def api_v1_storage(hub_url: str, token: str, repo_id: str) -> dict:
    """The repo's storage figures in /api/v1 (logical and stored bytes)."""
    response = requests.get(
        f"{hub_url}/api/v1/models/{repo_id}", headers=auth(token), timeout=60
    )
    assert response.status_code == 200, response.text
    storage: dict = response.json()["storage"]
    return storage


# The store, seen from outside ----------------------------------------------------


class XorbShelf:
    """The xorbs the blob store holds: files under ``<root>/xorbs/`` (local)
    or objects under ``<prefix>xorbs/`` (S3)."""

    def __init__(self) -> None:
        self.store: Any = raw_store()

    def sizes(self) -> dict[str, int]:
        """Key (file or object name) -> stored size."""
        if self.store.kind == "s3":
            return self._s3_sizes()
        root = Path(self.store.root) / "xorbs"
        return {
            path.name: path.stat().st_size for path in root.rglob("*") if path.is_file()
        }

    def _s3_sizes(self) -> dict[str, int]:
        sizes: dict[str, int] = {}
        paginator = self.store.client.get_paginator("list_objects_v2")
        prefix = f"{self.store.prefix}xorbs/"
        for page in paginator.paginate(Bucket=self.store.bucket, Prefix=prefix):
            for obj in page.get("Contents", []):
                sizes[obj["Key"].rsplit("/", 1)[-1]] = int(obj["Size"])
        return sizes

    def total(self) -> int:
        return sum(self.sizes().values())


# Interrupting a client -----------------------------------------------------------


class CuttingProxy:
    """A TCP relay in front of the hub that calls ``on_cut`` once the client
    has sent ``limit`` bytes, then drops every connection: an upload
    interrupted mid-stream, at a byte count rather than a moment."""

    def __init__(self, target_port: int, limit: int, on_cut: Callable[[], None]):
        self.target_port = target_port
        self.limit = limit
        self.on_cut = on_cut
        self.sent = 0
        self.cut = threading.Event()
        self._lock = threading.Lock()
        self._conns: list[socket.socket] = []
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.cut.is_set():
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            with self._lock:
                self._conns += [client, upstream]
            threading.Thread(
                target=self._pump, args=(client, upstream, True), daemon=True
            ).start()
            threading.Thread(
                target=self._pump, args=(upstream, client, False), daemon=True
            ).start()

    def _pump(self, src: socket.socket, dst: socket.socket, counted: bool) -> None:
        try:
            while data := src.recv(256 * 1024):
                if counted and self._count(len(data)):
                    return
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def _count(self, n: int) -> bool:
        with self._lock:
            self.sent += n
            if self.sent < self.limit or self.cut.is_set():
                return self.cut.is_set()
            self.cut.set()
        self.on_cut()
        self.close()
        return True

    def close(self) -> None:
        self.cut.set()
        self.server.close()
        with self._lock:
            for sock in self._conns:
                with contextlib.suppress(OSError):
                    sock.close()
