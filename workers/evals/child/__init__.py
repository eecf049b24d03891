"""Code of the sandboxed evaluation child (run as ``python -I main.py``).

Never imported by the worker: ``main.py`` is started by file path in a
fresh interpreter, and it is the only place torch is imported.
"""
