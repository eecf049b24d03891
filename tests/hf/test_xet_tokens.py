"""Xet access tokens over HTTP: who gets one, and how long it keeps working.

The token endpoints decide with the hub's own upload and download rules;
the CAS opens the token again on every call, so revocation and lost access
end it at once (issue 15).
"""

from __future__ import annotations

import time

import pytest
import requests
from django.conf import settings
from django.core import signing

from hub.access.services import access_request_decide, license_accept
from hub.accounts.memberships import membership_remove, membership_set
from hub.accounts.models import ApiToken
from hub.accounts.services import token_create, token_revoke
from hub.catalog.models import ModelRepo
from hub.community.xet_tokens import XetGrant, xet_grant_sign
from tests.factories import make_org, make_repo
from tests.trust.helpers import bearer

pytestmark = pytest.mark.django_db(transaction=True)

# A well-formed hash nobody stored: a valid grant gets 404 or 400 for it,
# a refused grant 401 or 403.
NOBODY = "ab" * 32


def token_call(
    hub_url: str,
    secret: str | None,
    repo_id: str,
    kind: str,
    revision: str = "main",
    *,
    create_pr: bool = False,
) -> requests.Response:
    url = f"{hub_url}/api/models/{repo_id}/xet-{kind}-token/{revision}"
    return requests.get(
        url + ("?create_pr=1" if create_pr else ""), headers=bearer(secret), timeout=30
    )


def access_token(hub_url: str, secret: str | None, repo_id: str, kind: str) -> str:
    answer = token_call(hub_url, secret, repo_id, kind)
    assert answer.status_code == 200, answer.text
    return answer.json()["accessToken"]


def cas_read(hub_url: str, access: str) -> requests.Response:
    """A read call: 404 for a valid grant (no such file)."""
    return requests.head(
        f"{hub_url}/xet/v1/files/{NOBODY}", headers=bearer(access), timeout=30
    )


def cas_write(hub_url: str, access: str) -> requests.Response:
    """A write call: 400 for a valid grant (not a xorb; nothing stored)."""
    return requests.post(
        f"{hub_url}/xet/v1/xorbs/default/{NOBODY}",
        data=b"not a xorb",
        headers=bearer(access),
        timeout=30,
    )


def test_owner_gets_a_write_token_with_the_cas_url(hub_url, maya):
    make_repo(maya[0], "weights")
    answer = token_call(hub_url, maya[1], "maya/weights", "write")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["casUrl"] == f"{hub_url}/xet"
    assert answer.headers["X-Xet-Cas-Url"] == body["casUrl"]
    assert answer.headers["X-Xet-Access-Token"] == body["accessToken"]
    assert int(answer.headers["X-Xet-Token-Expiration"]) == body["exp"]
    assert time.time() < body["exp"] <= time.time() + 3600
    assert answer.headers["Cache-Control"] == "no-store"
    assert cas_write(hub_url, body["accessToken"]).status_code == 400
    assert cas_read(hub_url, body["accessToken"]).status_code == 404


def test_token_lifetime_is_at_most_an_hour():
    assert settings.HUB_XET_TOKEN_TTL_SECONDS <= 3600


def test_upload_that_opens_a_pull_request_asks_with_revision_none(hub_url, maya, jun):
    make_repo(maya[0], "open")
    refused = token_call(hub_url, jun[1], "maya/open", "write")
    assert refused.status_code == 403
    assert "pull request" in refused.headers["X-Error-Message"]
    for revision in ("None", "main"):
        answer = token_call(
            hub_url, jun[1], "maya/open", "write", revision, create_pr=True
        )
        assert answer.status_code == 200, answer.text
        assert cas_write(hub_url, answer.json()["accessToken"]).status_code == 400


def test_stranger_gets_nothing_for_a_private_repo(hub_url, maya, jun):
    make_repo(maya[0], "secret", is_private=True)
    for kind in ("read", "write"):
        answer = token_call(hub_url, jun[1], "maya/secret", kind)
        assert answer.status_code == 404
        assert answer.headers["X-Error-Code"] == "RepoNotFound"
    assert token_call(hub_url, None, "maya/secret", "read").status_code == 404


def test_gated_repo_gives_read_tokens_only_after_access(hub_url, maya, jun):
    repo = make_repo(maya[0], "gated")
    ModelRepo.objects.filter(pk=repo.pk).update(gated=ModelRepo.Gated.AUTO)
    before = token_call(hub_url, jun[1], "maya/gated", "read")
    assert before.status_code == 403
    assert before.headers["X-Error-Code"] == "GatedRepo"
    # Anonymous: sign in first (401), as on the HF Hub.
    assert token_call(hub_url, None, "maya/gated", "read").status_code == 401
    license_accept(repo=ModelRepo.objects.get(pk=repo.pk), user=jun[0])
    access = access_token(hub_url, jun[1], "maya/gated", "read")
    assert cas_read(hub_url, access).status_code == 404
    # Access withdrawn: the grant already handed out stops working at once.
    access_request_decide(
        repo=ModelRepo.objects.get(pk=repo.pk),
        actor=maya[0],
        user=jun[0],
        status="rejected",
    )
    refused = cas_read(hub_url, access)
    assert refused.status_code == 401


def test_read_only_api_token_never_gets_a_write_token(hub_url, maya):
    make_repo(maya[0], "mine")
    _, read_secret = token_create(user=maya[0], name="ro", scope="read")
    answer = token_call(hub_url, read_secret, "maya/mine", "write")
    assert answer.status_code == 403
    assert "read-only" in answer.headers["X-Error-Message"]
    pr = token_call(hub_url, read_secret, "maya/mine", "write", create_pr=True)
    assert pr.status_code == 403
    access = access_token(hub_url, read_secret, "maya/mine", "read")
    assert cas_write(hub_url, access).status_code == 403


def test_repo_limited_token_works_on_its_repo_only(hub_url, maya):
    make_repo(maya[0], "allowed")
    make_repo(maya[0], "other")
    make_repo(maya[0], "hidden", is_private=True)
    _, limited = token_create(
        user=maya[0], name="one-repo", scope="write", repo_ids=["maya/allowed"]
    )
    assert token_call(hub_url, limited, "maya/allowed", "write").status_code == 200
    assert token_call(hub_url, limited, "maya/other", "write").status_code == 403
    assert token_call(hub_url, limited, "maya/hidden", "read").status_code == 404
    assert token_call(hub_url, limited, "maya/hidden", "write").status_code == 404


def test_anonymous_reads_public_repos_but_never_writes(hub_url, maya):
    make_repo(maya[0], "public")
    access = access_token(hub_url, None, "maya/public", "read")
    assert cas_read(hub_url, access).status_code == 404
    assert token_call(hub_url, None, "maya/public", "write").status_code == 401


def test_unknown_revision_is_a_404_for_reads(hub_url, maya):
    make_repo(maya[0], "revs")
    answer = token_call(hub_url, maya[1], "maya/revs", "read", "no-such-branch")
    assert answer.status_code == 404
    assert answer.headers["X-Error-Code"] == "RevisionNotFound"


def test_revoking_the_api_token_ends_its_xet_grants_at_once(hub_url, maya):
    make_repo(maya[0], "revoke")
    write = access_token(hub_url, maya[1], "maya/revoke", "write")
    read = access_token(hub_url, maya[1], "maya/revoke", "read")
    assert cas_write(hub_url, write).status_code == 400
    token_revoke(token=ApiToken.objects.get(user=maya[0]))
    refused = cas_write(hub_url, write)
    assert refused.status_code == 401
    assert "no longer valid" in refused.headers["X-Error-Message"]
    assert cas_read(hub_url, read).status_code == 401


def test_removing_a_member_ends_their_write_grant(hub_url, maya, jun):
    org = make_org("lab", creator=maya[0])
    membership_set(organization=org, user=jun[0], role="write")
    make_repo(org, "internal", creator=maya[0], is_private=True)
    write = access_token(hub_url, jun[1], "lab/internal", "write")
    read = access_token(hub_url, jun[1], "lab/internal", "read")
    assert cas_write(hub_url, write).status_code == 400
    membership_remove(organization=org, user=jun[0])
    assert cas_write(hub_url, write).status_code == 401
    assert cas_read(hub_url, read).status_code == 401


def test_deactivated_account_ends_its_grants(hub_url, maya):
    make_repo(maya[0], "inactive")
    read = access_token(hub_url, maya[1], "maya/inactive", "read")
    maya[0].is_active = False
    maya[0].save(update_fields=["is_active"])
    refused = cas_read(hub_url, read)
    assert refused.status_code == 401
    assert "inactive" in refused.headers["X-Error-Message"]


def test_expired_or_forged_grants_are_refused(hub_url, maya):
    repo = make_repo(maya[0], "expiry")
    token = ApiToken.objects.get(user=maya[0])
    grant = XetGrant(
        user_id=maya[0].pk,
        token_id=token.pk,
        repo_id=repo.pk,
        write=True,
        is_pr=False,
        expires_at=int(time.time()) - 1,
    )
    expired = cas_write(hub_url, xet_grant_sign(grant))
    assert expired.status_code == 401
    assert "expired" in expired.headers["X-Error-Message"]
    valid = xet_grant_sign(
        XetGrant(
            user_id=maya[0].pk,
            token_id=token.pk,
            repo_id=repo.pk,
            write=False,
            is_pr=False,
            expires_at=int(time.time()) + 60,
        )
    )
    payload, _, signature = valid.rpartition(":")
    tampered = f"{payload}:{signature[::-1]}"
    other_salt = signing.Signer(salt="hub.storage.uploads.lfs-upload").sign_object(
        {"u": maya[0].pk, "t": token.pk, "r": repo.pk, "w": 1, "p": 0, "e": 2**40}
    )
    for forged in (tampered, other_salt, "", "not-a-token"):
        assert cas_write(hub_url, forged).status_code == 401
    assert cas_read(hub_url, valid).status_code == 404
