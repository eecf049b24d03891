"""The canary: every malicious sample would create a file if it were ever
unpickled. Validating the whole corpus must leave that file absent.

A second test proves the payloads are real: loaded on purpose with
``pickle.load`` in a separate, throw-away Python process, each live sample
does create its own canary. Without that check a broken payload would make
the first test pass for nothing.
"""

from __future__ import annotations

import _pickle
import pickle
import struct
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from tests.workers.validators import corpus
from workers.validators.base import BytesSource, FileSource
from workers.validators.registry import validate_file


def legacy_torch_with_payload(canary: str) -> bytes:
    """The pre-1.6 torch layout: magic, version, sys_info, payload, keys."""
    return (
        pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2)
        + pickle.dumps(1001, protocol=2)
        + pickle.dumps({"protocol_version": 1001}, protocol=2)
        + corpus.posix_system(canary)
        + pickle.dumps([], protocol=2)
    )


def malicious_files(canary: str, tmp_path: Path) -> dict[str, bytes]:
    samples: dict[str, bytes] = {}
    for case in corpus.hostile_pickles(canary):
        if case.is_live:
            samples[f"{case.name}.pkl"] = case.data
            samples[f"{case.name}/pytorch_model.bin"] = case.data
            samples[f"{case.name}/model.safetensors"] = case.data
    checkpoint = tmp_path / "real.pt"
    torch.save({"w": torch.zeros(2)}, checkpoint)
    samples["torch_zip_payload.pt"] = corpus.replace_member(
        checkpoint.read_bytes(), "real/data.pkl", corpus.subprocess_call(canary)
    )
    samples["zip_hidden_member.zip"] = corpus.build_zip(
        [corpus.Entry("archive/extra", corpus.builtins_eval(canary), method=8)]
    )
    hidden = corpus.build_zip([corpus.Entry("x.pkl", corpus.posix_system(canary))])
    listed = corpus.build_zip([corpus.Entry("a.txt", b"a")])
    cd = listed.index(b"PK\x01\x02")
    local = hidden[: hidden.index(b"PK\x01\x02")]
    unlisted = bytearray(listed[:cd] + local + listed[cd:])
    struct.pack_into(
        "<I", unlisted, unlisted.rindex(b"PK\x05\x06") + 16, cd + len(local)
    )
    samples["zip_unlisted_member.zip"] = bytes(unlisted)
    samples["lookalike.safetensors"] = corpus.safetensors_lookalike_pickle(canary)
    samples["objects.npy"] = corpus.npy_of_objects(corpus.posix_system(canary))
    samples["arrays.npz"] = corpus.build_zip(
        [corpus.Entry("a.npy", samples["objects.npy"], method=8)]
    )
    samples["polyglot.safetensors"] = corpus.safetensors_around_zip(
        corpus.replace_member(
            checkpoint.read_bytes(), "real/data.pkl", corpus.posix_system(canary)
        )
    )
    samples["legacy.bin"] = legacy_torch_with_payload(canary)
    return samples


def _refuse(*args, **kwargs):
    raise AssertionError("a validator tried to unpickle something")


def test_validating_the_corpus_never_unpickles(tmp_path, monkeypatch):
    canary = tmp_path / "canary"
    samples = malicious_files(str(canary), tmp_path)
    for module in (pickle, _pickle):
        for name in ("load", "loads", "Unpickler"):
            monkeypatch.setattr(module, name, _refuse)
    monkeypatch.setattr(pickle, "_Unpickler", _refuse)
    folder = tmp_path / "uploads"
    for name, data in samples.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        for verdict in (
            validate_file(name, BytesSource(data)),
            validate_file(name, FileSource(path)),
        ):
            assert verdict.status == "quarantine", (name, verdict.codes)
    assert len(samples) >= 30
    assert not canary.exists()


LOADER = """
import io, pickle, sys
data = open(sys.argv[1], "rb").read()
stream = io.BytesIO(data)
try:
    while stream.tell() < len(data):  # every stacked stream, as a loop would
        pickle.load(stream)
except Exception:
    pass
"""


@pytest.mark.parametrize(
    "case",
    [case for case in corpus.hostile_pickles("") if case.is_live],
    ids=lambda case: case.name,
)
def test_payloads_are_live_when_unpickled(case, tmp_path):
    canary = tmp_path / "proof"
    [live] = [c for c in corpus.hostile_pickles(str(canary)) if c.name == case.name]
    sample = tmp_path / "sample.pkl"
    sample.write_bytes(live.data)
    subprocess.run(
        [sys.executable, "-I", "-c", LOADER, str(sample)],
        cwd=tmp_path,
        timeout=60,
        check=True,
        capture_output=True,
    )
    assert canary.exists(), f"{case.name} is not a working payload"
