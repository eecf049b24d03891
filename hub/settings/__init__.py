"""Model Commons settings: one package for every environment.

Environments differ only by environment variables (table in README.md).
With none set, the hub runs embedded: SQLite, blobs on local disk under
``var/``, and a Celery broker on the filesystem (no server needed).
"""

from hub.settings.accounts import *  # noqa: F403
from hub.settings.base import *  # noqa: F403
from hub.settings.jobs import *  # noqa: F403
from hub.settings.services import *  # noqa: F403
from hub.settings.sso import *  # noqa: F403
from hub.settings.storage import *  # noqa: F403
