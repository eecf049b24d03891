"""Routing by content, verdict composition and versions, bounded sources."""

from __future__ import annotations

import io
import json
import pickle
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.workers.validators import corpus
from workers.validators import (
    registry,
    safetensors,
    validate_file,
    validators_for,
    version_for,
)
from workers.validators.base import (
    MAX_FINDINGS,
    BytesSource,
    FileSource,
    Finding,
    make_verdict,
    read_exact,
)
from workers.validators.registry import REGISTRY_VERSION
from workers.validators.sniff import sniff

SAFETENSORS = corpus.safetensors_bytes({"a": corpus.tensor("F32", [1], 0, 4)}, bytes(4))
GGUF = corpus.gguf_bytes([], [("w", [4], 0)])


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.txt", "x")
    return out.getvalue()


def _tar() -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        info = tarfile.TarInfo("pickle")
        payload = pickle.dumps({"a": 1})
        info.size = len(payload)
        archive.addfile(info, io.BytesIO(payload))
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "path", "route"),
    [
        (SAFETENSORS, "weights.bin", "safetensors"),
        (_zip(), "model.safetensors", "safetensors+zip"),
        (_zip(), "archive", "zip"),
        (GGUF, "x.txt", "gguf"),
        (pickle.dumps([1], protocol=4), "model.safetensors", "safetensors+pickle"),
        (pickle.dumps([1], protocol=0), "readme.md", "pickle"),
        (corpus.os_system_protocol0("/x"), "notes.txt", "pickle"),
        (_tar(), "model.pt", "tar"),
        (b"# Model card\nSome text.\n", "README.md", "text"),
        (b"\x00\x01\x02\x03" * 10, "blob.joblib", "pickle"),
        (b"\x00\x01\x02\x03" * 10, "blob.raw", "unknown"),
        (b"{}", "model.onnx", "onnx"),
        (b"", "model.bin", "empty"),
        (corpus.npy_of_objects(pickle.dumps([1])), "x.bin", "npy"),
    ],
)
def test_sniff_lists_every_reader_that_claims_the_file(data, path, route):
    assert sniff(BytesSource(data), path).route == route


def test_text_that_merely_starts_like_an_opcode_is_text():
    for text in (b"copyright 2024\nAll rights\n", b"(see below)\n", b"Notes\n"):
        assert sniff(BytesSource(text), "NOTES").route == "text"


def test_verdict_status_follows_the_worst_finding():
    info = Finding("info", "x.info", "i")
    warning = Finding("warning", "x.warning", "w")
    error = Finding("error", "x.error", "e")
    unsafe = Finding("unsafe", "x.unsafe", "u")
    assert make_verdict([]).status == "passed"
    assert make_verdict([info]).status == "passed"
    assert make_verdict([info, warning]).status == "warning"
    assert make_verdict([warning, error]).status == "failed"
    assert make_verdict([error, unsafe, warning]).status == "quarantine"


def test_findings_are_capped_but_status_keeps_the_worst():
    findings = [Finding("warning", "x.w", str(i)) for i in range(100)]
    findings.append(Finding("unsafe", "x.u", "u"))
    verdict = make_verdict(findings)
    assert verdict.status == "quarantine"
    assert len(verdict.findings) == MAX_FINDINGS
    assert verdict.findings[0].code == "x.u"
    assert verdict.findings[-1].code == "findings.truncated"


def test_verdicts_are_json_serialisable(tmp_path: Path):
    for data, name in [
        (SAFETENSORS, "m.safetensors"),
        (GGUF, "m.gguf"),
        (corpus.posix_system("/x"), "m.bin"),
        (_zip(), "m.zip"),
    ]:
        verdict = validate_file(name, BytesSource(data))
        assert json.loads(json.dumps(verdict.as_dict()))["status"] == verdict.status


@pytest.mark.parametrize(
    ("data", "path", "route"),
    [
        (SAFETENSORS, "m.safetensors", "safetensors"),
        (GGUF, "m.gguf", "gguf"),
        (b"hello\n", "README.md", "text"),
        (b"", "empty.bin", "empty"),
    ],
)
def test_version_names_the_route_and_the_validators(data, path, route):
    source = BytesSource(data)
    version = version_for(path, source)
    assert version.startswith(f"{route}/r{REGISTRY_VERSION}.")
    assert validate_file(path, source).validator_version == version


def test_a_new_validator_version_is_a_new_verdict_version(monkeypatch):
    """Cached verdicts of an older validator are never reused."""
    before = version_for("m.safetensors", BytesSource(SAFETENSORS))
    monkeypatch.setattr(registry, "_SUITE", registry._SUITE + "|safetensors=99")
    assert version_for("m.safetensors", BytesSource(SAFETENSORS)) != before


def test_versions_fit_the_database_column():
    samples = [SAFETENSORS, GGUF, _zip(), _tar(), pickle.dumps(1), b"text", b""]
    for data in samples:
        for path in ("m.bin", "m.onnx", "m.safetensors", "m.txt"):
            assert len(version_for(path, BytesSource(data))) <= 32


def test_same_bytes_under_another_name_get_another_version():
    data = b"\x00\x01\x02\x03" * 10
    assert version_for("x.bin", BytesSource(data)) != version_for(
        "x.raw", BytesSource(data)
    )
    assert validate_file("x.bin", BytesSource(data)).status == "quarantine"
    assert validate_file("x.raw", BytesSource(data)).status == "passed"
    # A tar is a checkpoint torch.load unpickles under one name, not another.
    assert version_for("model.pt", BytesSource(_tar())) != version_for(
        "data.tar", BytesSource(_tar())
    )


def test_validators_for_lists_name_version_and_callable():
    [(name, version, validator)] = validators_for(
        "m.safetensors", BytesSource(SAFETENSORS)
    )
    assert (name, version) == ("safetensors", safetensors.VALIDATOR_VERSION)
    assert validator(BytesSource(SAFETENSORS), "m.safetensors").status == "passed"
    assert validators_for("README.md", BytesSource(b"hi")) == []


def test_tar_with_a_checkpoint_name_is_quarantined():
    assert validate_file("model.pt", BytesSource(_tar())).codes == [
        "archive.tar_checkpoint"
    ]
    assert validate_file("data.tar", BytesSource(_tar())).status == "warning"


def _torch_legacy_tar(*, pax: bool = False) -> bytes:
    member = "storages"
    out = io.BytesIO()
    fmt = tarfile.PAX_FORMAT if pax else tarfile.USTAR_FORMAT
    with tarfile.open(fileobj=out, mode="w", format=fmt) as archive:
        for name in ("sys_info", member, "tensors", "pickle"):
            payload = corpus.posix_system("/nonexistent")
            info = tarfile.TarInfo("decoy" if pax and name == member else name)
            if pax and name == member:
                info.pax_headers = {"path": member}  # the name readers use
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
    data = out.getvalue()
    with tarfile.open(fileobj=io.BytesIO(data)) as check:
        assert check.getmember("storages")  # as torch.load looks it up
    return data


@pytest.mark.parametrize(
    "data",
    [
        _torch_legacy_tar(),
        _torch_legacy_tar(pax=True),
    ],
    ids=["plain", "pax"],
)
def test_tar_laid_out_as_a_torch_checkpoint_is_quarantined_under_any_name(data):
    """torch.load unpickles its "storages" member whatever the file is called."""
    verdict = validate_file("archive.tar", BytesSource(data))
    assert verdict.status == "quarantine"
    assert verdict.codes == ["archive.tar_checkpoint"]
    assert "'storages' member" in verdict.findings[0].message


def test_file_source_reads_bounded_ranges(tmp_path: Path):
    path = tmp_path / "f"
    path.write_bytes(b"0123456789")
    with FileSource(path) as source:
        assert source.size == 10
        assert source.read_at(2, 3) == b"234"
        assert source.read_at(8, 100) == b"89"
        assert source.read_at(20, 5) == b""
        assert read_exact(source, 8, 3) is None
        assert read_exact(source, 7, 3) == b"789"
        with pytest.raises(ValueError):
            source.read_at(-1, 2)
