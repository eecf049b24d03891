"""Dataset files (Parquet, CSV, JSON Lines) read in a sandboxed child.

One parser for the dataset viewer and the dataset-file validators:
:func:`workers.tabular.runner.inspect_file` starts ``child/main.py`` under
the eval sandbox's limits and serves its reads from a
:class:`~workers.validators.base.Source`, so the child never holds store
credentials and a parser crash or a decompression bomb ends only the child.
"""
