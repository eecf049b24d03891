"""Parameter counts for pages: from the stored verdict, else from the header."""

from __future__ import annotations

import json
import struct

import pytest

from hub.jobs.models import BlobVerdict
from hub.jobs.selectors.weights import (
    blobs_safetensors_parameters,
    commit_safetensors_parameters,
)
from tests.factories import commit_files, make_repo

pytestmark = pytest.mark.django_db


def safetensors_bytes(elements: int) -> bytes:
    header = json.dumps(
        {"w": {"dtype": "F32", "shape": [elements], "data_offsets": [0, 4 * elements]}}
    ).encode()
    return struct.pack("<Q", len(header)) + header + b"\0" * (4 * elements)


@pytest.fixture
def commit(owner):
    repo = make_repo(owner, "weights")
    return commit_files(
        repo,
        {"model.safetensors": safetensors_bytes(6), "sub/other.safetensors": b"x"},
        author=owner,
    )


def test_counts_come_from_the_header_until_the_checks_finish(commit):
    assert commit_safetensors_parameters(commit=commit) == {"F32": 6}


def test_a_stored_verdict_answers_without_reading_the_file(commit):
    entry = commit.entries.get(path="model.safetensors")
    BlobVerdict.objects.create(
        blob_id=entry.blob_id,
        validator_version="safetensors/test",
        verdict="passed",
        metadata={"format": "safetensors", "parameters": {"BF16": 7, "F32": 1}},
    )
    assert commit_safetensors_parameters(commit=commit) == {"BF16": 7, "F32": 1}


def test_a_verdict_without_counts_means_unreadable(commit):
    entry = commit.entries.get(path="model.safetensors")
    BlobVerdict.objects.create(
        blob_id=entry.blob_id,
        validator_version="safetensors/test",
        verdict="quarantine",
        metadata={"format": "safetensors"},
    )
    assert commit_safetensors_parameters(commit=commit) is None
    assert blobs_safetensors_parameters(blobs=[(entry.blob_id, entry.size)]) == {
        entry.blob_id: None
    }


def test_a_header_that_breaks_the_format_has_no_counts(commit):
    entry = commit.entries.get(path="sub/other.safetensors")
    assert blobs_safetensors_parameters(blobs=[(entry.blob_id, entry.size)]) == {
        entry.blob_id: None
    }
