"""Fixtures of the account tests: the SMTP server on loopback."""

from tests.mailbox import mailbox  # noqa: F401  (a fixture)
