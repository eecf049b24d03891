"""The child's view of the file: reads asked of the parent over the pipes."""

from __future__ import annotations

import io
import json
from typing import Any, BinaryIO


class ReadRefused(Exception):
    """The parent refused a read (past the byte budget, or its store failed)."""


class Channel:
    """Requests to the parent (stdout) and its answers (stdin)."""

    def __init__(self, inbox: BinaryIO, outbox: BinaryIO, *, size: int) -> None:
        self.inbox = inbox
        self.outbox = outbox
        self.size = size

    def send(self, message: dict[str, Any]) -> None:
        self.outbox.write(json.dumps(message).encode() + b"\n")
        self.outbox.flush()

    def read_at(self, offset: int, length: int) -> bytes:
        """Up to ``length`` bytes at ``offset`` (fewer only at the end)."""
        length = max(0, min(length, self.size - offset))
        if length == 0 or offset < 0:
            return b""
        self.send({"op": "read", "offset": offset, "length": length})
        header = json.loads(self.inbox.readline() or b"{}")
        if "length" not in header:
            raise ReadRefused(header.get("error") or "the parent stopped answering")
        data = self.inbox.read(int(header["length"]))
        if len(data) != int(header["length"]):
            raise ReadRefused("the parent's answer was cut short")
        return data


class RemoteFile(io.RawIOBase):
    """A seekable read-only file over the channel, for pyarrow."""

    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self.position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            self.position = offset
        elif whence == io.SEEK_CUR:
            self.position += offset
        else:
            self.position = self.channel.size + offset
        self.position = max(0, self.position)
        return self.position

    def readinto(self, buffer: Any) -> int:
        data = self.channel.read_at(self.position, len(buffer))
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.channel.size - self.position
        data = self.channel.read_at(self.position, size)
        self.position += len(data)
        return data

    def size(self) -> int:
        return self.channel.size
