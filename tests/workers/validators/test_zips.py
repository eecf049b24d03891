"""Zip checkpoints: strict structure, pickle members scanned, tensors unread."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
import torch

from tests.workers.validators import corpus
from tests.workers.validators.corpus import Entry, build_zip
from workers.validators.base import BytesSource, FileSource
from workers.validators.registry import validate_file
from workers.validators.zips import validate_zip

STATE = corpus.pickle.dumps({"w": 1}, protocol=2)


def torch_zip(tmp_path: Path, obj=None) -> bytes:
    path = tmp_path / "model.pt"
    torch.save({"w": torch.zeros(3)} if obj is None else obj, path)
    return path.read_bytes()


def verdict_of(data: bytes, name: str = "model.pt"):
    return validate_file(name, BytesSource(data))


def test_hand_built_zip_with_a_clean_pickle_is_accepted():
    verdict = verdict_of(build_zip([Entry("archive/data.pkl", STATE)]))
    assert verdict.status == "warning"
    assert verdict.codes == ["pickle.format"]


def test_zip_without_pickles_passes():
    data = build_zip([Entry("a.txt", b"hello"), Entry("b/c.json", b"{}", method=8)])
    verdict = verdict_of(data, "bundle.zip")
    assert verdict.status == "passed"
    assert verdict.metadata == {"format": "zip", "members": 2}


def test_torch_zip_with_malicious_data_pkl_is_quarantined(tmp_path):
    data = corpus.replace_member(
        torch_zip(tmp_path), "model/data.pkl", corpus.posix_system("/nonexistent")
    )
    verdict = verdict_of(data)
    assert verdict.status == "quarantine"
    assert verdict.codes == ["pickle.dangerous_import", "picklescan.dangerous"]
    assert verdict.findings[0].message.startswith(
        "The archive member 'model/data.pkl' imports posix.system"
    )


def test_pickle_hidden_under_another_member_name_is_found():
    data = build_zip([Entry("archive/notes", corpus.builtins_eval("/nonexistent"))])
    verdict = verdict_of(data)
    assert verdict.status == "quarantine"
    assert verdict.codes == ["pickle.dangerous_import", "picklescan.dangerous"]


def test_tensor_members_are_never_read(tmp_path):
    original = torch_zip(tmp_path, {"w": torch.ones(1000), "b": torch.ones(7)})
    archive = zipfile.ZipFile(io.BytesIO(original))
    ranges = []
    for member in ("model/data/0", "model/data/1"):
        info = archive.getinfo(member)
        # torch stores tensors uncompressed; the data follows the local header.
        name_len, extra_len = struct.unpack_from(
            "<HH", original, info.header_offset + 26
        )
        start = info.header_offset + 30 + name_len + extra_len
        ranges.append((start, start + info.file_size))
    reads: list[tuple[int, int]] = []

    class Recording(BytesSource):
        def read_at(self, offset: int, length: int) -> bytes:
            reads.append((offset, length))
            return super().read_at(offset, length)

    verdict = validate_zip(Recording(original))
    assert verdict.status == "warning"
    for start, end in ranges:
        overlap = sum(
            max(0, min(end, offset + length) - max(start, offset))
            for offset, length in reads
        )
        assert overlap == 0


def test_bad_crc_on_a_read_member_is_quarantined(tmp_path):
    # Rewritten by zipfile first: torch's trailing data descriptors repeat
    # the CRC, and this case wants every record to agree on the wrong one.
    rewritten = corpus.replace_member(torch_zip(tmp_path), "model/version", b"3\n")
    data = corpus.corrupt_crc(rewritten, "model/data.pkl")
    verdict = verdict_of(data)
    assert verdict.status == "quarantine"
    assert verdict.codes == ["zip.bad_crc"]


def test_descriptor_disagreeing_with_directory_is_quarantined(tmp_path):
    original = bytearray(torch_zip(tmp_path))
    descriptor = original.index(b"PK\x07\x08")
    original[descriptor + 4] ^= 0xFF  # the CRC in the data descriptor
    verdict = verdict_of(bytes(original))
    assert verdict.codes == ["zip.inconsistent"]


@pytest.mark.parametrize(
    "name",
    ["../../etc/cron.d/evil", "/etc/passwd", "a\\..\\b", "C:/x", "a/./b", "a//b"],
)
def test_unsafe_member_names_are_quarantined(name):
    verdict = verdict_of(build_zip([Entry(name, b"x")]), "bundle.zip")
    assert verdict.status == "quarantine"
    assert verdict.codes == ["zip.unsafe_path"]


def test_symlink_member_is_quarantined():
    link = Entry("archive/data.pkl", b"/etc/passwd", external_attr=0o120777 << 16)
    verdict = verdict_of(build_zip([link]))
    assert verdict.codes == ["zip.symlink"]


@pytest.mark.parametrize("second", ["data.pkl", "DATA.pkl"])
def test_duplicate_member_names_are_quarantined(second):
    data = build_zip([Entry("data.pkl", STATE), Entry(second, STATE)])
    assert verdict_of(data).codes == ["zip.duplicate_name"]


def test_overlapping_members_are_quarantined():
    verdict = verdict_of(corpus.overlapping_zip(), "bundle.zip")
    assert verdict.status == "quarantine"
    assert verdict.codes == ["zip.overlap"]


def test_compression_bomb_is_quarantined_without_inflating():
    data = build_zip([Entry("big.bin", b"\x00" * (20 * 1024 * 1024), method=8)])
    assert len(data) < 100_000
    verdict = verdict_of(data, "bundle.zip")
    assert verdict.codes == ["zip.compression_ratio"]


def test_encrypted_member_is_quarantined():
    data = build_zip([Entry("archive/data.pkl", STATE, flags=0x0801)])
    assert verdict_of(data).codes == ["zip.encrypted"]


def test_unsupported_compression_is_quarantined():
    data = build_zip([Entry("archive/data.pkl", STATE, method=12)])
    assert verdict_of(data).codes == ["zip.unsupported_compression"]


def test_member_outside_the_file_is_quarantined():
    data = build_zip([Entry("archive/data.pkl", STATE, offset=10_000_000)])
    assert verdict_of(data).codes == ["zip.out_of_bounds"]


def test_local_header_with_another_name_is_quarantined():
    data = build_zip([Entry("archive/data.pkl", STATE, local_name="archive/x.pkl")])
    assert verdict_of(data).codes == ["zip.inconsistent"]


def test_bytes_after_the_end_record_are_refused():
    data = build_zip([Entry("a.txt", b"x")], tail=b"junk")
    assert verdict_of(data, "bundle.zip").codes == ["zip.malformed"]


def test_central_directory_count_lie_is_refused():
    data = bytearray(build_zip([Entry("a.txt", b"x")]))
    eocd = data.rindex(b"PK\x05\x06")
    struct.pack_into("<HH", data, eocd + 8, 5, 5)
    assert verdict_of(bytes(data), "bundle.zip").codes == ["zip.malformed"]


def test_truncated_zip_is_refused(tmp_path):
    data = torch_zip(tmp_path)
    verdict = verdict_of(data[: len(data) // 2])
    assert verdict.status == "quarantine"
    assert verdict.codes == ["zip.malformed"]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # torch.jit itself
def test_torchscript_archive_is_quarantined(tmp_path):
    class Doubler(torch.nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x * 2

    path = tmp_path / "scripted.pt"
    torch.jit.save(torch.jit.script(Doubler()), str(path))
    with FileSource(path) as source:
        verdict = validate_file(path.name, source)
    assert verdict.status == "quarantine"
    assert verdict.codes == ["pickle.full_model", "zip.torchscript"]


def test_member_hidden_between_listed_members_is_quarantined():
    hidden = build_zip([Entry("hidden.pkl", corpus.posix_system("/nonexistent"))])
    hidden_local = hidden[: hidden.index(b"PK\x01\x02")]
    listed = build_zip([Entry("a.txt", b"hello")])
    cd = listed.index(b"PK\x01\x02")
    # Slip a local header + data that no central record lists before the
    # table of contents, then fix the end record's offset to match.
    data = bytearray(listed[:cd] + hidden_local + listed[cd:])
    eocd = data.rindex(b"PK\x05\x06")
    struct.pack_into("<I", data, eocd + 16, cd + len(hidden_local))
    verdict = verdict_of(bytes(data), "bundle.zip")
    assert verdict.status == "quarantine"
    assert verdict.codes == ["zip.hidden_data"]


def test_zip64_records_written_by_zipfile_are_understood():
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w") as archive,
        archive.open("archive/data.pkl", "w", force_zip64=True) as member,
    ):
        member.write(corpus.pickle.dumps({"w": 1}, protocol=2))
    verdict = verdict_of(out.getvalue())
    assert verdict.status == "warning"
    assert verdict.codes == ["pickle.format"]
