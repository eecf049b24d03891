"""ONNX models: a bounded protobuf walk and external data kept inside the repo."""

from __future__ import annotations

import pytest

from tests.workers.validators.corpus import (
    onnx_model,
    onnx_tensor,
    pb_bytes,
    pb_varint,
)
from workers.validators.base import BytesSource
from workers.validators.onnx import location_problem, read_onnx
from workers.validators.registry import validate_file


def verdict_of(data: bytes, name: str = "model.onnx"):
    return validate_file(name, BytesSource(data))


def test_model_with_inline_weights_passes():
    model = onnx_model([onnx_tensor("w", [2, 3], raw=bytes(24))])
    verdict = verdict_of(model)
    assert verdict.status == "passed"
    assert verdict.metadata == {
        "format": "onnx",
        "ir_version": 9,
        "opsets": {"ai.onnx": 17},
        "initializers": 1,
        "parameters": 6,
        "producer": "model-commons-tests",
    }


def test_external_data_inside_the_folder_is_listed():
    model = onnx_model(
        [
            onnx_tensor("a", [4], location="weights.bin"),
            onnx_tensor("b", [4], location="./weights.bin"),
            onnx_tensor("c", [4], location="data/more.bin"),
        ]
    )
    verdict = verdict_of(model)
    assert verdict.status == "passed"
    assert verdict.metadata["external_data"] == ["data/more.bin", "weights.bin"]


@pytest.mark.parametrize(
    "location", ["../../../etc/passwd", "/etc/passwd", "C:/secrets.bin", "a\\..\\b"]
)
def test_external_data_outside_the_repo_is_quarantined(location):
    verdict = verdict_of(onnx_model([onnx_tensor("w", [4], location=location)]))
    assert verdict.status == "quarantine"
    assert verdict.codes == ["onnx.external_data_outside"]
    assert verdict.findings[0].details["location"] == location


def test_external_data_hidden_in_a_subgraph_attribute_is_found():
    evil = onnx_tensor("t", [1], location="../x")
    attribute = pb_bytes(1, "value") + pb_bytes(5, evil)
    node = pb_bytes(4, "Constant") + pb_bytes(5, attribute)
    subgraph = pb_bytes(1, node)
    if_attribute = pb_bytes(1, "then_branch") + pb_bytes(6, subgraph)
    outer = pb_bytes(1, pb_bytes(4, "If") + pb_bytes(5, if_attribute))
    model = pb_varint(1, 9) + pb_bytes(7, outer)
    assert verdict_of(model).codes == ["onnx.external_data_outside"]


def test_external_reference_without_location_fails():
    tensor = onnx_tensor("w", [4]) + pb_varint(14, 1)
    assert verdict_of(onnx_model([tensor])).codes == ["onnx.external_data_invalid"]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (onnx_model([onnx_tensor("w", [2], raw=bytes(8))])[:-5], "onnx.invalid"),
        (b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", "onnx.invalid"),
        (b"not a protobuf at all", "onnx.invalid"),
        (pb_varint(1, 9), "onnx.invalid"),  # no graph
        (b"\x0b\x0c", "onnx.invalid"),  # a group (wire type 3)
        (b"", None),
    ],
)
def test_unreadable_model_fails(data, code):
    verdict = verdict_of(data)
    if code is None:
        assert verdict.status == "passed"  # empty files are not validated
        assert verdict.metadata == {"format": "empty"}
        return
    assert verdict.status == "failed"
    assert verdict.codes == [code]


def test_deeply_nested_subgraphs_are_refused():
    graph = b""
    for _ in range(40):
        attribute = pb_bytes(1, "body") + pb_bytes(6, graph)
        graph = pb_bytes(1, pb_bytes(4, "Loop") + pb_bytes(5, attribute))
    model = pb_varint(1, 9) + pb_bytes(7, graph)
    assert verdict_of(model).codes == ["onnx.too_complex"]


def test_location_rules():
    assert location_problem("weights.bin") is None
    assert location_problem("sub/w.bin") is None
    assert location_problem("../w.bin") is not None
    assert location_problem("sub/../../w.bin") is not None
    assert location_problem("\\\\server\\share") is not None


def test_onnx_is_only_chosen_by_extension_and_then_parsed():
    model = onnx_model([onnx_tensor("w", [1], raw=bytes(4))])
    assert read_onnx(BytesSource(model)).initializers == 1
    assert verdict_of(model, "model.bin").status == "quarantine"  # not a pickle
