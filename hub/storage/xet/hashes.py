"""Xet hashes: chunk, xorb, file and term-verification hashes, and their strings.

Xet Protocol Specification, "Hashing" (chunk hashes with DATA_KEY, xorb hashes
as a merkle tree with INTERNAL_NODE_KEY, file hashes keyed once more with 32
zero bytes, term verification hashes with VERIFICATION_KEY) and "API",
"Converting Hashes to Strings" (each 8-byte word printed as a little-endian
u64). A hash is 32 raw bytes everywhere in this package; strings exist only
at the edges (URLs, the internal-node text).

The spec names the merkle tree but leaves its shape to the reference
implementation it links: nodes are grouped left to right, a group closes
after the node whose hash is 0 modulo 4 (the hash's last word read as a
little-endian u64), at the earliest at its third node and at the latest at
its ninth; a group of one or two nodes is what remains at the end. Levels
repeat until one node is left.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from blake3 import blake3

HASH_LEN = 32

DATA_KEY = bytes(
    [102, 151, 245, 119, 91, 149, 80, 222, 49, 53, 203, 172, 165, 151, 24, 28,
     157, 228, 33, 16, 155, 235, 43, 88, 180, 208, 176, 75, 147, 173, 242, 41]
)  # fmt: skip
INTERNAL_NODE_KEY = bytes(
    [1, 126, 197, 199, 165, 71, 41, 150, 253, 148, 102, 102, 180, 138, 2, 230,
     93, 221, 83, 111, 55, 199, 109, 210, 248, 99, 82, 230, 74, 83, 113, 63]
)  # fmt: skip
VERIFICATION_KEY = bytes(
    [127, 24, 87, 214, 206, 86, 237, 102, 18, 127, 249, 19, 231, 165, 195, 243,
     164, 205, 38, 213, 181, 219, 73, 230, 65, 36, 152, 127, 40, 251, 148, 195]
)  # fmt: skip
ZERO_HASH = bytes(HASH_LEN)

MEAN_BRANCHING = 4
_GROUP_MAX = 2 * MEAN_BRANCHING + 1

# One leaf or inner node of the merkle tree: (hash, bytes below it).
Node = tuple[bytes, int]


def hash_to_hex(digest: bytes) -> str:
    """The spec's string form: each 8-byte word reversed, then hex."""
    if len(digest) != HASH_LEN:
        raise ValueError(f"a Xet hash is {HASH_LEN} bytes, not {len(digest)}")
    return swap_words(digest).hex()


def swap_words(digest: bytes) -> bytes:
    """Reverse each 8-byte word: raw bytes <-> the order of the spec's strings.

    The reference client stores a shard's sha256 this way (it parses the hex
    digest as a hash string), so the raw field is the digest word-swapped.
    """
    return b"".join(digest[i : i + 8][::-1] for i in range(0, len(digest), 8))


def hash_from_hex(text: str) -> bytes:
    """Parse the spec's string form; ValueError unless 64 lowercase hex digits."""
    if len(text) != 2 * HASH_LEN or text != text.lower():
        raise ValueError("a Xet hash string is 64 lowercase hex digits")
    return swap_words(bytes.fromhex(text))  # ValueError on a non-hex digit


def chunk_hash(data: bytes | memoryview) -> bytes:
    """The hash of one chunk's uncompressed bytes."""
    return blake3(data, key=DATA_KEY).digest()


def _merge(group: Sequence[Node]) -> Node:
    text = "".join(f"{hash_to_hex(h)} : {size}\n" for h, size in group)
    total = sum(size for _, size in group)
    return blake3(text.encode("ascii"), key=INTERNAL_NODE_KEY).digest(), total


def _group_end(nodes: Sequence[Node], start: int) -> int:
    remaining = len(nodes) - start
    if remaining <= 2:
        return len(nodes)
    end = start + min(_GROUP_MAX, remaining)
    for i in range(start + 2, end):
        if int.from_bytes(nodes[i][0][24:32], "little") % MEAN_BRANCHING == 0:
            return i + 1
    return end


def merkle_root(nodes: Iterable[Node]) -> bytes:
    """The root of the aggregated-hash tree over (hash, size) leaves; zeros if none."""
    level = list(nodes)
    if not level:
        return ZERO_HASH
    while len(level) > 1:
        merged: list[Node] = []
        start = 0
        while start < len(level):
            end = _group_end(level, start)
            merged.append(_merge(level[start:end]))
            start = end
        level = merged
    return level[0][0]


def xorb_hash(chunks: Iterable[Node]) -> bytes:
    """A xorb's hash from its chunks' (hash, uncompressed size), in order."""
    return merkle_root(chunks)


def file_hash(chunks: Iterable[Node]) -> bytes:
    """A file's Xet hash from its chunks' (hash, size); zeros for an empty file."""
    root = merkle_root(chunks)
    if root == ZERO_HASH:
        return ZERO_HASH
    return blake3(root, key=ZERO_HASH).digest()


def verification_hash(chunk_hashes: Iterable[bytes]) -> bytes:
    """The term verification hash over a run of chunk hashes (a shard's range_hash)."""
    return blake3(b"".join(chunk_hashes), key=VERIFICATION_KEY).digest()


def keyed_chunk_hash(digest: bytes, key: bytes) -> bytes:
    """A chunk hash as a dedup answer shows it under a key (the spec's HMAC)."""
    return blake3(digest, key=key).digest()
