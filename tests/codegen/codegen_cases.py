"""The models the code generation tests run: the zoo plus spec variants, with random weights.

A plain module (not conftest.py) so test modules can import it by a unique name.
"""

from __future__ import annotations

from edgernn.ir import Graph, build_graph
from edgernn.spec import load_spec, parse_spec, zoo_names

ZOO = zoo_names()

# Spec variants beyond the zoo: both GRU reset modes, return_sequences false (with and without
# dense layers after it, feature and token inputs), and a deep stack using every activation.
VARIANT_SPECS = {
    "gru_reset_after": """
name: gru_reset_after
input: {features: 8}
sequence_length: 30
layers:
  - {type: gru, units: 24, reset_after: true}
  - {type: dense, units: 5, activation: linear}
""",
    "gru_reset_before": """
name: gru_reset_before
input: {features: 8}
sequence_length: 30
layers:
  - {type: gru, units: 24, reset_after: false}
  - {type: dense, units: 5, activation: linear}
""",
    "lstm_last": """
name: lstm_last
input: {features: 6}
sequence_length: 25
layers:
  - {type: lstm, units: 16, return_sequences: false}
  - {type: dense, units: 3, activation: softmax}
""",
    "rnn_last_no_head": """
name: rnn_last_no_head
input: {features: 4}
sequence_length: 12
layers:
  - {type: rnn, units: 8}
  - {type: rnn, units: 5, return_sequences: false}
""",
    "tokens_gru_last": """
name: tokens_gru_last
input: {vocabulary: 20, embedding: 7}
sequence_length: 15
layers:
  - {type: gru, units: 12, reset_after: false, return_sequences: false}
  - {type: dense, units: 20, activation: softmax}
""",
    "stacked": """
name: stacked
input: {features: 10}
sequence_length: 20
layers:
  - {type: rnn, units: 12}
  - {type: lstm, units: 16}
  - {type: gru, units: 14}
  - {type: dense, units: 11, activation: relu}
  - {type: dense, units: 9, activation: sigmoid}
  - {type: dense, units: 7, activation: tanh}
  - {type: dense, units: 6, activation: linear}
""",
}


def graph_for(name: str, seed: int = 0) -> Graph:
    """A zoo model or one of VARIANT_SPECS, with random weights and random biases."""
    spec = parse_spec(VARIANT_SPECS[name], name) if name in VARIANT_SPECS else load_spec(name)
    return build_graph(spec, seed=seed, random_biases=True)

