"""Evaluations: the sandbox, the worker-side runner and the Celery task.

The evaluators themselves live in ``child/`` and run only inside the
sandboxed child process; nothing in the worker imports torch.
"""
