"""Writes to the catalog, one module per part: ``repos`` (create, settings,
move, delete, statistics), ``refs`` (branches and tags), ``commits``
(``commit_create``, the only way files change), ``operations`` (the file
operations and the tree they build), ``merges`` (merge commits,
fast-forwards)."""
