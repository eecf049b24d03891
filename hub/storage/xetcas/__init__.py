"""Xet storage served by the hub: the CAS behind ``/xet`` (issue 15).

The format lives in ``hub.storage.xet`` (pure, no Django); this package
stores and reads it: ``receive`` (verified xorbs, shards that register
files), ``dedup`` (keyed answers to global dedup queries), ``reconstruction``
(the terms and fetch ranges a client downloads, and the hub's own reads of a
file rebuilt from its xorbs), ``verify`` (a file's declared SHA-256
checked against its rebuilt bytes), ``fetch`` (signed xorb ranges served by
the hub when the store is local), ``gc``. Who may call what is decided
above, in ``hub.community.xet``.
"""
