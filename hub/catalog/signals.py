"""Signals other apps listen to (catalog never imports them).

``commit_created`` is sent inside the transaction that inserts a new commit,
so a receiver's writes (for example the commit's validation runs) land or
roll back together with the commit.
"""

from django.dispatch import Signal

# kwargs: commit (hub.catalog.models.Commit), parent (Commit | None)
commit_created = Signal()
