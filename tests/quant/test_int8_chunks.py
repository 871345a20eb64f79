"""The int8 gate kernels work in row chunks: every chunk and gate boundary is bit-exact.

``edgernn_gates_s8``/``edgernn_project_s8`` sum ``EDGERNN_S8_CHUNK_ROWS`` (64) rows at a time
and apply each gate's table inside the chunk, ``edgernn_rnn_step_s8`` runs two chunks of about
half the units, and ``edgernn_gru_step_s8`` takes z and r from the gate kernel when the units
count is even (the n rows then start on a four-row block) and the general path otherwise. These
shapes put chunk ends inside gates, gates inside chunks, odd sizes and both GRU paths through
the host C and the simulated Cortex-M4 (DSP path), against the integer golden model. The
int8 whole-sequence call runs two steps at a time (``edgernn_*_steps_s8``, ``edgernn_matmul2_s8``);
seven steps leave a last step alone, and the shapes leave one, two and three rows after the last
four-row block of ``edgernn_matmul2_s8`` (dense 5 rows, GRU 27 rows, RNN 37 rows) and odd columns.
"""

from __future__ import annotations

import numpy as np
import pytest

from edgernn.ir import build_graph
from edgernn.quant import quantize
from edgernn.reference.integer import run_integer_reference
from edgernn.runs import random_check_inputs
from edgernn.spec import parse_spec
from edgernn.targets import check_on_host, run_on_device

SPECS = {
    # 80 gate rows: the second chunk starts inside gate o; gates of 20 rows inside chunk 1
    "lstm20": "lstm: {type: lstm, units: 20}",
    # 4 * 7 rows: gate boundaries off the four-row blocks, one chunk
    "lstm7": "lstm: {type: lstm, units: 7}",
    # 37 units: RNN chunks of 20 and 17 (a last block of one row pair)
    "rnn37": "rnn: {type: rnn, units: 37}",
    # odd units: the general GRU path, both reset modes
    "gru9a": "gru: {type: gru, units: 9, reset_after: true}",
    "gru9b": "gru: {type: gru, units: 9, reset_after: false}",
    # 3 * 26 = 78 rows: two chunks, z/r from the gate kernel, n rows from row 52
    "gru26a": "gru: {type: gru, units: 26, reset_after: true}",
    "gru26b": "gru: {type: gru, units: 26, reset_after: false}",
}


def _qgraph(name: str):
    layer = SPECS[name].split(": ", 1)[1]
    text = (f"name: {name}\ninput: {{features: 13}}\nsequence_length: 7\nlayers:\n"
            f"  - {layer}\n  - {{type: dense, units: 5, activation: tanh}}\n")
    graph = build_graph(parse_spec(text, name), seed=0, random_biases=True)
    return quantize(graph, "int8", random_check_inputs(graph, 16, seed=1))


@pytest.mark.parametrize("name", sorted(SPECS))
def test_int8_chunks_host_and_device_equal_golden(name: str, tmp_path) -> None:
    qgraph = _qgraph(name)
    host = check_on_host(qgraph, sequences=3, build_dir=tmp_path / "host")
    assert host.compiler_output == ""
    assert np.array_equal(host.outputs, host.reference)
    xs = random_check_inputs(qgraph, 2, seed=2)
    run = run_on_device(qgraph, xs, build_dir=tmp_path / "fw")
    assert np.array_equal(run.raw_outputs, run_integer_reference(qgraph, run.raw_inputs))
