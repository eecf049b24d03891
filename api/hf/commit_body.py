"""The commit body of the HF protocol (NDJSON), read as a stream.

hf-protocol.md 2.15: one JSON object per line, ``file`` lines carrying a
whole file base64-encoded (up to ~133 MB of body from the Xet-enabled
``upload_folder``). The body is read from the request in chunks and each
``file`` line's content is decoded into the blob store while it arrives, so
neither the line nor the file is ever held whole in memory.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from hub.core.errors import ValidationError
from hub.core.parsing import json_parse
from hub.storage.models import Blob
from hub.storage.services import blob_upload

_READ_CHUNK = 256 * 1024
# Where a file line's base64 content starts; the content is decoded into the
# blob store while it is read instead of being held in memory.
_CONTENT_KEY = re.compile(rb'"content"\s*:\s*"')


class _Body:
    """Chunked reads of the request body, with push-back of unused bytes."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request
        self._pending = b""

    def read(self) -> bytes:
        if self._pending:
            data, self._pending = self._pending, b""
            return data
        return self._request.read(_READ_CHUNK) or b""

    def unread(self, data: bytes) -> None:
        if data:
            self._pending = data + self._pending


class _Base64String:
    """The rest of a JSON string of base64, decoded while it is read.

    ``read`` pulls body chunks up to the closing quote and pushes back what
    follows it. Only the ``\\/`` escape can occur in base64 text.
    """

    def __init__(self, body: _Body, *, max_bytes: int) -> None:
        self._body = body
        self._max = max_bytes
        self._carry = b""
        self._out = bytearray()
        self._escape = False
        self._padded = False
        self._decoded = 0
        self._done = False

    def read(self, size: int = -1, /) -> bytes:
        while not self._done and (size < 0 or len(self._out) < size):
            chunk = self._body.read()
            if not chunk:
                raise ValidationError("The commit body ends inside a file's content.")
            end = chunk.find(b'"')
            if end >= 0:
                self._body.unread(chunk[end + 1 :])
                chunk = chunk[:end]
                self._done = True
            self._feed(chunk)
            if self._done:
                self._finish()
        count = len(self._out) if size < 0 else min(size, len(self._out))
        data = bytes(self._out[:count])
        del self._out[:count]
        return data

    def _unescape(self, data: bytes) -> bytes:
        if self._escape:
            if not data:
                return b""
            if data[:1] != b"/":
                raise ValidationError("A file's base64 content contains an escape.")
            data = b"/" + data[1:]
            self._escape = False
        if b"\\" not in data:
            return data
        out = bytearray()
        start = 0
        while (slash := data.find(b"\\", start)) >= 0:
            out += data[start:slash]
            if slash + 1 == len(data):
                self._escape = True
                return bytes(out)
            if data[slash + 1 : slash + 2] != b"/":
                raise ValidationError("A file's base64 content contains an escape.")
            out += b"/"
            start = slash + 2
        out += data[start:]
        return bytes(out)

    def _feed(self, data: bytes) -> None:
        data = self._carry + self._unescape(data)
        usable = len(data) - len(data) % 4
        self._carry = data[usable:]
        if usable:
            self._emit(data[:usable])

    def _finish(self) -> None:
        if self._escape:
            raise ValidationError("A file's base64 content ends with a backslash.")
        if self._carry:
            # Unpadded base64: complete the last quantum.
            self._emit(self._carry + b"=" * (-len(self._carry) % 4))
            self._carry = b""

    def _emit(self, text: bytes) -> None:
        if self._padded:
            raise ValidationError("A file's base64 content continues after padding.")
        try:
            decoded = base64.b64decode(text, validate=True)
        except binascii.Error as exc:
            raise ValidationError(
                f"A file's content is not valid base64: {exc}."
            ) from None
        self._padded = text.endswith(b"=")
        self._decoded += len(decoded)
        if self._decoded > self._max:
            raise ValidationError(
                f"An inline file is larger than {self._max} bytes: upload it "
                "through LFS (preupload answers 'lfs' for it)."
            )
        self._out += decoded


def _is_file_content_start(prefix: bytes) -> bool:
    try:
        data = json_parse(prefix + b'"}}', what="A line of the commit body")
    except ValidationError:
        return False
    return (
        isinstance(data, dict)
        and data.get("key", "file") == "file"
        and isinstance(data.get("value"), dict)
        and data["value"].get("content") == ""
    )


def _inline_file_limit() -> int:
    # Copies of stored regular files come back inline too, whatever the
    # inline upload limit, so files below the LFS threshold always fit.
    return max(settings.HUB_INLINE_UPLOAD_MAX_BYTES, settings.HUB_LFS_THRESHOLD_BYTES)


def _parse_line(raw: bytes) -> dict[str, Any]:
    data = json_parse(raw, what="A line of the commit body")
    if not isinstance(data, dict) or not isinstance(data.get("value"), dict):
        raise ValidationError(
            'Each line of the commit body must be {"key": ..., "value": {...}}.'
        )
    return data


def _lines(body: _Body) -> Iterator[tuple[dict[str, Any], Blob | None]]:
    """Parsed lines of the body; a file line's content comes as a stored Blob.

    The content of ``file`` lines is streamed into the blob store as it
    arrives, so the line never sits whole in memory; what is left of a line
    is capped at DATA_UPLOAD_MAX_MEMORY_SIZE.
    """
    max_line = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    buf = bytearray()
    blob: Blob | None = None
    # Where the searches of the current line resume, so that a long line is
    # scanned once, not once per chunk.
    scanned = 0
    while True:
        chunk = body.read()
        if not chunk:
            if buf.strip():
                yield _parse_line(bytes(buf)), blob
            return
        buf += chunk
        while True:
            newline = buf.find(b"\n", scanned)
            end = newline if newline >= 0 else len(buf)
            if blob is None:
                start = max(0, scanned - 32)  # a key may straddle two chunks
                match = _CONTENT_KEY.search(buf, start, end)
                if match and _is_file_content_start(bytes(buf[: match.end()])):
                    body.unread(bytes(buf[match.end() :]))
                    del buf[match.end() :]
                    buf += b'"'
                    content = _Base64String(body, max_bytes=_inline_file_limit())
                    blob = blob_upload(stream=content)
                    scanned = len(buf)
                    break
            if end > max_line:
                raise ValidationError(
                    f"A line of the commit body is longer than {max_line} bytes."
                )
            if newline < 0:
                scanned = len(buf)
                break
            line = bytes(buf[:newline])
            del buf[: newline + 1]
            if line.strip():
                yield _parse_line(line), blob
            blob = None
            scanned = 0


def ndjson_lines(request: HttpRequest) -> Iterator[tuple[dict[str, Any], Blob | None]]:
    """Parsed lines of a commit body; a ``file`` line's content as a stored Blob.

    Each line is ``{"key": ..., "value": {...}}``. For a ``file`` line whose
    content was streamed, the Blob is given and ``value["content"]`` is "".
    Raises ValidationError for malformed JSON or base64.
    """
    return _lines(_Body(request))
