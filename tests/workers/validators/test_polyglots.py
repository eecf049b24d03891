"""One format must not mask another: every file is checked as every format a
loader would read it as, and a file two readers parse is quarantined.

Each attack is built here byte by byte, proved live where a loader can run
it (in a throw-away process, on a copy), and must be quarantined without
anything being unpickled: the canary its payload would create stays absent.
"""

from __future__ import annotations

import io
import json
import pickle
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors import safe_open
from safetensors.torch import save_file

from tests.workers.validators import corpus
from tests.workers.validators.test_gguf import LLAMA_KVS, LLAMA_TENSORS
from workers.validators.base import BytesSource, FileSource
from workers.validators.registry import validate_file

DANGEROUS = "pickle.dangerous_import"


def torch_zip(data_pkl: bytes | None = None) -> bytes:
    """What torch.save writes, with ``archive/data.pkl`` swapped if given."""
    out = io.BytesIO()
    torch.save({"w": torch.zeros(2)}, out)
    if data_pkl is None:
        return out.getvalue()
    return corpus.replace_member(out.getvalue(), "archive/data.pkl", data_pkl)


def validate_both_ways(tmp_path: Path, name: str, data: bytes):
    """The verdict from memory and from disk (as the worker reads blobs)."""
    path = tmp_path / "upload"
    path.write_bytes(data)
    in_memory = validate_file(name, BytesSource(data))
    with FileSource(path) as source:
        on_disk = validate_file(name, source)
    assert on_disk.as_dict() == in_memory.as_dict()
    return on_disk


def runs_in_a_loader(tmp_path: Path, make, load: str) -> bool:
    """Whether ``load`` (Python code reading the file ``sys.argv[1]``) on the
    bytes ``make(canary)`` creates the canary, in a throw-away process."""
    canary = tmp_path / "proof"
    sample = tmp_path / "sample.bin"
    sample.write_bytes(make(str(canary)))
    subprocess.run(
        [sys.executable, "-I", "-c", f"import sys\n{load}", str(sample)],
        cwd=tmp_path,
        timeout=120,
        capture_output=True,
    )
    return canary.exists()


# --- (a) safetensors that is also a torch zip --------------------------------


def pk_polyglot(canary: str) -> bytes:
    """Valid safetensors whose header length spells PK\\x03\\x04, ending in
    a torch zip whose data.pkl runs posix.system: 64 MiB of header."""
    return corpus.safetensors_around_zip(
        torch_zip(corpus.posix_system(canary)),
        header_length=corpus.PK_HEADER_LENGTH,
    )


def test_pk_polyglot_is_valid_safetensors_and_a_torch_zip(tmp_path):
    """The attack is real: both readers accept the file, and torch.load
    (weights_only=False, as older code and many scripts call it) runs it."""
    path = tmp_path / "model.safetensors"
    path.write_bytes(pk_polyglot("/nonexistent/proof"))
    with safe_open(str(path), "np") as handle:
        assert list(handle.keys()) == ["blob"]
    assert "archive/data.pkl" in zipfile.ZipFile(path).namelist()
    load = "import torch; torch.load(sys.argv[1], weights_only=False)"
    assert runs_in_a_loader(tmp_path, pk_polyglot, load)


def test_pk_polyglot_is_quarantined(tmp_path):
    canary = tmp_path / "canary"
    data = pk_polyglot(str(canary))
    assert data[:4] == b"PK\x03\x04"
    for name in ("model.safetensors", "pytorch_model.bin", "x.dat"):
        verdict = validate_both_ways(tmp_path, name, data)
        assert verdict.status == "quarantine"
        assert verdict.codes[0] == "format.polyglot"
        assert verdict.findings[0].details == {"formats": ["safetensors", "zip"]}
        assert "safetensors and a zip archive" in verdict.findings[0].message
    assert not canary.exists()


# --- a zip appended to a safetensors file, found by its end record ----------


@pytest.mark.parametrize("relocate", [True, False], ids=["absolute", "relative"])
def test_zip_appended_to_safetensors_is_found_by_its_end_record(tmp_path, relocate):
    """No PK at the start: zipfile still opens the archive at the end (with
    offsets either counted from the file's start or from the archive's)."""
    canary = tmp_path / "canary"
    archive = torch_zip(corpus.posix_system(str(canary)))
    data = corpus.safetensors_around_zip(archive, relocate=relocate)
    assert "archive/data.pkl" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    for name in ("model.safetensors", "weights.bin"):
        verdict = validate_both_ways(tmp_path, name, data)
        assert verdict.status == "quarantine"
        assert verdict.codes[0] == "format.polyglot"
    assert not canary.exists()


def test_appended_zip_outside_the_tensor_data_is_refused_by_both(tmp_path):
    """The same zip after the last tensor: trailing bytes to safetensors."""
    clean = corpus.safetensors_bytes({"w": corpus.tensor("F32", [1], 0, 4)}, bytes(4))
    archive = corpus.relocate_zip(torch_zip(corpus.posix_system("/x")), len(clean))
    verdict = validate_file("model.safetensors", BytesSource(clean + archive))
    assert verdict.status == "quarantine"
    assert "safetensors.trailing_bytes" in verdict.codes


# --- (b) and (c): pickles that start like another format ---------------------

NAMES = ["model.safetensors", "model.gguf", "pytorch_model.bin", "weights.dat"]


@pytest.mark.parametrize("name", NAMES)
def test_protocol0_pickle_with_a_brace_at_byte_8_is_quarantined(name, tmp_path):
    canary = tmp_path / "canary"
    data = corpus.protocol0_brace_at_8(str(canary))
    verdict = validate_both_ways(tmp_path, name, data)
    assert verdict.status == "quarantine"
    assert DANGEROUS in verdict.codes  # scanned as the pickle it is
    assert not canary.exists()


@pytest.mark.parametrize("name", NAMES)
def test_pickle_starting_with_gguf_magic_is_quarantined(name, tmp_path):
    canary = tmp_path / "canary"
    data = corpus.gguf_binfloat(str(canary))
    assert data.startswith(b"GGUF")
    verdict = validate_both_ways(tmp_path, name, data)
    assert verdict.status == "quarantine"
    assert DANGEROUS in verdict.codes
    assert "gguf.count_out_of_bounds" in verdict.codes  # and as the GGUF it claims
    assert not canary.exists()


# That both run their payload under pickle.load is proved with the rest of
# the corpus in test_canary.test_payloads_are_live_when_unpickled.


# --- numpy.load(allow_pickle=True) unpickles arrays of objects --------------


def test_npy_of_objects_runs_its_payload_under_numpy_load(tmp_path):
    load = "import numpy; numpy.load(sys.argv[1], allow_pickle=True)"

    def make(canary: str) -> bytes:
        return corpus.npy_of_objects(corpus.posix_system(canary))

    assert runs_in_a_loader(tmp_path, make, load)


@pytest.mark.parametrize("name", ["arrays.npy", "weights.dat", "model.bin"])
def test_npy_of_objects_is_scanned_as_the_pickle_it_holds(name, tmp_path):
    canary = tmp_path / "canary"
    data = corpus.npy_of_objects(corpus.posix_system(str(canary)))
    verdict = validate_both_ways(tmp_path, name, data)
    assert verdict.status == "quarantine"
    assert DANGEROUS in verdict.codes
    archive = corpus.build_zip([corpus.Entry("arrays/a.npy", data, method=8)])
    assert DANGEROUS in validate_file("arrays.npz", BytesSource(archive)).codes
    assert not canary.exists()


def test_arrays_of_numbers_and_clean_objects_are_not_quarantined():
    numbers, objects = io.BytesIO(), io.BytesIO()
    np.save(numbers, np.zeros((3, 4), dtype=[("Offset", "<f4"), ("x", "<i8")]))
    np.save(objects, np.array([{"a": 1}, "x"], dtype=object))
    assert validate_file("a.npy", BytesSource(numbers.getvalue())).status == "passed"
    verdict = validate_file("b.npy", BytesSource(objects.getvalue()))
    assert verdict.status == "warning"
    assert verdict.codes == ["pickle.format"]


# --- (d) no false positives ---------------------------------------------------


def _clean_files(tmp_path: Path) -> dict[str, bytes]:
    path = tmp_path / "lib.safetensors"
    save_file({"a": torch.zeros(3, 5), "b": torch.ones(7)}, str(path))
    arrays = io.BytesIO()
    torch.save(
        {"layer.weight": torch.ones(2, 2), "step": torch.tensor(3, dtype=torch.long)},
        arrays,
    )
    return {
        "model.safetensors": path.read_bytes(),
        "model.gguf": corpus.gguf_bytes(LLAMA_KVS, LLAMA_TENSORS),
        "pytorch_model.bin": arrays.getvalue(),
        "model.onnx": corpus.onnx_model([corpus.onnx_tensor("w", [2], raw=bytes(8))]),
        "legacy.pkl": pickle.dumps({"w": [1.0, 2.0]}, protocol=2),
    }


def test_clean_files_are_not_quarantined(tmp_path):
    for name, data in _clean_files(tmp_path).items():
        verdict = validate_both_ways(tmp_path, name, data)
        assert verdict.status in ("passed", "warning"), (name, verdict.codes)
        assert "format.polyglot" not in verdict.codes


def test_clean_torch_zip_is_read_as_a_zip_only(tmp_path):
    verdict = validate_file("pytorch_model.bin", BytesSource(torch_zip()))
    assert verdict.status == "warning"
    assert verdict.codes == ["pickle.format"]
    assert verdict.metadata["format"] == "pytorch"


@pytest.mark.parametrize("low_byte", range(256))
def test_safetensors_of_any_header_length_is_not_taken_for_a_pickle(low_byte):
    """The first byte of the header length is any opcode: an unpickler dies
    on every one before importing anything, so none is quarantined."""
    header = json.dumps({"w": corpus.tensor("F32", [1], 0, 4)}).encode()
    header += b" " * ((low_byte - len(header)) % 256 + 256)
    data = struct.pack("<Q", len(header)) + header + bytes(4)
    assert data[0] == low_byte
    verdict = validate_file("model.safetensors", BytesSource(data))
    assert verdict.status == "passed", verdict.codes


@pytest.mark.parametrize("count", [1, 40, 256, 300, 1000])
def test_gguf_of_any_tensor_count_is_not_taken_for_a_pickle(count):
    tensors = [(f"t{i}", [32], 0) for i in range(count)]
    data = corpus.gguf_bytes(LLAMA_KVS, tensors)
    verdict = validate_file("model.gguf", BytesSource(data))
    assert verdict.status == "passed", verdict.codes
