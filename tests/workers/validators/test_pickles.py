"""Pickle scanning: real checkpoints are accepted with a warning, hostile ones
quarantined with the exact reason, and nothing is ever unpickled."""

from __future__ import annotations

import pickle
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pytest
import torch

from tests.workers.validators import corpus
from workers.validators.base import BytesSource, FileSource
from workers.validators.pickle_policy import (
    ALLOWED_GLOBALS,
    danger_of,
    normalise_global,
)
from workers.validators.pickles import MAX_PICKLE_BYTES, scan_pickle, validate_pickle
from workers.validators.registry import validate_file

CASES = corpus.hostile_pickles("/nonexistent/canary")


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
@pytest.mark.parametrize("name", ["model.pkl", "pytorch_model.bin", "notes.txt"])
def test_hostile_pickle_gets_its_exact_verdict(case, name):
    verdict = validate_file(name, BytesSource(case.data))
    assert verdict.status == case.status
    assert set(verdict.codes) == case.codes


def test_finding_names_the_import_in_plain_words():
    verdict = validate_pickle(BytesSource(corpus.posix_system("/tmp/x")))
    [ours] = [f for f in verdict.findings if f.code == "pickle.dangerous_import"]
    assert ours.severity == "unsafe"
    assert ours.message == (
        "This file imports posix.system (the same as os.system), which can run "
        "commands on the machine that loads this file."
    )
    assert ours.details == {"global": "posix.system", "offset": 2}


def test_pickle_renamed_safetensors_is_quarantined():
    data = pickle.dumps({"w": 1}, protocol=2)[:-1] + corpus.posix_system("/x")[2:]
    verdict = validate_file("model.safetensors", BytesSource(data))
    assert verdict.status == "quarantine"
    assert "pickle.dangerous_import" in verdict.codes


def test_pickle_disguised_with_safetensors_start_is_quarantined():
    data = corpus.safetensors_lookalike_pickle("/nonexistent/canary")
    verdict = validate_file("model.safetensors", BytesSource(data))
    assert verdict.status == "quarantine"
    assert verdict.codes == [
        "safetensors.header_too_large",
        "pickle.dangerous_import",
        "picklescan.dangerous",
    ]


def test_every_stacked_stream_is_scanned():
    benign = pickle.dumps([1, 2], protocol=2)
    scan = scan_pickle(BytesSource(benign * 3 + corpus.not_allowlisted()))
    assert scan.streams == 4
    assert [f.code for f in scan.findings] == ["pickle.global_not_allowed"]


def test_unresolvable_memo_read_is_malformed():
    data = corpus.proto(4) + corpus.binget(7) + corpus.STOP
    verdict = validate_pickle(BytesSource(data))
    assert verdict.status == "quarantine"
    assert verdict.codes == ["pickle.malformed"]
    assert "memo slot 7" in verdict.findings[0].message


def test_stack_underflow_is_malformed():
    verdict = validate_pickle(BytesSource(corpus.proto(2) + corpus.REDUCE))
    assert verdict.codes == ["pickle.malformed"]


def test_unknown_first_opcode_is_malformed():
    verdict = validate_file("weights.bin", BytesSource(b"\xff\xfe garbage"))
    assert verdict.status == "quarantine"
    assert verdict.codes == ["pickle.malformed"]


def test_pickle_over_the_cap_is_refused_not_half_read():
    big = b"\x80\x04\x8e" + (MAX_PICKLE_BYTES + 10).to_bytes(8, "little")
    data = big + b"\x00" * 64

    class Sparse(BytesSource):
        """A source claiming to be larger than the cap without holding it."""

        @property
        def size(self) -> int:
            return MAX_PICKLE_BYTES + 100

    verdict = validate_pickle(Sparse(data))
    assert verdict.status == "quarantine"
    assert verdict.codes == ["pickle.too_large"]


def test_huge_declared_length_does_not_allocate():
    # BINBYTES8 announcing 2**62 bytes in a 20-byte file: a truncation, found
    # without trying to read (or allocate) 2**62 bytes.
    data = b"\x80\x04\x8e" + (2**62).to_bytes(8, "little") + b"abc"
    verdict = validate_pickle(BytesSource(data))
    assert verdict.codes == ["pickle.truncated"]


def test_names_are_normalised_like_the_unpickler():
    assert normalise_global("__builtin__", "set") == ("builtins", "set")
    assert normalise_global("copy_reg", "_reconstructor") == (
        "copyreg",
        "_reconstructor",
    )
    assert normalise_global("commands", "getoutput")[0] == "subprocess"
    assert danger_of("commands", "getoutput") is not None
    assert danger_of("torch.nn.modules.linear", "Linear") is None


def test_allowlist_holds_no_known_danger():
    for module, name in ALLOWED_GLOBALS:
        assert danger_of(module, name) is None, (module, name)
    assert ("builtins", "getattr") not in ALLOWED_GLOBALS
    assert ("importlib", "import_module") not in ALLOWED_GLOBALS


# Real checkpoints, made here with the real libraries ----------------------


def _saved(tmp_path: Path, obj, name: str = "model.pt", **kwargs) -> Path:
    path = tmp_path / name
    torch.save(obj, path, **kwargs)
    return path


def _validate(path: Path):
    with FileSource(path) as source:
        return validate_file(path.name, source)


def test_torch_zip_of_a_tensor_dict_is_accepted_with_a_pickle_warning(tmp_path):
    verdict = _validate(_saved(tmp_path, {"w": torch.zeros(3)}))
    assert verdict.status == "warning"
    assert verdict.codes == ["pickle.format"]
    assert verdict.metadata["format"] == "pytorch"
    assert verdict.metadata["tensor_members"] == 1
    assert verdict.metadata["pickles"] == ["model/data.pkl"]


def test_state_dict_of_a_linear_layer_is_accepted(tmp_path):
    torch.manual_seed(0)
    layer = torch.nn.Linear(4, 2)
    verdict = _validate(_saved(tmp_path, layer.state_dict(), "linear.bin"))
    assert verdict.status == "warning"
    assert verdict.codes == ["pickle.format"]
    assert verdict.metadata["tensor_members"] == 2


def test_checkpoint_with_parameters_dtypes_and_optimizer_state_is_accepted(tmp_path):
    layer = torch.nn.Linear(3, 2)
    checkpoint = {
        "model": layer.state_dict(),
        "param": torch.nn.Parameter(torch.ones(2)),
        "bf16": torch.zeros(2, dtype=torch.bfloat16),
        "f8": torch.zeros(2, dtype=torch.float8_e4m3fn),
        "bool": torch.zeros(2, dtype=torch.bool),
        "size": torch.Size([2, 3]),
        "dtype": torch.float16,
        "optimizer": torch.optim.SGD(layer.parameters(), lr=0.1).state_dict(),
        "epoch": 3,
        "tags": {"a", "b"},
        "blob": b"\x00\x01",
    }
    verdict = _validate(_saved(tmp_path, checkpoint, "ckpt.pth"))
    assert verdict.status == "warning"
    assert verdict.codes == ["pickle.format"]


def test_legacy_torch_format_is_scanned_and_warned(tmp_path):
    path = _saved(
        tmp_path,
        {"w": torch.arange(4.0)},
        "old.bin",
        _use_new_zipfile_serialization=False,
    )
    verdict = _validate(path)
    assert verdict.status == "warning"
    assert verdict.codes == ["pickle.format", "pickle.legacy_torch"]
    assert verdict.metadata["streams"] == 5
    assert verdict.metadata["format"] == "pytorch-legacy"


def test_whole_module_pickle_is_quarantined_with_advice(tmp_path):
    verdict = _validate(_saved(tmp_path, torch.nn.Linear(2, 2)))
    assert verdict.status == "quarantine"
    assert verdict.codes == ["pickle.full_model"]
    assert "state_dict" in verdict.findings[0].message
    assert "torch.nn.modules.linear.Linear" in verdict.findings[0].message


@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_numpy_array_pickle_is_accepted(protocol):
    data = pickle.dumps(
        {"w": np.arange(6, dtype=np.float32).reshape(2, 3), "s": np.float32(1)},
        protocol=protocol,
    )
    verdict = validate_file("weights.pkl", BytesSource(data))
    assert verdict.status == "warning"
    assert verdict.codes == ["pickle.format"]


def test_ordered_dict_pickle_protocol_0_is_accepted():
    data = pickle.dumps(OrderedDict(a=1, b=[1.5, "x"]), protocol=0)
    verdict = validate_file("state.pkl", BytesSource(data))
    assert verdict.status == "warning"
    assert verdict.codes == ["pickle.format"]
    assert verdict.metadata["imports"] == ["collections.OrderedDict"]


def test_legacy_torch_file_cut_after_its_magic_is_refused():
    magic = pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2)
    verdict = validate_file(
        "old.bin", BytesSource(magic + pickle.dumps(1001, protocol=2))
    )
    assert verdict.status == "quarantine"
    assert verdict.codes == ["pickle.truncated", "pickle.legacy_torch"]
