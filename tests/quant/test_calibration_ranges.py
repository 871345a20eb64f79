"""Activation ranges: where real 0 must be a stored value (TFLM's rule) and where it need not.

A recurrent state starts at real 0 and a relu clamps at its zero point, so their int8 ranges
contain 0 and the zero point is an int8 value. The model input and a dense linear output never
store real 0: their range is the calibrated one (a tensor far from 0 keeps its resolution) and
the zero point, an int32 constant folded into the consumer's bias, may lie outside int8. The
generated C must stay bit-exact with such zero points.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edgernn.ir import Graph, build_graph
from edgernn.quant import dequantize_outputs, quantize, quantize_inputs
from edgernn.quant.params import INT8_ACTIVATIONS, INT16_ACTIVATIONS
from edgernn.quant.quantize import FREE_ZERO_POINT_LIMIT, free_zero_point_limit
from edgernn.reference import run_reference
from edgernn.reference.integer import run_integer_reference
from edgernn.spec import parse_spec
from edgernn.targets import check_on_host, random_inputs, run_on_device

finite = st.integers(-10**9, 10**9).map(lambda i: i / 1e6)  # [-1000, 1000], step 1e-6


@settings(max_examples=300, deadline=None)
@given(a=finite, b=finite, limit=st.sampled_from([None, 0, 127, 128, 300, FREE_ZERO_POINT_LIMIT]))
def test_int8_range_covers_the_calibrated_values(a: float, b: float, limit: int | None) -> None:
    lo, hi = min(a, b), max(a, b)
    q = INT8_ACTIVATIONS.params_for(lo, hi, limit)
    tflm = INT8_ACTIVATIONS.params_for(lo, hi)
    assert q.scale > 0.0 and q.scale <= tflm.scale * (1 + 1e-12)
    # every calibrated value lies within the representable range (up to half a step)
    first, last = q.dequantize(np.array([q.qmin, q.qmax]))
    assert first <= lo + q.scale / 2 + 1e-9 and last >= hi - q.scale / 2 - 1e-9
    if limit is None or limit <= q.qmax or lo <= 0.0 <= hi:
        assert q == tflm  # TFLM's rule: 0 is a stored value
        assert q.qmin <= q.zero_point <= q.qmax
    else:
        assert abs(q.zero_point) <= limit
        # the range is widened towards 0 only as far as the zero point bound needs
        if -q.zero_point < limit - 1 and q.zero_point < limit - 1:
            assert q.scale <= (hi - lo) / 255 * (1 + 1e-9) + 1e-12


@settings(max_examples=100, deadline=None)
@given(a=finite, b=finite)
def test_int16_stays_symmetric(a: float, b: float) -> None:
    q = INT16_ACTIVATIONS.params_for(min(a, b), max(a, b), FREE_ZERO_POINT_LIMIT)
    assert q.zero_point == 0 and q == INT16_ACTIVATIONS.params_for(min(a, b), max(a, b))


def test_a_range_away_from_zero_keeps_its_resolution() -> None:
    tight = INT8_ACTIVATIONS.params_for(0.4, 0.56, FREE_ZERO_POINT_LIMIT)
    assert tight.scale == pytest.approx(0.16 / 255) and tight.zero_point < -128
    assert tight.dequantize(np.array([tight.qmin]))[0] == pytest.approx(0.4, abs=tight.scale)
    assert INT8_ACTIVATIONS.params_for(0.4, 0.56).scale == pytest.approx(0.56 / 255)
    # a wide consumer lowers the bound so that its folded bias keeps int32 headroom
    wide = build_graph(parse_spec(SPEC.replace("features: 3", "features: 3000"), "wide"), seed=0)
    assert free_zero_point_limit(wide.nodes[0]) * 127 * 3000 <= 1 << 29
    assert free_zero_point_limit(None) == FREE_ZERO_POINT_LIMIT


SPEC = """
name: offsets
input: {features: 3}
sequence_length: 6
layers:
  - {type: rnn, units: 5}
  - {type: dense, units: 4, activation: linear}
  - {type: dense, units: 3, activation: linear}
"""


def _offset_graph() -> Graph:
    """RNN + two linear dense layers whose outputs lie far from 0 (large biases)."""
    graph = build_graph(parse_spec(SPEC, "offsets"), seed=0, random_biases=True)
    for node, offset in zip(graph.nodes[1:], (6.0, -100.0), strict=True):
        node.weights["b"].data[...] += np.float32(offset)
    return graph


def _inputs(graph: Graph, n: int, seed: int) -> np.ndarray:
    return (random_inputs(graph, n, seed=seed) + 3.0).astype(np.float32)  # all positive


def test_only_tensors_that_never_store_zero_leave_int8_zero_points(tmp_path) -> None:
    graph = _offset_graph()
    qgraph = quantize(graph, "int8", _inputs(graph, 64, seed=1))
    rnn, dense1, dense2 = (node.attrs["quant"] for node in qgraph.nodes)
    assert rnn["input"]["zero_point"] < -128  # model input, calibrated away from 0
    assert -128 <= rnn["output"]["zero_point"] <= 127  # recurrent state: starts at real 0
    assert dense1["output"]["zero_point"] < -128 and dense2["output"]["zero_point"] > 127
    for record in (dense1, dense2):
        zp = record["output"]["zero_point"]
        assert abs(zp) <= FREE_ZERO_POINT_LIMIT
    # bit-exact in C with zero points outside int8, and closer to float than TFLM's rule
    xs = _inputs(graph, 8, seed=0)
    result = check_on_host(qgraph, inputs=xs, build_dir=tmp_path / "host")
    assert result.compiler_output == "" and result.tolerance == 0.0
    assert np.array_equal(result.outputs, result.reference)
    y_float = run_reference(graph, xs).astype(np.float64)
    y_q = dequantize_outputs(qgraph, run_integer_reference(qgraph, quantize_inputs(qgraph, xs)))
    out = dense2["output"]
    assert float(np.max(np.abs(y_q - y_float))) < 4 * out["scale"] + 0.05


def test_out_of_range_zero_points_are_bit_exact_on_the_simulated_m4(tmp_path) -> None:
    graph = _offset_graph()
    qgraph = quantize(graph, "int8", _inputs(graph, 64, seed=1))
    run = run_on_device(qgraph, _inputs(graph, 2, seed=2), build_dir=tmp_path / "fw")
    assert run.build.compiler_output == ""
    assert np.array_equal(run.raw_outputs, run_integer_reference(qgraph, run.raw_inputs))
