"""The eval worker never imports torch: only the sandboxed child does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_loading_every_worker_task_module_imports_no_torch():
    code = (
        "import sys\n"
        "from workers.celery import app\n"
        "app.loader.import_default_modules()\n"
        "import workers.evals.tasks, workers.evals.runner, workers.evals.sandbox\n"
        "assert 'evals.run_next' in app.tasks, sorted(app.tasks)\n"
        "heavy = sorted(m for m in ('torch', 'transformers', 'safetensors', "
        "'tokenizers') if m in sys.modules)\n"
        "print(','.join(heavy) or 'none')\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "none"
