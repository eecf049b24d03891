"""Celery workers. ``celery -A workers`` finds ``workers.celery:app``."""

from workers.celery import app

__all__ = ["app"]
