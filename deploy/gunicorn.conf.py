"""gunicorn settings: ``gunicorn -c deploy/gunicorn.conf.py hub.wsgi:application``.

Threaded workers: uploads and downloads are long, I/O-bound requests, so
threads keep a slow client from holding a whole process.
"""

import os

bind = os.environ.get("HUB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("HUB_WEB_PROCESSES", "2"))
worker_class = "gthread"
threads = int(os.environ.get("HUB_WEB_THREADS", "8"))
# Large LFS transfers stream for minutes; the proxy enforces client timeouts.
timeout = int(os.environ.get("HUB_WEB_TIMEOUT", "300"))
graceful_timeout = 30
keepalive = 5
accesslog = "-"
errorlog = "-"
