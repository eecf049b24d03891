"""Writes of the community: ``discussions``, ``pull_requests`` (merges and
reviews), ``comments`` and ``likes``, sharing ``common``.

Who may act: any authenticated reader opens discussions and comments (the
interfaces check that); the author or a maintainer edits, renames, closes
and reopens; only maintainers merge, review, pin and lock. Notifications
(``hub.notifications``) are written in the same transaction; never to the
person who acted.
"""
