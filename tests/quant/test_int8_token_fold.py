"""int8 models that start with an embedding look the first layer's input part up per token.

The code generator folds ``embedding -> rnn/lstm/gru`` (GRU with ``reset_after``) into a per-token
int16 table of ``sat16(requantize(W_x E[v] + b'_x))`` computed by the golden model's own
functions, so the generated C must stay bit-exact with the integer golden model, on the host and
on the simulated Cortex-M4 (step by step and in the windowed whole-sequence call), and the
embedding table and the input projection must be gone from the firmware. A GRU with the reset
gate before ``W_h`` keeps the embedding layer.
"""

from __future__ import annotations

import numpy as np
import pytest

from edgernn.codegen import render_c
from edgernn.ir import build_graph
from edgernn.quant import quantize
from edgernn.reference.integer import run_integer_reference
from edgernn.runs import random_check_inputs
from edgernn.spec import parse_spec
from edgernn.targets import check_on_host, run_on_device, weight_arrays

LAYERS = {
    "rnn": ("{type: rnn, units: 9}", True),
    "lstm": ("{type: lstm, units: 7}", True),
    "gru": ("{type: gru, units: 5}", True),
    "gru_reset_before": ("{type: gru, units: 6, reset_after: false}", False),
}


def _qgraph(layer: str, steps: int = 7):
    text = (f"name: tok\ninput: {{vocabulary: 11, embedding: 6}}\nsequence_length: {steps}\n"
            f"layers:\n  - {layer}\n  - {{type: dense, units: 11, activation: softmax}}\n")
    graph = build_graph(parse_spec(text, "tok"), seed=0, random_biases=True)
    return quantize(graph, "int8", random_check_inputs(graph, 16, seed=1))


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_token_fold_is_bit_exact_on_host_and_device(name: str, tmp_path) -> None:
    layer, folds = LAYERS[name]
    qgraph = _qgraph(layer)
    source = render_c(qgraph, "int8")[0]["tok.c"]
    arrays = weight_arrays(qgraph, "int8")
    assert ("tok_embedding_table" not in arrays) == folds
    assert any(n.endswith("_token_xq") for n in arrays) == folds
    assert ("_token_xq" in source) == folds
    host = check_on_host(qgraph, sequences=3, build_dir=tmp_path / "host")
    assert host.compiler_output == ""
    assert np.array_equal(host.outputs, host.reference)
    xs = random_check_inputs(qgraph, 2, seed=2)
    run = run_on_device(qgraph, xs, build_dir=tmp_path / "fw")
    assert np.array_equal(run.raw_outputs, run_integer_reference(qgraph, run.raw_inputs))
