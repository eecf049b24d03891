"""Which addresses a token was used from, so the audit log hears of a new one.

``token_authenticate`` runs on every API request: the addresses live on the
token's own row (``ApiToken.seen_addresses``, loaded with it), so a request
from a known address costs no query at all. Only the first use from a new
address adds it to the row and records ``token.new_address``.
The list keeps the most recent ``MAX_SEEN_ADDRESSES``: a token used from
more places than that (a CI fleet) records an address again once it has
dropped out, which is the price of a bounded row.
"""

from __future__ import annotations

from hub.accounts.models import ApiToken
from hub.audit.services import audit_record, request_address

MAX_SEEN_ADDRESSES = 32


def token_note_address(*, token: ApiToken) -> None:
    """Remember the current request's address for ``token``; the first time
    it is seen, record ``token.new_address``. Outside a request, nothing.

    A compare-and-set on the list as it was loaded (two statements, no
    lock): of two requests that bring the same new address at once, one
    changes the row and records the event; the other finds the row changed,
    re-reads it once and sees the address there.
    """
    address = request_address()
    seen = list(token.seen_addresses or [])
    for _attempt in range(2):
        if address is None or address in seen:
            break
        new = [*seen, address][-MAX_SEEN_ADDRESSES:]
        changed = ApiToken.objects.filter(pk=token.pk, seen_addresses=seen).update(
            seen_addresses=new
        )
        if changed:
            _record(token, address, first=not seen)
            seen = new
            break
        seen = list(
            ApiToken.objects.filter(pk=token.pk)
            .values_list("seen_addresses", flat=True)
            .first()
            or []
        )
    token.seen_addresses = seen


def _record(token: ApiToken, address: str, *, first: bool) -> None:
    audit_record(
        "token.new_address",
        actor=token.user,
        target=token.user.username,
        details={
            "token": token.name,
            "prefix": token.prefix,
            "address": address,
            "first_use": first,
        },
    )
