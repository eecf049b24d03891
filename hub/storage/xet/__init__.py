"""Xet format primitives (issue 15): chunking, hashes, xorbs and shards.

A library only: pure Python over blake3 and lz4, no Django, wired to no URL
yet. ``chunking`` (content-defined chunking, file hashes), ``hashes`` (chunk,
xorb, file and verification hashes, the spec's hash strings), ``xorb`` (read
and verify an upload, write), ``shard`` (parse and validate), ``shard_write``
(write, check terms against xorbs). Errors are ``errors.XetFormatError``.
"""
