"""Every EdgeMark model, briefly trained: PyTorch, golden model and host C agree within 1e-5."""

import numpy as np
import pytest

from edgernn.data import build_dataset
from edgernn.nn import TorchModel
from edgernn.nn.train import train_model
from edgernn.reference import run_reference
from edgernn.spec import load_spec, zoo_names
from edgernn.targets import check_on_host

PUBLISHED_PARAMETERS = {
    "simple0": 5, "simple1": 8288, "simple2": 32960, "shakespeare1": 12513,
    "shakespeare2": 37249, "lstm": 26912, "gru": 20896,
}


@pytest.mark.parametrize("name", zoo_names())
def test_trained_model_matches_torch_and_host_c(tmp_path, name):
    spec = load_spec(name)
    data = build_dataset(spec)
    graph = train_model(spec, epochs=1, progress=False, data=data).graph
    assert sum(t.data.size for n in graph.nodes for t in n.weights.values()) == (
        PUBLISHED_PARAMETERS[name]
    )
    checks = data.x_test[:10]
    golden = run_reference(graph, checks)
    assert np.max(np.abs(TorchModel(graph).predict(checks) - golden)) <= 1e-5
    host = check_on_host(graph, checks, build_dir=tmp_path)
    assert len(host.outputs) == 10
    assert host.max_abs_error <= 1e-5
