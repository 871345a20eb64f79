"""The whole float32 pipeline on every EdgeMark model: train briefly, generate, run on the host."""

import pytest

from edgernn.bench.pipeline import DEFAULT_MODELS, run_model
from edgernn.ir import load_graph
from edgernn.runs import CHECK_INPUTS_FILE

PUBLISHED_PARAMETERS = {
    "simple0": 5, "simple1": 8288, "simple2": 32960, "shakespeare1": 12513,
    "shakespeare2": 37249, "lstm": 26912, "gru": 20896,
}


@pytest.mark.parametrize("name", DEFAULT_MODELS)
def test_trained_model_matches_torch_and_host_c(tmp_path, name):
    row = run_model(name, tmp_path, epochs=1, progress=False)
    assert row.parameters == PUBLISHED_PARAMETERS[name]
    assert row.check_sequences == 10
    assert row.torch_vs_golden <= 1e-5
    assert row.c_vs_golden <= 1e-5
    # The run directory holds the trained weights and the check inputs the C was verified on.
    graph = load_graph(tmp_path / "runs" / name)
    assert graph.metadata["metrics"]
    assert (tmp_path / "runs" / name / CHECK_INPUTS_FILE).is_file()
    assert (tmp_path / "c" / name / f"{name}.c").is_file()
