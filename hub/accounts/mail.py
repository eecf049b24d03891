"""Mail to a user: rendered now, sent after the transaction commits.

Sending happens in a short-lived thread, so a request that sends mail
answers as fast as one that does not: a password reset for an address with
an account takes as long as one for an address without (no timing oracle),
and a slow SMTP server does not hold the page. The message is complete
before the thread starts; the thread touches no database. Django's mail
backend (SMTP, or the console when no HUB_SMTP_HOST is set) does the rest.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def _send(message: EmailMessage) -> None:
    try:
        message.send()
    except Exception:  # SMTP down or refusing: logged, the page already answered
        logger.exception("could not send mail %r", message.subject)


def mail_send(*, to: str, template: str, context: dict[str, Any]) -> None:
    """Render ``templates/mail/<template>.txt`` (first line: the subject) for
    ``to`` and send it once the current transaction commits; no-op for an
    empty address. Never raises for a mail server's failure (logged)."""
    if not to:
        return
    text = render_to_string(
        f"mail/{template}.txt",
        {"site_url": settings.HUB_PUBLIC_URL, "site_name": "Model Commons", **context},
    )
    subject, _, body = text.partition("\n")
    message = EmailMessage(
        subject=subject.strip(),
        body=body.lstrip("\n"),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )

    def start() -> None:
        threading.Thread(target=_send, args=(message,), daemon=True).start()

    transaction.on_commit(start)
