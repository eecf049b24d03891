"""What counts as a namespace's stored bytes, and the limits in force."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from hub.accounts.models import NamespaceQuota
from hub.accounts.quotas import namespace_limits
from hub.catalog.quotas import namespace_usage
from hub.core.sizes import parse_size
from hub.env import env_size
from tests.factories import commit_files, make_org, make_repo, make_user, namespace_of

KB = 1000


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("123", 123),
        ("50GB", 50 * 1000**3),
        ("1.5 GiB", 3 * 1024**3 // 2),
        ("10mb", 10 * 1000**2),
        ("2KiB", 2048),
    ],
)
def test_sizes_take_decimal_and_binary_units(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "GB", "10 parsecs", "-5", "1e9", "9" * 30])
def test_a_size_that_is_not_one_is_refused_by_name(text):
    with pytest.raises(ValueError, match="size|disk"):
        parse_size(text)


def test_a_bad_quota_variable_stops_the_start_naming_it(monkeypatch):
    monkeypatch.setenv("HUB_QUOTA_STORAGE_BYTES", "lots")
    with pytest.raises(ImproperlyConfigured, match="HUB_QUOTA_STORAGE_BYTES"):
        env_size("HUB_QUOTA_STORAGE_BYTES")
    monkeypatch.setenv("HUB_QUOTA_STORAGE_BYTES", "")
    assert env_size("HUB_QUOTA_STORAGE_BYTES") is None


def test_stored_bytes_are_each_repos_distinct_files_history_included(db):
    alice = make_user("alice")
    first = make_repo(alice, "first")
    second = make_repo(alice, "second")
    shared = b"s" * (3 * KB)
    commit_files(first, {"a.bin": shared, "copy.bin": shared, "b.bin": b"b" * KB})
    # Replacing b.bin keeps the old one in history: both count.
    commit_files(first, {"b.bin": b"c" * (2 * KB)})
    commit_files(second, {"shared.bin": shared})
    usage = namespace_usage(namespace=namespace_of(alice))
    rows = {r.name: r.stored_bytes for r in usage.repos}
    attributes = rows["alice/second"] - 3 * KB  # the initial .gitattributes
    assert rows["alice/first"] == attributes + 3 * KB + KB + 2 * KB
    assert usage.stored_bytes == sum(rows.values())
    assert usage.repo_count == 2
    # Another namespace's repos are not alice's.
    make_repo(make_user("bob"), "other")
    assert namespace_usage(namespace=namespace_of(alice)).repo_count == 2


def test_usage_is_two_queries_whatever_the_number_of_repos(
    db, django_assert_max_num_queries
):
    org = make_org("acme", creator=make_user("ada"))
    for n in range(6):
        commit_files(make_repo(org, f"m{n}"), {"w.bin": bytes([n]) * 100})
    namespace = namespace_of(org)
    with django_assert_max_num_queries(2):
        usage = namespace_usage(namespace=namespace)
        assert usage.repo_count == 6


def test_limits_are_the_default_unless_staff_set_one(db, settings):
    settings.HUB_QUOTA_STORAGE_BYTES = 10 * KB
    settings.HUB_QUOTA_REPOS = None
    settings.HUB_QUOTA_FILE_BYTES = 5 * KB
    ns = namespace_of(make_user("alice"))
    limits = namespace_limits(namespace=ns)
    assert (limits.storage_bytes, limits.repos, limits.file_bytes) == (
        10 * KB,
        None,
        5 * KB,
    )
    NamespaceQuota.objects.create(namespace=ns, kind="storage", limit=None)
    NamespaceQuota.objects.create(namespace=ns, kind="repos", limit=3)
    limits = namespace_limits(namespace=ns)
    assert (limits.storage_bytes, limits.repos, limits.file_bytes) == (None, 3, 5 * KB)
    assert limits.overridden == {"storage", "repos"}
