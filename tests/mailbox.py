"""A real SMTP server on loopback (aiosmtpd) that the hub's SMTP backend
sends to, and the mail it received.

Use the ``mailbox`` fixture (import it into a conftest): it starts the
server, points Django's SMTP backend at it for the test and gives a
``Mailbox`` to wait for and read the messages.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://\S+")


class _Handler:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.changed = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.changed:
            self.messages.append(message)
            self.changed.notify_all()
        return "250 Message accepted for delivery"


class Mailbox:
    def __init__(self, handler: _Handler, port: int) -> None:
        self._handler = handler
        self.port = port

    @property
    def messages(self) -> list[EmailMessage]:
        with self._handler.changed:
            return list(self._handler.messages)

    def wait(self, count: int = 1, timeout: float = 10.0) -> list[EmailMessage]:
        """The first ``count`` messages, once they arrived (fails after
        ``timeout`` seconds)."""
        deadline = time.monotonic() + timeout
        with self._handler.changed:
            while len(self._handler.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"expected {count} mail(s), got {len(self._handler.messages)}"
                    )
                self._handler.changed.wait(left)
            return list(self._handler.messages[:count])

    @staticmethod
    def body(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content())

    def link(self, message: EmailMessage) -> str:
        found = LINK.findall(self.body(message))
        assert len(found) == 1, found
        return found[0]


def _free_port() -> int:
    # aiosmtpd's Controller connects to its own port to see it is up, so it
    # needs the number before it starts (port 0 cannot be dialled).
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def mailbox(settings) -> Iterator[Mailbox]:
    handler = _Handler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        yield Mailbox(handler, port)
    finally:
        controller.stop()
