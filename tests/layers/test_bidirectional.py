"""The bidirectional wrapper (IR kind ``bidirectional``) over every recurrent kind.

PyTorch vs the golden model within 1e-5, golden vs host C float32 within 1e-5, integer golden
vs host C bit-exact (int8, int16x8), Keras' ``return_sequences: false`` semantics, the streaming
API's status code, and clear refusals.
"""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from edgernn.codegen import render_c
from edgernn.errors import QuantizationError, VerificationError
from edgernn.ir import build_graph, load_graph, save_graph
from edgernn.ir.bidirectional import direction_node
from edgernn.nn import TorchModel, graph_from_torch
from edgernn.quant import quantize
from edgernn.reference import ReferenceModel, run_reference
from edgernn.reference.cells import CELLS
from edgernn.spec.schema import ModelSpec
from edgernn.targets import build_host, check_on_host, random_inputs

INNER = {
    "rnn": {"type": "rnn", "units": 5},
    "lstm": {"type": "lstm", "units": 6},
    "gru": {"type": "gru", "units": 7},
    "gru_reset_before": {"type": "gru", "units": 4, "reset_after": False},
    "lstmp": {"type": "lstm", "units": 8, "peephole": "diagonal", "projection": 5},
    # qrnn and sru run window 1 inside the wrapper (the spec's default there)
    "qrnn": {"type": "qrnn", "units": 6},
    "qrnn_k3": {"type": "qrnn", "units": 5, "kernel_size": 3},
    "sru": {"type": "sru", "units": 4},  # 4 inputs: the highway adds x
    "sru_proj": {"type": "sru", "units": 6},  # 4 inputs: the projected highway W_hw x
}
#: wrapped kinds without an int16x8 quantizer (int8 only; test_qrnn_sru.py checks the refusal)
INT8_ONLY = ("qrnn", "qrnn_k3", "sru", "sru_proj")

STACKS: dict[str, dict] = {
    # the brief's stack: bidirectional GRU -> LSTM -> dense
    "bigru_lstm_dense": {
        "input": {"features": 4},
        "layers": [
            {"type": "bidirectional", "layer": {"type": "gru", "units": 6}},
            {"type": "lstm", "units": 5},
            {"type": "dense", "units": 3, "activation": "linear"},
        ],
    },
    "rnn_bilstm_last_softmax": {
        "input": {"features": 3},
        "layers": [
            {"type": "rnn", "units": 5},
            {"type": "bidirectional",
             "layer": {"type": "lstm", "units": 6, "return_sequences": False}},
            {"type": "dense", "units": 4, "activation": "softmax"},
        ],
    },
    "tokens_bilstmp_bigru": {
        "input": {"vocabulary": 9, "embedding": 4},
        "layers": [
            {"type": "bidirectional",
             "layer": {"type": "lstm", "units": 7, "peephole": "full", "projection": 3}},
            {"type": "bidirectional",
             "layer": {"type": "gru", "units": 5, "return_sequences": False}},
        ],
    },
}


def _graph(layers: list[dict], name: str = "bi", features: dict | None = None):
    spec = ModelSpec.model_validate({
        "name": name, "input": features or {"features": 4}, "sequence_length": 7,
        "layers": layers,
    })
    return build_graph(spec, seed=6, random_biases=True)


def wrapped(inner: str, merge: str = "concat", return_sequences: bool = True):
    """bidirectional(inner) -> dense."""
    layer = {**INNER[inner], "return_sequences": return_sequences}
    return _graph([{"type": "bidirectional", "layer": layer, "merge": merge},
                   {"type": "dense", "units": 3, "activation": "linear"}])


def stack(name: str):
    """One of :data:`STACKS`."""
    return _graph(STACKS[name]["layers"], name, STACKS[name]["input"])


CASES = [(i, m, r) for i in sorted(INNER) for m in ("concat", "sum") for r in (True, False)]


@pytest.mark.parametrize(("inner", "merge", "seqs"), CASES)
def test_torch_matches_golden(inner: str, merge: str, seqs: bool) -> None:
    graph = wrapped(inner, merge, seqs)
    x = random_inputs(graph, 3, seed=0)
    got, want = TorchModel(graph).predict(x), run_reference(graph, x)
    assert got.shape == want.shape
    assert np.max(np.abs(got - want)) <= 1e-5
    again = graph_from_torch(TorchModel(graph), graph)
    for k in graph.nodes[0].weights:
        np.testing.assert_array_equal(graph.nodes[0].w(k), again.nodes[0].w(k))


@pytest.mark.parametrize("inner", sorted(INNER))
def test_golden_is_forward_plus_reversed_backward(inner: str) -> None:
    """Direct transcription: forward cell over 0..T-1, backward over T-1..0, concatenated; the
    last-step form keeps the forward's last output and the backward's output at step 0."""
    graph = wrapped(inner)
    node = graph.nodes[0]
    x = random_inputs(graph, 2, seed=1)
    halves = []
    for direction, order in (("fw", range(7)), ("bw", range(6, -1, -1))):
        model = ReferenceModel(graph, batch=2)
        half = direction_node(node, direction)
        state = {k: np.zeros_like(v) for k, v in model.states[0].items()
                 if k.startswith(direction)}
        state = {k[3:]: v for k, v in state.items()}
        out = [None] * 7
        for t in order:
            out[t], state = CELLS[half.kind](half, x[:, t], state)
        halves.append(np.stack(out, axis=1))
    dense = graph.nodes[1]
    want = np.concatenate(halves, -1) @ dense.w("w").T + dense.w("b")
    assert np.max(np.abs(run_reference(graph, x) - want)) <= 1e-5
    last = wrapped(inner, return_sequences=False)
    merged = np.concatenate([halves[0][:, -1], halves[1][:, 0]], -1)
    want_last = merged @ dense.w("w").T + dense.w("b")
    assert np.max(np.abs(run_reference(last, x) - want_last)) <= 1e-5


@pytest.mark.parametrize(("inner", "merge", "seqs"), CASES)
def test_host_float32_matches_golden(inner: str, merge: str, seqs: bool, tmp_path) -> None:
    graph = wrapped(inner, merge, seqs)
    result = check_on_host(graph, random_inputs(graph, 3, seed=0), build_dir=tmp_path)
    assert result.compiler_output == ""
    assert result.max_abs_error <= 1e-5, result.max_abs_error
    assert result.passed


@pytest.mark.parametrize("name", sorted(STACKS))
def test_stacks_torch_and_host_float32(name: str, tmp_path) -> None:
    graph = stack(name)
    x = random_inputs(graph, 3, seed=0)
    assert np.max(np.abs(TorchModel(graph).predict(x) - run_reference(graph, x))) <= 1e-5
    result = check_on_host(graph, x, build_dir=tmp_path)
    assert result.compiler_output == "" and result.max_abs_error <= 1e-5


@pytest.mark.parametrize("variant", ["int8", "int16x8"])
@pytest.mark.parametrize("name", sorted(STACKS))
def test_stacks_integer_bit_exact(name: str, variant: str, tmp_path) -> None:
    graph = stack(name)
    qgraph = quantize(graph, variant, random_inputs(graph, 32, seed=1))
    result = check_on_host(qgraph, sequences=5, build_dir=tmp_path)
    assert result.compiler_output == ""
    assert np.array_equal(result.outputs, result.reference)
    assert result.passed


@pytest.mark.parametrize(("inner", "variant"), [
    (i, v) for i in sorted(INNER) for v in ("int8", "int16x8")
    if not (v == "int16x8" and i in INT8_ONLY)])
def test_wrapped_integer_bit_exact(inner: str, variant: str, tmp_path) -> None:
    graph = wrapped(inner, return_sequences=inner != "lstm")
    qgraph = quantize(graph, variant, random_inputs(graph, 32, seed=1))
    node = qgraph.nodes[0]
    assert node.attrs["quant"]["fw"]["output"] == node.attrs["quant"]["bw"]["output"]
    result = check_on_host(qgraph, sequences=4, build_dir=tmp_path)
    assert result.compiler_output == "" and np.array_equal(result.outputs, result.reference)


def test_simulated_cortex_m4_int8(tmp_path) -> None:
    from edgernn.reference.integer import run_integer_reference
    from edgernn.targets import run_on_device

    graph = stack("bigru_lstm_dense")
    qgraph = quantize(graph, "int8", random_inputs(graph, 32, seed=1))
    run = run_on_device(qgraph, random_inputs(qgraph, 1, seed=2), build_dir=tmp_path / "fw")
    assert run.build.compiler_output == ""
    assert np.array_equal(run.raw_outputs, run_integer_reference(qgraph, run.raw_inputs))


@pytest.mark.parametrize("inner", ["qrnn", "sru_proj"])
def test_simulated_cortex_m4_int8_qrnn_sru(inner: str, tmp_path) -> None:
    from edgernn.reference.integer import run_integer_reference
    from edgernn.targets import run_on_device

    graph = wrapped(inner, return_sequences=inner == "qrnn")
    qgraph = quantize(graph, "int8", random_inputs(graph, 32, seed=1))
    run = run_on_device(qgraph, random_inputs(qgraph, 1, seed=2), build_dir=tmp_path / "fw")
    assert run.build.compiler_output == ""
    assert np.array_equal(run.raw_outputs, run_integer_reference(qgraph, run.raw_inputs))


def test_window_inside_the_wrapper_is_refused() -> None:
    with pytest.raises(ValidationError, match="inside bidirectional runs step by step"):
        _graph([{"type": "bidirectional", "layer": {"type": "qrnn", "units": 3, "window": 4}}])


def test_step_api_returns_needs_sequence(tmp_path) -> None:
    graph = stack("bigru_lstm_dense")
    files, context = render_c(graph)
    assert "return EDGERNN_NEEDS_SEQUENCE;" in files["bigru_lstm_dense.c"]
    assert "EDGERNN_NEEDS_SEQUENCE" in files["bigru_lstm_dense.h"]
    assert "EDGERNN_NEEDS_SEQUENCE = -2" in files["edgernn_types.h"]
    build = build_host(graph, tmp_path)
    with pytest.raises(Exception, match="status -2"):
        build.run(random_inputs(graph, 1, seed=0), "step")
    with pytest.raises(VerificationError, match="whole sequence"):
        ReferenceModel(graph).step(np.zeros((1, 4), dtype=np.float32))
    assert render_c(stack("bigru_lstm_dense"))[0] == files  # deterministic


def test_sum_merge_has_no_integer_quantizer() -> None:
    graph = wrapped("gru", merge="sum")
    with pytest.raises(QuantizationError, match="merge 'sum' has no int8 quantizer"):
        quantize(graph, "int8", random_inputs(graph, 4, seed=1))


def test_ir_shapes_counts_and_round_trip(tmp_path) -> None:
    graph = wrapped("lstmp")
    node = graph.nodes[0]
    assert node.kind == "bidirectional" and node.output_size == 10
    assert node.w("fw_w_p").shape == (5, 8) and node.w("bw_p_i").shape == (8,)
    one = direction_node(node, "fw")
    assert one.kind == "lstmp" and one.output_size == 5
    from edgernn.ir.kinds import get_kind

    counts = get_kind("bidirectional").op_counts(node.attrs, 4)
    inner = get_kind("lstmp").op_counts(one.attrs, 4)
    assert counts.macs == 2 * inner.macs
    save_graph(graph, tmp_path / "run")
    loaded = load_graph(tmp_path / "run")
    x = random_inputs(graph, 2, seed=0)
    np.testing.assert_array_equal(run_reference(graph, x), run_reference(loaded, x))


@pytest.mark.parametrize(
    ("layer", "message"),
    [
        ({"type": "bidirectional", "layer": {"type": "dense", "units": 3}}, "layer"),
        ({"type": "bidirectional", "layer": {"type": "gru", "units": 3}, "merge": "mul"},
         "merge"),
        ({"type": "bidirectional"}, "layer"),
    ],
)
def test_spec_errors(layer: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ModelSpec.model_validate({"name": "m", "input": {"features": 2}, "sequence_length": 3,
                                  "layers": [layer, {"type": "dense", "units": 2}]})


def test_spec_order_rules_apply_to_the_wrapper() -> None:
    with pytest.raises(ValidationError, match="only the last recurrent layer"):
        ModelSpec.model_validate({
            "name": "m", "input": {"features": 2}, "sequence_length": 3,
            "layers": [
                {"type": "bidirectional",
                 "layer": {"type": "gru", "units": 3, "return_sequences": False}},
                {"type": "rnn", "units": 2},
            ],
        })


def test_survey_cost_counts_both_halves() -> None:
    from edgernn.ir.cost import survey_costs

    cost = survey_costs(stack("bigru_lstm_dense"))
    names = [layer.name for layer in cost.layers]
    assert names[:2] == ["bidirectional_0_fw", "bidirectional_0_bw"]
    assert cost.layers[0].row == cost.layers[1].row == "GRU"
