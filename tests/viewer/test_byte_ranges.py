"""The viewer reads a Parquet file by byte ranges through the blob store:
its footer and the column chunks of the row groups holding the first 100
rows, never the rest."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pyarrow.parquet as pq
import pytest

from hub.storage.services import blob_store, blob_upload_bytes
from tests.viewer.hostile import footer_of, parquet_bytes
from workers.tabular.runner import inspect_file
from workers.viewer import READ_BLOCK_BYTES, store_source


class CountingStore:
    """The real blob store, with every ranged read it serves written down."""

    def __init__(self) -> None:
        self.store = blob_store()
        self.ranges: list[tuple[int, int]] = []

    def iter_range(
        self, sha256: str, start: int = 0, end: int | None = None
    ) -> Iterator[bytes]:
        self.ranges.append((start, end if end is not None else -1))
        return self.store.iter_range(sha256, start, end)


@pytest.mark.django_db
def test_only_the_footer_and_the_first_row_groups_are_read():
    # ~10 MB in 40 row groups of 25k rows: the first 100 rows are in group 0.
    data = parquet_bytes(1_000_000, row_group_size=25_000, width=1)
    blob = blob_upload_bytes(data=data)
    metadata = pq.read_metadata(io.BytesIO(data))
    assert metadata.num_row_groups == 40
    first = metadata.row_group(0)
    first_end = max(
        first.column(i).data_page_offset + first.column(i).total_compressed_size
        for i in range(first.num_columns)
    )
    footer_start, _ = footer_of(data)
    counting = CountingStore()
    with store_source(blob.sha256, blob.size, store=counting) as source:
        found = inspect_file(source, "parquet").result
    assert found["ok"] and [r["id"] for r in found["rows"]] == list(range(100))
    assert found["num_rows"] == 1_000_000
    read = sum(end - start + 1 for start, end in counting.ranges)
    # Every range is in the first row group or the footer (block-aligned).
    for start, end in counting.ranges:
        in_first = end < first_end + READ_BLOCK_BYTES
        in_footer = start >= footer_start - READ_BLOCK_BYTES
        assert in_first or in_footer, (start, end)
    assert read <= first_end + (len(data) - footer_start) + 2 * READ_BLOCK_BYTES
    assert read < len(data) * 0.1


@pytest.mark.django_db
def test_a_large_row_group_costs_its_first_pages_only():
    """One 20 MB row group: the first rows are read page by page."""
    data = parquet_bytes(1_000_000, row_group_size=1_000_000, width=1)
    blob = blob_upload_bytes(data=data)
    assert pq.read_metadata(io.BytesIO(data)).num_row_groups == 1
    counting = CountingStore()
    with store_source(blob.sha256, blob.size, store=counting) as source:
        found = inspect_file(source, "parquet").result
    assert len(found["rows"]) == 100
    read = sum(end - start + 1 for start, end in counting.ranges)
    assert read < len(data) * 0.25, (read, len(data))
