"""LSTM with peepholes and/or a projection layer (IR kind ``lstmp``), end to end in float32.

Survey Section III-B2/III-B4. PyTorch vs golden and golden vs host C agree within 1e-5; the spec
refuses malformed forms; graphs round-trip; int8-weights refuses the kind clearly (int8 and
int16x8: tests/quant/test_int_lstmp.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from edgernn.errors import QuantizationError
from edgernn.ir import build_graph, load_graph, save_graph
from edgernn.nn import TorchModel, graph_from_torch
from edgernn.nn.layers import LstmPeepholeLayer, LstmProjectionLayer, torch_layer
from edgernn.reference import run_reference
from edgernn.spec.schema import ModelSpec
from edgernn.targets import check_on_host

FORMS = {
    "peephole_diagonal": {"peephole": "diagonal"},
    "peephole_full": {"peephole": "full"},
    "projection": {"projection": 5},
    "diagonal_projection": {"peephole": "diagonal", "projection": 7},
    "full_projection": {"peephole": "full", "projection": 4},
}


def _spec(form: dict, return_sequences: bool = True) -> ModelSpec:
    return ModelSpec.model_validate({
        "name": "lstmp_case",
        "input": {"features": 6},
        "sequence_length": 9,
        "layers": [
            {"type": "lstm", "units": 12, "return_sequences": return_sequences, **form},
            {"type": "dense", "units": 3, "activation": "linear"},
        ],
    })


def _inputs(graph, batch: int = 3) -> np.ndarray:
    rng = np.random.default_rng(1)
    return rng.uniform(-1, 1, (batch, graph.sequence_length, graph.input_size)).astype(np.float32)


def _graph(form: dict, **kw):
    # random_biases also draws the 1-D diagonal peepholes (zeros otherwise), so every path runs
    return build_graph(_spec(form, **kw), seed=3, random_biases=True)


@pytest.mark.parametrize("name", sorted(FORMS))
def test_ir_shapes_and_counts(name):
    form = FORMS[name]
    node = _graph(form).nodes[0]
    u, p = 12, form.get("projection")
    width = p or u
    assert node.kind == "lstmp"
    assert node.output_size == width
    assert node.w("w_h").shape == (4 * u, width)
    peep = {"diagonal": (u,), "full": (u, u)}.get(form.get("peephole"))
    for gate in ("p_i", "p_f", "p_o"):
        assert (gate in node.weights) == (peep is not None)
        if peep:
            assert node.w(gate).shape == peep
    assert ("w_p" in node.weights) == (p is not None)
    if p:
        assert node.w("w_p").shape == (p, u)


def test_plain_lstm_is_unchanged():
    spec = _spec({})
    node = build_graph(spec).nodes[0]
    assert node.kind == "lstm"
    assert node.attrs == {"units": 12, "return_sequences": True}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_torch_matches_golden(name):
    graph = _graph(FORMS[name])
    x = _inputs(graph)
    got = TorchModel(graph).predict(x)
    want = run_reference(graph, x)
    assert got.shape == want.shape
    assert np.max(np.abs(got - want)) <= 1e-5
    # export is the identity on the weights
    again = graph_from_torch(TorchModel(graph), graph)
    for a, b in zip(graph.nodes, again.nodes, strict=True):
        assert sorted(a.weights) == sorted(b.weights)
        for k in a.weights:
            np.testing.assert_array_equal(a.w(k), b.w(k))


def test_torch_layer_choice():
    assert isinstance(torch_layer(_graph({"projection": 5}).nodes[0]), LstmProjectionLayer)
    assert isinstance(torch_layer(_graph({"peephole": "full"}).nodes[0]), LstmPeepholeLayer)


def test_golden_peephole_reference_equations():
    """The golden cell against a direct float64 transcription of the survey's equations."""
    graph = _graph({"peephole": "full", "projection": 4})
    node = graph.nodes[0]
    x = _inputs(graph, batch=1)[0].astype(np.float64)
    w = {k: node.w(k).astype(np.float64) for k in node.weights}
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    u = 12
    h, c = np.zeros(4), np.zeros(u)
    hs = []
    for t in range(x.shape[0]):
        z = w["w_x"] @ x[t] + w["w_h"] @ h + w["b"]
        i = sig(z[:u] + w["p_i"] @ c)
        f = sig(z[u:2 * u] + w["p_f"] @ c)
        c = f * c + i * np.tanh(z[2 * u:3 * u])
        o = sig(z[3 * u:] + w["p_o"] @ c)
        h = w["w_p"] @ (o * np.tanh(c))
        hs.append(h)
    dense = graph.nodes[1]
    want = np.array(hs) @ dense.w("w").T + dense.w("b")
    got = run_reference(graph, x[None].astype(np.float32))[0]
    assert np.max(np.abs(got - want)) <= 1e-5


@pytest.mark.parametrize("name", sorted(FORMS))
def test_host_c_matches_golden(name, tmp_path):
    graph = _graph(FORMS[name])
    result = check_on_host(graph, _inputs(graph, batch=4), build_dir=tmp_path)
    assert result.compiler_output == ""
    assert result.max_abs_error <= 1e-5, result.max_abs_error
    assert result.passed


def test_host_c_last_step_only(tmp_path):
    graph = _graph({"peephole": "diagonal", "projection": 5}, return_sequences=False)
    result = check_on_host(graph, _inputs(graph, batch=2), build_dir=tmp_path)
    assert result.passed and result.max_abs_error <= 1e-5


@pytest.mark.parametrize("name", sorted(FORMS))
def test_serialization_round_trip(name, tmp_path):
    graph = _graph(FORMS[name])
    save_graph(graph, tmp_path / "run")
    loaded = load_graph(tmp_path / "run")
    assert [(n.kind, n.attrs) for n in loaded.nodes] == [(n.kind, n.attrs) for n in graph.nodes]
    for a, b in zip(graph.nodes, loaded.nodes, strict=True):
        for k in a.weights:
            np.testing.assert_array_equal(a.w(k), b.w(k))
    x = _inputs(graph)
    np.testing.assert_array_equal(run_reference(graph, x), run_reference(loaded, x))


@pytest.mark.parametrize(
    ("layer", "message"),
    [
        ({"peephole": "diagonl"}, "peephole"),
        ({"peephole": True}, "peephole"),
        ({"projection": 0}, "projection"),
        ({"projection": 12}, "smaller than units"),
        ({"projection": 20}, "smaller than units"),
        ({"projection": 4.0}, "projection"),
    ],
)
def test_spec_validation_errors(layer, message):
    with pytest.raises(ValidationError, match=message):
        _spec(layer)


def test_gru_and_rnn_have_no_peephole_field():
    with pytest.raises(ValidationError, match="peephole"):
        ModelSpec.model_validate({
            "name": "m", "input": {"features": 2}, "sequence_length": 3,
            "layers": [{"type": "gru", "units": 4, "peephole": "diagonal"}],
        })


@pytest.mark.parametrize("variant", ["int8-weights"])
def test_weights_only_variant_refuses_lstmp(variant):
    from edgernn.quant import quantize

    graph = _graph({"peephole": "diagonal"})
    with pytest.raises(QuantizationError, match=r"lstm_0: kind 'lstmp' has no .* quantizer"):
        quantize(graph, variant, _inputs(graph))
