"""Which addresses a token was used from, so the audit log hears of a new one.

``token_authenticate`` runs on every API request: the addresses live on the
token's own row (``ApiToken.seen_addresses``, loaded with it), so a request
from a known address costs no query at all. Only the first use from a new
address locks the row, adds the address and records ``token.new_address``.
The list keeps the most recent ``MAX_SEEN_ADDRESSES``: a token used from
more places than that (a CI fleet) records an address again once it has
dropped out, which is the price of a bounded row.
"""

from __future__ import annotations

import ipaddress

from django.db import transaction

from hub.accounts.models import ApiToken
from hub.audit.services import audit_record
from hub.ops.logs import request_client_var

MAX_SEEN_ADDRESSES = 32


def _current_address() -> str | None:
    client = request_client_var.get()
    if client is None:
        return None
    try:
        return str(ipaddress.ip_address(client[0]))
    except ValueError:
        return None


def token_note_address(*, token: ApiToken) -> None:
    """Remember the current request's address for ``token``; the first time
    it is seen, record ``token.new_address``. Outside a request, nothing.
    Idempotent under concurrency: the row is locked before it is re-read."""
    address = _current_address()
    if address is None or address in (token.seen_addresses or []):
        return
    with transaction.atomic():
        seen = (
            ApiToken.objects.select_for_update()
            .filter(pk=token.pk)
            .values_list("seen_addresses", flat=True)
            .first()
        )
        seen = list(seen or [])
        if address not in seen:
            seen = [*seen, address][-MAX_SEEN_ADDRESSES:]
            ApiToken.objects.filter(pk=token.pk).update(seen_addresses=seen)
            audit_record(
                "token.new_address",
                actor=token.user,
                target=token.user.username,
                details={
                    "token": token.name,
                    "prefix": token.prefix,
                    "address": address,
                    "first_use": len(seen) == 1,
                },
            )
    token.seen_addresses = seen
