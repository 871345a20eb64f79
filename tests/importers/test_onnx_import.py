"""ONNX models exported by torch.onnx (legacy exporter) and built by hand, against their outputs."""

from __future__ import annotations

import warnings

import numpy as np
import onnx
import pytest
import torch
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator
from torch_cases import CASES, STEPS, SeqHead, batch_major, example_input, torch_outputs

from edgernn.errors import ModelFileError
from edgernn.importers import ModelImportError, load
from edgernn.reference import run_reference

TOLERANCE = 1e-5


def export(module: torch.nn.Module, shape: tuple[int, ...], vocabulary: int, path) -> None:
    """torch.onnx.export with the TorchScript-based exporter (no onnxscript needed)."""
    xs = torch.from_numpy(example_input(shape, vocabulary))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, (xs,), str(path), dynamo=False)


@pytest.mark.parametrize("case", sorted(CASES))
def test_exported_module_matches_golden_model(case: str, tmp_path, record_property) -> None:
    build, shape, vocabulary = CASES[case]
    module = build()
    path = tmp_path / f"{case}.onnx"
    export(module, shape, vocabulary, path)
    graph = load(path)
    time_major = module.rnn.batch_first is False if hasattr(module, "rnn") else False
    xs = example_input(shape, vocabulary, seed=11)
    expected = torch_outputs(module, xs)
    got = run_reference(graph, batch_major(xs, time_major))
    expected = expected if got.ndim == 2 else batch_major(expected, time_major)
    diff = float(np.max(np.abs(got - expected)))
    record_property("max_abs_diff", diff)
    assert graph.name == case and graph.sequence_length == STEPS
    assert graph.metadata["imported_from"]["check_max_abs_error"] <= TOLERANCE
    assert got.shape == expected.shape
    assert diff <= TOLERANCE, diff


def _gru_model(linear_before_reset: int, hidden: int = 6, features: int = 4, steps: int = 9,
               peepholes: bool = False, op: str = "GRU", extra_node: str | None = None):
    """A hand-built ONNX model: X (steps, 1, features) -> op -> Squeeze -> MatMul -> Add."""
    rng = np.random.default_rng(linear_before_reset)
    gates = {"GRU": 3, "LSTM": 4}[op]
    inits = [
        numpy_helper.from_array(rng.uniform(-0.5, 0.5, (1, gates * hidden, features)).astype(np.float32), "W"),
        numpy_helper.from_array(rng.uniform(-0.5, 0.5, (1, gates * hidden, hidden)).astype(np.float32), "R"),
        numpy_helper.from_array(rng.uniform(-0.5, 0.5, (1, 2 * gates * hidden)).astype(np.float32), "B"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"),
        numpy_helper.from_array(rng.uniform(-0.5, 0.5, (hidden, 3)).astype(np.float32), "Wd"),
        numpy_helper.from_array(rng.uniform(-0.5, 0.5, (3,)).astype(np.float32), "bd"),
    ]
    inputs = ["X", "W", "R", "B"]
    attrs = {"hidden_size": hidden}
    if op == "GRU":
        attrs["linear_before_reset"] = linear_before_reset
    if peepholes:
        inits.append(numpy_helper.from_array(rng.uniform(-0.5, 0.5, (1, 3 * hidden)).astype(np.float32), "P"))
        inputs += ["", "", "", "P"]
    nodes = [
        helper.make_node(op, inputs, ["Y"], name="rnn", **attrs),
        helper.make_node("Squeeze", ["Y", "axis1"], ["Ys"], name="squeeze"),
        helper.make_node("MatMul", ["Ys", "Wd"], ["Z"], name="dense"),
        helper.make_node("Add", ["Z", "bd"], ["out" if extra_node is None else "Zb"], name="bias"),
    ]
    if extra_node is not None:
        nodes.append(helper.make_node(extra_node, ["Zb"], ["out"], name="extra"))
    graph = helper.make_graph(
        nodes, "hand_built",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [steps, 1, features])],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, [steps, 1, 3])],
        inits,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


@pytest.mark.parametrize("linear_before_reset", [0, 1])
def test_gru_both_reset_forms_match_onnx_reference(linear_before_reset: int, tmp_path,
                                                   record_property) -> None:
    model = _gru_model(linear_before_reset)
    path = tmp_path / "gru.onnx"
    onnx.save(model, path)
    graph = load(path)
    assert graph.nodes[0].attrs["reset_after"] is bool(linear_before_reset)
    xs = np.random.default_rng(3).uniform(-1, 1, (9, 1, 4)).astype(np.float32)
    expected = ReferenceEvaluator(model).run(None, {"X": xs})[0]
    got = run_reference(graph, np.swapaxes(xs, 0, 1))
    diff = float(np.max(np.abs(got - np.swapaxes(expected, 0, 1))))
    record_property("max_abs_diff", diff)
    assert diff <= TOLERANCE, diff


def test_computed_peepholes_and_unknown_operators_are_listed_in_one_message(tmp_path) -> None:
    path = tmp_path / "peep.onnx"
    model = _gru_model(0, op="LSTM", peepholes=True, extra_node="Elu")
    # P computed at run time (Identity of the initializer): not a constant initializer
    model.graph.node.insert(0, helper.make_node("Identity", ["P"], ["P2"], name="p_copy"))
    rnn = next(n for n in model.graph.node if n.op_type == "LSTM")
    rnn.input[7] = "P2"
    onnx.save(model, path)
    with pytest.raises(ModelImportError) as info:
        load(path)
    message = str(info.value)
    assert message.startswith("peep.onnx: cannot import 2 unsupported items: ")
    assert "(LSTM): peepholes (input P) that are not a constant initializer" in message
    assert "(Elu): operator Elu not supported" in message
    assert "Supported: RNN (Tanh), LSTM (peepholes too), GRU" in message


def test_custom_domain_operator_in_an_exported_model(tmp_path) -> None:
    build, shape, vocabulary = CASES["lstm_seq_relu"]
    path = tmp_path / "custom.onnx"
    export(build(), shape, vocabulary, path)
    model = onnx.load(path)
    relu = next(n for n in model.graph.node if n.op_type == "Relu")
    relu.op_type, relu.domain = "FancyActivation", "com.example"
    model.opset_import.append(helper.make_opsetid("com.example", 1))
    onnx.save(model, path)
    with pytest.raises(ModelImportError, match=r"\(FancyActivation\): operator FancyActivation from "
                       r"domain com.example not supported"):
        load(path)


def test_truncated_and_garbage_files(tmp_path) -> None:
    build, shape, vocabulary = CASES["rnn_seq"]
    path = tmp_path / "good.onnx"
    export(build(), shape, vocabulary, path)
    truncated = tmp_path / "truncated.onnx"
    truncated.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ModelFileError, match="truncated.onnx: (not a readable ONNX model, corrupt "
                       "or truncated|invalid ONNX model|the ONNX graph has no nodes)"):
        load(truncated)
    garbage = tmp_path / "garbage.onnx"
    garbage.write_bytes(b"\xff" * 64)
    with pytest.raises(ModelFileError, match="garbage.onnx: not a readable ONNX model"):
        load(garbage)


def _lstm_model(direction: str, peepholes: bool, hidden: int = 5, features: int = 3,
                steps: int = 8):
    """A hand-built ONNX LSTM (input P when ``peepholes``), its Y merged into the features
    (Transpose + Reshape, as torch.onnx writes a bidirectional one), then MatMul + Add."""
    rng = np.random.default_rng(17)
    dirs = 2 if direction == "bidirectional" else 1
    def arr(shape):  # noqa: E306
        return rng.uniform(-0.5, 0.5, shape).astype(np.float32)
    inits = [
        numpy_helper.from_array(arr((dirs, 4 * hidden, features)), "W"),
        numpy_helper.from_array(arr((dirs, 4 * hidden, hidden)), "R"),
        numpy_helper.from_array(arr((dirs, 8 * hidden)), "B"),
        numpy_helper.from_array(np.array([0, 0, -1], dtype=np.int64), "shape"),
        numpy_helper.from_array(arr((dirs * hidden, 2)), "Wd"),
        numpy_helper.from_array(arr((2,)), "bd"),
    ]
    inputs = ["X", "W", "R", "B"]
    if peepholes:
        inits.append(numpy_helper.from_array(arr((dirs, 3 * hidden)), "P"))
        inputs += ["", "", "", "P"]
    nodes = [
        helper.make_node("LSTM", inputs, ["Y"], name="rnn", hidden_size=hidden,
                         direction=direction),
        helper.make_node("Transpose", ["Y"], ["Yt"], name="transpose", perm=[0, 2, 1, 3]),
        helper.make_node("Reshape", ["Yt", "shape"], ["Ys"], name="reshape"),
        helper.make_node("MatMul", ["Ys", "Wd"], ["Z"], name="dense"),
        helper.make_node("Add", ["Z", "bd"], ["out"], name="bias"),
    ]
    graph = helper.make_graph(
        nodes, "hand_built_lstm",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [steps, 1, features])],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, [steps, 1, 2])],
        inits,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


@pytest.mark.parametrize(("direction", "peepholes"),
                         [("forward", True), ("bidirectional", False), ("bidirectional", True)])
def test_lstm_peepholes_and_bidirectional_match_onnx_reference(direction: str, peepholes: bool,
                                                               tmp_path) -> None:
    model = _lstm_model(direction, peepholes)
    path = tmp_path / "lstm.onnx"
    onnx.save(model, path)
    graph = load(path)
    node = graph.nodes[0]
    inner = node.attrs["layer"]["kind"] if node.kind == "bidirectional" else node.kind
    assert (node.kind == "bidirectional") is (direction == "bidirectional")
    assert inner == ("lstmp" if peepholes else "lstm")
    xs = np.random.default_rng(3).uniform(-1, 1, (8, 1, 3)).astype(np.float32)
    expected = ReferenceEvaluator(model).run(None, {"X": xs})[0]
    got = run_reference(graph, np.swapaxes(xs, 0, 1))
    assert float(np.max(np.abs(got - np.swapaxes(expected, 0, 1)))) <= TOLERANCE


def test_bidirectional_export_matches_torch(tmp_path) -> None:
    torch.manual_seed(3)
    module = SeqHead(torch.nn.GRU(4, 5, bidirectional=True, batch_first=True),
                     torch.nn.Linear(10, 2)).eval()
    path = tmp_path / "bi.onnx"
    export(module, (1, 6, 4), 0, path)
    graph = load(path)
    assert graph.nodes[0].kind == "bidirectional"
    xs = example_input((2, 6, 4), 0, seed=5)
    got = run_reference(graph, xs)
    assert float(np.max(np.abs(got - torch_outputs(module, xs)))) <= TOLERANCE


def test_reversed_direction_is_refused(tmp_path) -> None:
    model = _lstm_model("reverse", False)
    path = tmp_path / "rev.onnx"
    onnx.save(model, path)
    with pytest.raises(ModelImportError, match="direction=reverse"):
        load(path)
