"""The streaming NDJSON commit reader, at every chunk boundary."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os

import pytest

from api.hf import commit_body
from hub.core.errors import ValidationError
from hub.storage.selectors import blob_read_bytes


class FakeRequest:
    """Just what the reader uses of an HttpRequest: ``read(n)``."""

    def __init__(self, body: bytes) -> None:
        self._stream = io.BytesIO(body)

    def read(self, size: int = -1) -> bytes:
        return self._stream.read(size)


def ndjson(*lines: dict) -> bytes:
    return b"".join(json.dumps(line).encode() + b"\n" for line in lines)


def read_all(body: bytes) -> list:
    return list(commit_body.ndjson_lines(FakeRequest(body)))  # type: ignore[arg-type]


@pytest.mark.django_db
@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 17, 4096, 1 << 20])
def test_file_content_is_streamed_whatever_the_chunk_size(monkeypatch, chunk):
    monkeypatch.setattr(commit_body, "_READ_CHUNK", chunk)
    payload = os.urandom(20_003)
    body = ndjson(
        {"key": "header", "value": {"summary": "s", "description": ""}},
        {
            "key": "file",
            "value": {
                "content": base64.b64encode(payload).decode(),
                "path": "a.bin",
                "encoding": "base64",
            },
        },
        {"key": "deletedFile", "value": {"path": "b"}},
    )
    lines = read_all(body)
    assert [data["key"] for data, _ in lines] == ["header", "file", "deletedFile"]
    assert [blob is not None for _, blob in lines] == [False, True, False]
    blob = lines[1][1]
    assert blob.sha256 == hashlib.sha256(payload).hexdigest()
    assert blob_read_bytes(sha256=blob.sha256, limit=10**6) == payload
    assert lines[1][0]["value"] == {
        "content": "",
        "path": "a.bin",
        "encoding": "base64",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("chunk", [1, 2, 7, 4096])
def test_escaped_slashes_and_key_order_are_accepted(monkeypatch, chunk):
    monkeypatch.setattr(commit_body, "_READ_CHUNK", chunk)
    payload = bytes(range(256)) * 3  # base64 with '/' and '+'
    encoded = base64.b64encode(payload).decode().replace("/", "\\/")
    body = (
        b'{"value": {"path": "p", "content": "' + encoded.encode() + b'"}, '
        b'"key": "file"}'  # no final newline
    )
    ((data, blob),) = read_all(body)
    assert data["key"] == "file" and data["value"]["path"] == "p"
    assert blob_read_bytes(sha256=blob.sha256, limit=10**6) == payload


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    ["not base64!", "QUJD\\nREVG", "QQ==QUJD"],
)
def test_invalid_base64_is_refused(content):
    body = b'{"key": "file", "value": {"content": "' + content.encode() + b'"}}\n'
    with pytest.raises(ValidationError):
        read_all(body)


@pytest.mark.django_db
def test_truncated_body_and_bad_json_are_refused():
    with pytest.raises(ValidationError, match="ends inside"):
        read_all(b'{"key": "file", "value": {"content": "QUJD')
    with pytest.raises(ValidationError, match="not JSON"):
        read_all(b'{"key": "header", "value": \n')
    with pytest.raises(ValidationError):
        read_all(b'["a list"]\n')


@pytest.mark.django_db
def test_inline_files_over_the_limit_are_refused(settings):
    settings.HUB_INLINE_UPLOAD_MAX_BYTES = 10
    settings.HUB_LFS_THRESHOLD_BYTES = 10
    content = base64.b64encode(b"x" * 11).decode()
    body = ndjson({"key": "file", "value": {"content": content, "path": "x"}})
    with pytest.raises(ValidationError, match="larger than 10 bytes"):
        read_all(body)


def test_long_lines_without_content_are_capped(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = ndjson({"key": "header", "value": {"summary": "x" * 5000}})
    with pytest.raises(ValidationError, match="longer than 1000 bytes"):
        read_all(body)
