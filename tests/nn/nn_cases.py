"""Declarative plan of the model variants the PyTorch tests cover (name -> spec YAML, seed)."""

from __future__ import annotations

from edgernn.spec import parse_spec
from edgernn.spec.schema import ModelSpec

ACTIVATIONS = ("linear", "relu", "sigmoid", "tanh", "softmax")


def _single(layer: str, dense_units: int = 3, activation: str = "linear") -> str:
    return f"""
input: {{features: 5}}
sequence_length: 12
layers:
  - {layer}
  - {{type: dense, units: {dense_units}, activation: {activation}}}
"""


CASES: dict[str, tuple[str, int]] = {
    "rnn": (_single("{type: rnn, units: 7}"), 1),
    "lstm": (_single("{type: lstm, units: 6}"), 2),
    "gru_reset_after": (_single("{type: gru, units: 6, reset_after: true}"), 3),
    "gru_reset_before": (_single("{type: gru, units: 6, reset_after: false}"), 4),
    **{
        f"dense_{act}": (_single("{type: rnn, units: 6}", 4, act), 10 + i)
        for i, act in enumerate(ACTIVATIONS)
    },
    "embedding": (
        """
input: {vocabulary: 11, embedding: 4}
sequence_length: 12
layers:
  - {type: rnn, units: 6}
  - {type: dense, units: 11, activation: softmax}
""",
        5,
    ),
    "last_step_only": (_single("{type: lstm, units: 6, return_sequences: false}"), 6),
    "stacked": (
        """
input: {features: 5}
sequence_length: 12
layers:
  - {type: lstm, units: 6}
  - {type: gru, units: 5, reset_after: false}
  - {type: gru, units: 4}
  - {type: rnn, units: 7}
  - {type: dense, units: 8, activation: relu}
  - {type: dense, units: 3, activation: softmax}
""",
        7,
    ),
}


def case_spec(name: str) -> ModelSpec:
    """The validated spec of case ``name``."""
    text, _ = CASES[name]
    return parse_spec(f"name: {name}\n{text}", source=name)


def case_seed(name: str) -> int:
    """The weight seed of case ``name``."""
    return CASES[name][1]
