"""QRNN and SRU (survey Section III-B6) end to end: spec, IR, PyTorch, golden, C, cost.

PyTorch vs golden and golden vs host C float32 agree within 1e-5; the windowed NAME_run (one
matrix-matrix product per window of steps) gives exactly the outputs of window 1 and of
NAME_step; Table 3's formulas equal the IR's weights/biases and the golden cell's operations.
An SRU whose input size differs from its units uses the projected highway ``W_hw x``.
"""

from __future__ import annotations

import numpy as np
import pytest

from edgernn.errors import SpecError
from edgernn.ir import build_graph
from edgernn.ir.cost import measure_cell_ops, survey_costs
from edgernn.ir.kinds import get_kind
from edgernn.nn import TorchModel, graph_from_torch
from edgernn.reference import run_reference
from edgernn.spec import parse_spec
from edgernn.spec.schema import ModelSpec
from edgernn.targets import check_on_host
from edgernn.targets.host import build_host

M, N = 6, 8
STEPS = 11

FORMS = {
    "qrnn_k1": ({"type": "qrnn", "units": N, "kernel_size": 1}, M),
    "qrnn_k2": ({"type": "qrnn", "units": N}, M),
    "qrnn_k3_w3": ({"type": "qrnn", "units": N, "kernel_size": 3, "window": 3}, M),
    "sru": ({"type": "sru", "units": M}, M),
    "sru_w5": ({"type": "sru", "units": M, "window": 5}, M),
    "sru_proj": ({"type": "sru", "units": N, "window": 1}, M),
    "sru_proj_w3": ({"type": "sru", "units": M, "window": 3}, N),
}


def _spec(layer: dict, features: int, return_sequences: bool = True,
          extra: list | None = None) -> ModelSpec:
    return ModelSpec.model_validate({
        "name": "qs_case", "input": {"features": features}, "sequence_length": STEPS,
        "layers": [{**layer, "return_sequences": return_sequences}, *(extra or []),
                   {"type": "dense", "units": 3, "activation": "linear"}],
    })


def _graph(name: str, **kw):
    layer, features = FORMS[name]
    return build_graph(_spec(layer, features, **kw), seed=3, random_biases=True)


def _inputs(graph, batch: int = 3, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, (batch, graph.sequence_length, graph.input_size)).astype(np.float32)


def test_ir_shapes_and_state():
    qrnn = _graph("qrnn_k3_w3").nodes[0]
    assert qrnn.kind == "qrnn" and qrnn.attrs["window"] == 3
    assert {k: v.data.shape for k, v in qrnn.weights.items()} == {"w_x": (3 * N, 3 * M)}
    sru = _graph("sru").nodes[0]
    assert {k: v.data.shape for k, v in sru.weights.items()} == {
        "w_x": (3 * M, M), "v": (2 * M,), "b": (2 * M,)}
    assert get_kind("sru").state_sizes(sru.attrs) == {"h": M, "c": M}
    # input size != units: a fourth block of rows, the highway W_hw
    proj = _graph("sru_proj").nodes[0]
    assert {k: v.data.shape for k, v in proj.weights.items()} == {
        "w_x": (4 * N, M), "v": (2 * N,), "b": (2 * N,)}
    assert get_kind("sru").op_counts(proj.attrs, M).macs == 4 * N * M
    # the first layer reading features gets the default window, a deeper one window 1
    assert sru.attrs["window"] == 4
    deep = build_graph(_spec({"type": "rnn", "units": N}, M,
                             extra=[{"type": "qrnn", "units": N}])).nodes[1]
    assert deep.attrs["window"] == 1


@pytest.mark.parametrize("name", sorted(FORMS))
def test_torch_matches_golden(name):
    graph = _graph(name)
    x = _inputs(graph)
    got = TorchModel(graph).predict(x)
    want = run_reference(graph, x)
    assert got.shape == want.shape
    assert np.max(np.abs(got - want)) <= 1e-5
    again = graph_from_torch(TorchModel(graph), graph)
    for a, b in zip(graph.nodes, again.nodes, strict=True):
        for k in a.weights:
            np.testing.assert_array_equal(a.w(k), b.w(k))


def test_golden_equations():
    """Golden QRNN (k=2) and SRU against float64 transcriptions of the survey's equations."""
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    graph = _graph("qrnn_k2")
    w = graph.nodes[0].w("w_x").astype(np.float64)
    x = _inputs(graph, batch=1)[0].astype(np.float64)
    c, prev, hs = np.zeros(N), np.zeros(M), []
    for t in range(STEPS):
        pre = w[:, :M] @ prev + w[:, M:] @ x[t]  # taps oldest first
        z, f, o = np.tanh(pre[:N]), sig(pre[N:2 * N]), sig(pre[2 * N:])
        c = f * c + (1 - f) * z
        hs.append(o * c)
        prev = x[t]
    dense = graph.nodes[1]
    want = np.array(hs) @ dense.w("w").T + dense.w("b")
    assert np.max(np.abs(run_reference(graph, x[None].astype(np.float32))[0] - want)) <= 1e-5

    graph = _graph("sru")
    node = graph.nodes[0]
    w, v, b = (node.w(k).astype(np.float64) for k in ("w_x", "v", "b"))
    c, hs = np.zeros(M), []
    for t in range(STEPS):
        pre = w @ x[t]
        f = sig(pre[M:2 * M] + v[:M] * c + b[:M])
        r = sig(pre[2 * M:] + v[M:] * c + b[M:])
        c = f * c + (1 - f) * pre[:M]
        hs.append(r * c + (1 - r) * x[t])
    dense = graph.nodes[1]
    want = np.array(hs) @ dense.w("w").T + dense.w("b")
    assert np.max(np.abs(run_reference(graph, x[None].astype(np.float32))[0] - want)) <= 1e-5

    # projected highway (M inputs, N units): h = r c + (1 - r) W_hw x
    graph = _graph("sru_proj")
    node = graph.nodes[0]
    w, v, b = (node.w(k).astype(np.float64) for k in ("w_x", "v", "b"))
    c, hs = np.zeros(N), []
    for t in range(STEPS):
        pre = w @ x[t]
        f = sig(pre[N:2 * N] + v[:N] * c + b[:N])
        r = sig(pre[2 * N:3 * N] + v[N:] * c + b[N:])
        c = f * c + (1 - f) * pre[:N]
        hs.append(r * c + (1 - r) * pre[3 * N:])
    dense = graph.nodes[1]
    want = np.array(hs) @ dense.w("w").T + dense.w("b")
    assert np.max(np.abs(run_reference(graph, x[None].astype(np.float32))[0] - want)) <= 1e-5


@pytest.mark.parametrize("name", sorted(FORMS))
def test_host_c_matches_golden(name, tmp_path):
    graph = _graph(name)
    result = check_on_host(graph, _inputs(graph, batch=3), build_dir=tmp_path)
    assert result.compiler_output == ""
    assert result.run_max_abs_error <= 1e-5 and result.step_max_abs_error <= 1e-5
    assert result.passed


def test_host_c_stacked_and_last_step_only(tmp_path):
    graph = build_graph(_spec({"type": "qrnn", "units": N, "window": 4}, M, extra=[
        {"type": "sru", "units": N, "return_sequences": False}]), seed=5, random_biases=True)
    result = check_on_host(graph, _inputs(graph, batch=2), build_dir=tmp_path)
    assert result.passed and result.max_abs_error <= 1e-5


@pytest.mark.parametrize("kind", ["qrnn", "sru"])
def test_window_gives_the_outputs_of_window_1(kind, tmp_path):
    """Bit-identical: the window only regroups the same sums (edgernn_matmul_f32)."""
    layer = {"type": kind, "units": M, "window": 1}
    one = build_graph(_spec(layer, M), seed=7, random_biases=True)
    x = _inputs(one, batch=2)
    outputs = {}
    for window in (1, 3, 4, STEPS + 2):
        graph = build_graph(_spec({**layer, "window": window}, M), seed=7, random_biases=True)
        build = build_host(graph, tmp_path / f"w{window}")
        outputs[window] = build.run(x)
        if window == 4:
            np.testing.assert_array_equal(build.run(x, mode="step"), outputs[1])
    for window, out in outputs.items():
        np.testing.assert_array_equal(out, outputs[1], err_msg=f"window {window}")
    source = (tmp_path / "w4" / "src" / "qs_case.c").read_text()
    assert f"edgernn_{kind}_window_f32" in source and "_proj[" in source


TABLE3 = {  # the survey's rows for m = 6, n = 8 (k = 2) and m = n = 6 (SRU)
    "qrnn_k2": (3 * 2 * N * M + 3 * N, 3 * 2 * N * M + 2 * N, 3 * N, 3 * 2 * N * M, 0),
    "sru": (3 * M * M + 6 * M, 3 * M * M + 8 * M, 2 * M, 3 * M * M + 2 * M, 2 * M),
    # Table 3 assumes m == n; the projected highway (m = 6, n = 8) adds nm to the first three
    "sru_proj": (4 * N * M + 6 * N, 4 * N * M + 8 * N, 2 * N, 4 * N * M + 2 * N, 2 * N),
}
QUANTITIES = ("multiplications", "additions", "nonlinear", "weights", "biases")


@pytest.mark.parametrize("name", sorted(FORMS))
def test_cost_formula_equals_ir_and_golden_counts(name):
    costs = survey_costs(_graph(name))
    layer = costs.layers[0]
    assert costs.disagreements == []
    assert layer.row.split(" ")[0] == name.split("_")[0].upper()
    if name in TABLE3:
        assert tuple(layer.get(q).survey for q in QUANTITIES) == TABLE3[name]
    node = _graph(name).nodes[0]
    ops = get_kind(node.kind).op_counts(node.attrs, node.input_size)
    tally = measure_cell_ops(node)
    assert ops.nonlinear == tally.nonlinear
    assert ops.elementwise == (tally.multiplications - ops.macs) + (tally.additions - ops.macs)


BASE = """
name: m
input: {features: 4}
sequence_length: 10
layers:
  - LAYER
  - {type: dense, units: 4, activation: linear}
"""


@pytest.mark.parametrize(
    ("layer", "expected"),
    [
        ("{type: bidirectional, layer: {type: sru, units: 4, window: 2}}",
         "window: 2: a sru layer inside bidirectional runs step by step"),
        ("{type: qrnn, units: 8, kernel_size: 0}", "layers.0.qrnn.kernel_size: Input should be"),
        ("{type: qrnn, units: 8, window: 0}", "layers.0.qrnn.window: Input should be"),
        ("{type: qrnn, units: 8, kernel: 2}", "layers.0.qrnn.kernel: unknown key"),
        ("{type: rnn, units: 4}\n  - {type: sru, units: 4, window: 2}",
         "layers.1: window: 2 needs the layer to read the model's features"),
    ],
)
def test_spec_errors_are_one_line(layer, expected):
    with pytest.raises(SpecError) as info:
        parse_spec(BASE.replace("LAYER", layer), source="bad.yaml")
    message = str(info.value)
    assert message.startswith("bad.yaml") and expected in message, message
    assert "\n" not in message


# ---- int8 ---------------------------------------------------------------------------------------

INT8_FORMS = {
    "qrnn_k2_w4": {"type": "qrnn", "units": 10, "window": 4},
    "qrnn_k3_w1": {"type": "qrnn", "units": 8, "kernel_size": 3, "window": 1},
    "sru_w3": {"type": "sru", "units": 7, "window": 3},
    "sru_w1": {"type": "sru", "units": 7, "window": 1},
    "sru_proj_w1": {"type": "sru", "units": 9, "window": 1},
    "sru_proj_w2": {"type": "sru", "units": 5, "window": 2},
}
#: inputs of the INT8_FORMS whose SRU has the projected highway (input size != units)
INT8_FEATURES = {"sru_proj_w1": 6, "sru_proj_w2": 8}


def _int8(layer: dict, seed: int = 4, features: int | None = None):
    from edgernn.quant import quantize

    if features is None:
        features = layer["units"] if layer["type"] == "sru" else 7
    graph = build_graph(_spec(layer, features), seed=seed, random_biases=True)
    # shifted inputs: a non-zero input zero point (the QRNN history pads with real zeros)
    rng = np.random.default_rng(seed)
    calib = rng.uniform(-0.3, 1.0, (40, STEPS, features)).astype(np.float32)
    return graph, quantize(graph, "int8", calib), calib


@pytest.mark.parametrize("name", sorted(INT8_FORMS))
def test_int8_host_c_is_bit_exact_with_the_integer_golden(name, tmp_path):
    graph, qgraph, calib = _int8(INT8_FORMS[name], features=INT8_FEATURES.get(name))
    node = qgraph.nodes[0]
    assert node.attrs["quant"]["input"]["zero_point"] != 0
    assert node.w("w_x").dtype == np.int8
    result = check_on_host(qgraph, calib[:4], build_dir=tmp_path)
    assert result.compiler_output == ""
    assert result.tolerance == 0
    assert result.run_max_abs_error == 0 and result.step_max_abs_error == 0 and result.passed
    # and the quantized model tracks the float one (dequantized outputs)
    from edgernn.quant import dequantize_outputs, quantize_inputs
    from edgernn.reference.integer import run_integer_reference

    raw = run_integer_reference(qgraph, quantize_inputs(qgraph, calib[:4]))
    error = np.max(np.abs(dequantize_outputs(qgraph, raw) - run_reference(graph, calib[:4])))
    assert error < 0.05, error


def test_int8_int16x8_refuse_clearly():
    from edgernn.errors import QuantizationError
    from edgernn.quant import quantize

    graph, _, calib = _int8(INT8_FORMS["sru_w1"])
    with pytest.raises(QuantizationError, match=r"kind 'sru' has no int16x8 quantizer"):
        quantize(graph, "int16x8", calib)


@pytest.mark.parametrize("name", ["qrnn_k2_w4", "sru_w3", "sru_proj_w1"])
def test_int8_on_simulated_cortex_m4_is_bit_exact(name, tmp_path):
    from edgernn.reference.integer import run_integer_reference
    from edgernn.targets import run_on_device

    _, qgraph, calib = _int8(INT8_FORMS[name], features=INT8_FEATURES.get(name))
    run = run_on_device(qgraph, calib[:1], build_dir=tmp_path / "fw")
    assert "-mcpu=cortex-m4" in run.build.cflags and run.build.compiler_output == ""
    golden = run_integer_reference(qgraph, run.raw_inputs)
    assert run.raw_outputs.dtype == np.int8
    assert np.array_equal(run.raw_outputs, golden)
    assert run.cycles[0] > 0


# the window kernels go two steps at a time (edgernn_project2_s8): odd taps * inputs (a padded
# column pair), more than one chunk of rows (3 * units > EDGERNN_S8_CHUNK_ROWS), even and odd
# windows (an odd last step alone) and the sequence's short last window
INT8_PAIR_FORMS = {
    "qrnn_k3_w5_odd_cols": ({"type": "qrnn", "units": 24, "kernel_size": 3, "window": 5}, 7),
    "qrnn_k1_w2": ({"type": "qrnn", "units": 5, "kernel_size": 1, "window": 2}, 9),
    "sru_w2_chunks": ({"type": "sru", "units": 23, "window": 2}, 23),
    "sru_w4": ({"type": "sru", "units": 9, "window": 4}, 9),
    # projected highway: 4 * units rows over two chunks, odd inputs
    "sru_proj_w3_chunks": ({"type": "sru", "units": 20, "window": 3}, 7),
}


@pytest.mark.parametrize("name", sorted(INT8_PAIR_FORMS))
def test_int8_window_pairs_are_bit_exact_on_host_and_cortex_m4(name, tmp_path):
    from edgernn.quant import quantize
    from edgernn.reference.integer import run_integer_reference
    from edgernn.targets import run_on_device

    layer, features = INT8_PAIR_FORMS[name]
    graph = build_graph(_spec(layer, features), seed=5, random_biases=True)
    rng = np.random.default_rng(5)
    calib = rng.uniform(-0.3, 1.0, (40, STEPS, features)).astype(np.float32)
    qgraph = quantize(graph, "int8", calib)
    result = check_on_host(qgraph, calib[:3], build_dir=tmp_path / "host")
    assert result.compiler_output == ""
    assert result.run_max_abs_error == 0 and result.step_max_abs_error == 0 and result.passed
    run = run_on_device(qgraph, calib[:1], build_dir=tmp_path / "fw")
    assert run.build.compiler_output == ""
    assert np.array_equal(run.raw_outputs, run_integer_reference(qgraph, run.raw_inputs))
    assert f"edgernn_{layer['type']}_window_s8" in run.function_cycles
