"""The Cortex-M4F assembly of the matrix-vector kernel against its portable C, in the simulator.

The same generated model is compiled for the host (portable C) and for the simulated
NUCLEO-L4R5ZI (assembly inner loop); both compute the same float32 operations in the same
order, so their outputs must be identical bit for bit. The shapes leave rows past the last
8-row block and columns past the last group of 8, in both halves of a fused gate product.
"""

from __future__ import annotations

import numpy as np

from edgernn.ir import build_graph
from edgernn.ir.counting import count_node
from edgernn.reference import run_reference
from edgernn.spec import parse_spec
from edgernn.targets import FLOAT_TOLERANCE, check_on_host, run_on_device

ODD_SHAPES = """
name: odd_shapes
input: {features: 13}
sequence_length: 5
layers:
  - {type: gru, units: 11, reset_after: true}
  - {type: lstm, units: 9}
  - {type: gru, units: 10, reset_after: false}
  - {type: rnn, units: 17}
  - {type: dense, units: 7, activation: softmax}
"""

# Simple 1's shapes, 10 steps: what the cycles-per-MAC guard measures.
RNN_64 = """
name: rnn64
input: {features: 32}
sequence_length: 10
layers:
  - {type: rnn, units: 64}
  - {type: dense, units: 32, activation: linear}
"""

# Measured 4.37 cycles per MAC for edgernn_matvec_pair_f32 on these shapes; its portable C,
# forced with -DEDGERNN_PORTABLE_KERNELS, 15.0. The guard leaves room for cycle-model
# refinements, not for a slower kernel.
MAX_CYCLES_PER_MAC = 4.8


def test_device_assembly_matches_portable_c_bit_for_bit() -> None:
    graph = build_graph(parse_spec(ODD_SHAPES, "odd_shapes"), seed=3, random_biases=True)
    device = run_on_device(graph, sequences=2, seed=4)
    host = check_on_host(graph, device.inputs)
    assert np.array_equal(device.outputs, host.outputs)
    reference = run_reference(graph, device.inputs)
    assert float(np.max(np.abs(device.outputs - reference))) <= FLOAT_TOLERANCE


def test_matvec_cycles_per_mac() -> None:
    graph = build_graph(parse_spec(RNN_64, "rnn64"), seed=0, random_biases=True)
    run = run_on_device(graph, sequences=1)
    macs = sum(count_node(node, graph.sequence_length).macs for node in graph.nodes)
    cycles_per_mac = run.function_cycles["edgernn_matvec_pair_f32"] / macs
    assert cycles_per_mac <= MAX_CYCLES_PER_MAC, cycles_per_mac
