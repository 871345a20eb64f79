"""Run directories round-trip exactly and corrupt ones are refused clearly."""

import numpy as np
import pytest

from edgernn.errors import ModelFileError
from edgernn.ir import build_graph, load_graph, save_graph
from edgernn.spec import load_spec, zoo_names


@pytest.mark.parametrize("name", zoo_names())
def test_round_trip_is_identical(tmp_path, name):
    graph = build_graph(load_spec(name), seed=3, random_biases=True)
    graph.nodes[0].weights[next(iter(graph.nodes[0].weights))].annotations["note"] = {"k": 1}
    graph.metadata["metrics"] = {"mse": np.float32(0.5)}
    save_graph(graph, tmp_path / "run")
    back = load_graph(tmp_path / "run")
    assert back.spec == graph.spec
    assert back.metadata == {"metrics": {"mse": 0.5}}
    assert [(n.name, n.kind, n.attrs, n.input_size) for n in back.nodes] == [
        (n.name, n.kind, n.attrs, n.input_size) for n in graph.nodes
    ]
    for a, b in zip(graph.nodes, back.nodes, strict=True):
        for wname, tensor in a.weights.items():
            assert np.array_equal(tensor.data, b.weights[wname].data)
            assert b.weights[wname].data.dtype == tensor.data.dtype
            assert b.weights[wname].annotations == tensor.annotations


def test_overwrite_leaves_no_temporaries(tmp_path):
    graph = build_graph(load_spec("simple0"))
    save_graph(graph, tmp_path / "run")
    save_graph(graph, tmp_path / "run")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_missing_directory(tmp_path):
    with pytest.raises(ModelFileError, match="not a run directory"):
        load_graph(tmp_path / "nothing")


def test_truncated_weights(tmp_path):
    save_graph(build_graph(load_spec("simple1")), tmp_path / "run")
    weights = tmp_path / "run" / "weights.npz"
    weights.write_bytes(weights.read_bytes()[:100])
    with pytest.raises(ModelFileError, match="corrupt run directory"):
        load_graph(tmp_path / "run")


def test_wrong_shape_is_named(tmp_path):
    graph = build_graph(load_spec("simple1"))
    save_graph(graph, tmp_path / "run")
    text = (tmp_path / "run" / "graph.yaml").read_text()
    (tmp_path / "run" / "graph.yaml").write_text(text.replace("input_size: 32", "input_size: 31", 1))
    with pytest.raises(ModelFileError, match="rnn_0: weight w_x has shape"):
        load_graph(tmp_path / "run")
