"""Parameter and MAC counts from the IR against EdgeMark's published figures."""

import pytest

from edgernn.ir import build_graph, count_model
from edgernn.spec import load_spec

# (parameters, MACs) as published by EdgeMark for TFLM (seed document, table).
EDGEMARK = {
    "simple0": (5, 9),
    "simple1": (8288, 827200),
    "simple2": (32960, 3292800),
    "shakespeare1": (12513, 1056300),
    "shakespeare2": (37249, 3321900),
    "lstm": (26912, 2702400),
    "gru": (20896, 2094400),
}


@pytest.mark.parametrize("name", sorted(EDGEMARK))
def test_parameters_and_edgemark_macs_match_published(name):
    counts = count_model(build_graph(load_spec(name)))
    assert counts.parameters == EDGEMARK[name][0]
    assert counts.edgemark_macs == EDGEMARK[name][1]


def test_matrix_macs_follow_table3():
    spec = load_spec("lstm")
    counts = count_model(build_graph(spec))
    lstm, dense = counts.layers
    assert lstm.macs_per_step == 4 * 64 * (32 + 64)
    assert dense.macs_per_step == 64 * 32
    assert counts.macs == 100 * (4 * 64 * 96 + 64 * 32)
    # Every weight element takes part in exactly one MAC per step except biases and tables.
    graph = build_graph(spec)
    matrices = sum(t.data.size for n in graph.nodes for t in n.weights.values() if t.data.ndim == 2)
    assert counts.macs == matrices * spec.sequence_length
