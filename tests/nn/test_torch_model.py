"""TorchModel computes what the golden model computes, before and after training (1e-5 abs)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from nn_cases import CASES, case_seed, case_spec

from edgernn.ir import build_graph
from edgernn.ir.graph import Graph
from edgernn.nn import TorchModel, graph_from_torch, torch_layer
from edgernn.nn.layers import swap_first_gates
from edgernn.reference import run_reference

ATOL = 1e-5


def _inputs(graph: Graph, batch: int = 3, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    shape = (batch, graph.sequence_length)
    if graph.tokens_input:
        return rng.integers(0, graph.spec.input.vocabulary, size=shape)
    return rng.uniform(-1.0, 1.0, size=(*shape, graph.input_size)).astype(np.float32)


def _weights(graph: Graph) -> dict[str, np.ndarray]:
    return {f"{n.name}/{w}": t.data for n in graph.nodes for w, t in n.weights.items()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_forward_matches_golden_model(case):
    graph = build_graph(case_spec(case), case_seed(case), random_biases=True)
    x = _inputs(graph)
    got = TorchModel(graph).predict(x)
    want = run_reference(graph, x)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=0, atol=ATOL)


@pytest.mark.parametrize("case", sorted(CASES))
def test_export_without_training_is_exact(case):
    graph = build_graph(case_spec(case), case_seed(case), random_biases=True)
    graph.metadata["note"] = "kept"
    exported = graph_from_torch(TorchModel(graph), graph)
    assert exported.spec == graph.spec and exported.metadata == {"note": "kept"}
    before, after = _weights(graph), _weights(exported)
    assert before.keys() == after.keys()
    for key in before:
        np.testing.assert_array_equal(after[key], before[key], err_msg=key)
        assert after[key].dtype == np.float32


@pytest.mark.parametrize("case", sorted(CASES))
def test_trained_model_exports_to_the_same_function(case):
    """A few Adam steps make both PyTorch biases non-zero; the export must sum them right."""
    graph = build_graph(case_spec(case), case_seed(case), random_biases=True)
    torch.manual_seed(0)
    model = TorchModel(graph)
    x = _inputs(graph, batch=4, seed=1)
    target = torch.randn(model(x).shape)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(5):
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), target).backward()
        optimizer.step()
    trained = graph_from_torch(model, graph)
    assert any(
        not np.array_equal(a, b)
        for a, b in zip(_weights(graph).values(), _weights(trained).values(), strict=True)
    )
    x_new = _inputs(graph, seed=2)
    np.testing.assert_allclose(model.predict(x_new), run_reference(trained, x_new), atol=ATOL)
    np.testing.assert_allclose(
        TorchModel(trained).predict(x_new), run_reference(trained, x_new), atol=ATOL
    )


def test_logits_are_the_softmax_input():
    graph = build_graph(case_spec("embedding"), 0, random_biases=True)
    model, x = TorchModel(graph), _inputs(graph)
    with torch.no_grad():
        logits, probs = model(x, logits=True), model(x)
    torch.testing.assert_close(torch.softmax(logits, dim=-1), probs)
    assert not torch.allclose(logits, probs)


def test_token_ids_may_carry_a_feature_axis():
    graph = build_graph(case_spec("embedding"), 0)
    x = _inputs(graph)
    model = TorchModel(graph)
    np.testing.assert_array_equal(model.predict(x[..., None]), model.predict(x))


def test_graph_from_torch_rejects_another_graph():
    model = TorchModel(build_graph(case_spec("rnn"), 0))
    with pytest.raises(ValueError, match="different nodes"):
        graph_from_torch(model, build_graph(case_spec("stacked"), 0))


def test_unknown_kind_has_no_torch_layer():
    node = build_graph(case_spec("rnn"), 0).nodes[0]
    node.kind = "conv"
    with pytest.raises(KeyError, match="no torch layer for kind 'conv'"):
        torch_layer(node)


@given(units=st.integers(1, 5), data=st.data())
def test_gru_gate_reorder_is_an_involution_that_swaps_z_and_r(units, data):
    array = data.draw(arrays(np.float32, (3 * units, 2), elements=st.floats(-1, 1, width=32)))
    swapped = swap_first_gates(array, units)
    np.testing.assert_array_equal(swapped[:units], array[units : 2 * units])
    np.testing.assert_array_equal(swapped[2 * units :], array[2 * units :])
    np.testing.assert_array_equal(swap_first_gates(swapped, units), array)
