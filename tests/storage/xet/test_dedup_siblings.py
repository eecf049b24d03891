"""A dedup answer names every xorb of the files using the matched one.

The client asks only about a file's first chunk and the rare eligible
chunks, about one per xorb: the answer for a multi-xorb file's first chunk
must describe all its xorbs (those the asker may use), or a fine-tune of a
large checkpoint stores most of its base again (tests/xet/test_e2e_client.py).
"""

from __future__ import annotations

import hashlib
import io
import os

from hub.storage.models import XorbClaim
from hub.storage.xet.chunking import chunk_boundaries, file_hash_of_bytes
from hub.storage.xet.hashes import chunk_hash, hash_to_hex, verification_hash
from hub.storage.xet.shard import FileTerm, Shard, ShardFile, shard_read
from hub.storage.xet.shard_write import shard_write
from hub.storage.xet.xorb import Compression, xorb_write
from hub.storage.xetcas.dedup import dedup_answer
from hub.storage.xetcas.receive import dedup_eligible, shard_receive, xorb_receive


def _two_xorb_file(user_id: int) -> tuple[list[str], bytes]:
    """One file whose chunks sit in two xorbs; (xorb hex names, first chunk)."""
    data = os.urandom(400_000)
    ends = chunk_boundaries(data)
    chunks = [data[s:e] for s, e in zip([0, *ends], ends, strict=False)]
    halves = [chunks[: len(chunks) // 2], chunks[len(chunks) // 2 :]]
    terms, names = [], []
    for half in halves:
        body, digest = xorb_write(half, Compression.NONE)
        xorb_receive(
            user_id=user_id,
            xorb_hex=hash_to_hex(digest),
            stream=io.BytesIO(body),
            size=len(body),
        )
        names.append(hash_to_hex(digest))
        terms.append(
            FileTerm(
                digest,
                sum(len(c) for c in half),
                0,
                len(half),
                verification_hash(chunk_hash(c) for c in half),
            )
        )
    shard = Shard(
        files=[
            ShardFile(
                file_hash_of_bytes(data), tuple(terms), hashlib.sha256(data).digest()
            )
        ]
    )
    shard_receive(user_id=user_id, body=shard_write(shard, footer=False))
    return names, chunks[0]


def test_answer_for_a_first_chunk_names_all_the_files_xorbs(owner, stranger):
    names, first = _two_xorb_file(owner.pk)
    answer = dedup_answer(
        chunk_hex=hash_to_hex(chunk_hash(first)),
        user_id=stranger.pk,
        allowed=lambda xorb: True,
    )
    assert answer is not None
    offered = {hash_to_hex(x.xorb_hash) for x in shard_read(answer).xorbs}
    assert offered == set(names)
    claimed = XorbClaim.objects.filter(user=stranger).values_list("xorb", flat=True)
    assert set(claimed) == set(names)


def test_answer_leaves_out_xorbs_the_asker_may_not_use(owner, stranger):
    names, first = _two_xorb_file(owner.pk)
    answer = dedup_answer(
        chunk_hex=hash_to_hex(chunk_hash(first)),
        user_id=stranger.pk,
        allowed=lambda xorb: xorb.hash == names[0],
    )
    assert answer is not None
    assert [hash_to_hex(x.xorb_hash) for x in shard_read(answer).xorbs] == names[:1]
    claimed = XorbClaim.objects.filter(user=stranger).values_list("xorb", flat=True)
    assert list(claimed) == names[:1]


def _xorb(user_id: int, chunks: list[bytes]) -> str:
    body, digest = xorb_write(chunks, Compression.NONE)
    xorb_receive(
        user_id=user_id,
        xorb_hex=hash_to_hex(digest),
        stream=io.BytesIO(body),
        size=len(body),
    )
    return hash_to_hex(digest)


def _indexed_chunk() -> bytes:
    """A chunk whose hash the spec indexes at xorb upload (hash % 1024 == 0)."""
    while not dedup_eligible(chunk_hash(chunk := os.urandom(2048))):
        pass
    return chunk


def test_answer_to_an_unfinished_upload_names_the_uploaders_other_xorbs(
    owner, stranger
):
    """An upload cut short before its shard: its xorbs are stored, but only
    those holding an indexed chunk can be found. The uploader, resuming,
    is offered all the xorbs they uploaded that no file uses yet; nobody
    else is."""
    indexed = _indexed_chunk()
    names = [
        _xorb(owner.pk, [os.urandom(3000)]),
        _xorb(owner.pk, [indexed, os.urandom(3000)]),
        _xorb(owner.pk, [os.urandom(3000)]),
    ]

    def offered(user_id: int) -> set[str]:
        answer = dedup_answer(
            chunk_hex=hash_to_hex(chunk_hash(indexed)),
            user_id=user_id,
            allowed=lambda xorb: True,
        )
        assert answer is not None
        return {hash_to_hex(x.xorb_hash) for x in shard_read(answer).xorbs}

    assert offered(owner.pk) == set(names)
    assert offered(stranger.pk) == {names[1]}
