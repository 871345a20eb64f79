"""Token-input models the fold tests run: Shakespeare 1 and 2 plus LSTM and both GRU modes.

A plain module (not conftest.py) so test modules can import it by a unique name.
"""

from __future__ import annotations

from edgernn.ir import Graph, build_graph
from edgernn.spec import load_spec, parse_spec

TOKEN_SPECS = {
    "tokens_lstm": """
name: tokens_lstm
input: {vocabulary: 23, embedding: 9}
sequence_length: 12
layers:
  - {type: lstm, units: 20}
  - {type: dense, units: 23, activation: softmax}
""",
    "tokens_gru_after": """
name: tokens_gru_after
input: {vocabulary: 23, embedding: 9}
sequence_length: 12
layers:
  - {type: gru, units: 20, reset_after: true}
  - {type: rnn, units: 6}
  - {type: dense, units: 23, activation: softmax}
""",
    "tokens_gru_before": """
name: tokens_gru_before
input: {vocabulary: 23, embedding: 9}
sequence_length: 12
layers:
  - {type: gru, units: 20, reset_after: false, return_sequences: false}
  - {type: dense, units: 4, activation: linear}
""",
}

#: Every case: the two zoo models the fold is for, then the three token specs above.
CASES = ("shakespeare1", "shakespeare2", *TOKEN_SPECS)


def unfolded(name: str, seed: int = 0) -> Graph:
    """The float graph of a case with random weights and random biases (every bias path)."""
    spec = parse_spec(TOKEN_SPECS[name], name) if name in TOKEN_SPECS else load_spec(name)
    return build_graph(spec, seed=seed, random_biases=True)
