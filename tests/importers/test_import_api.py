"""load()/import_to_run(): format registry, run directories, and generated C of imported models.

The C part compiles a few representative imported models (one per framework, covering every
recurrent kind) on the host and compares them with the golden model at the float32 tolerance.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
import torch
from torch_cases import CASES

from edgernn.errors import EdgernnError, ModelFileError
from edgernn.importers import IMPORTERS, ModelImportError, find_importer, import_to_run, load
from edgernn.ir import load_graph
from edgernn.reference import run_reference
from edgernn.runs import CHECK_INPUTS_FILE
from edgernn.targets import check_on_host

FIXTURES = Path(__file__).parent / "fixtures" / "tf215"


def test_registry_covers_every_format() -> None:
    assert {"keras", "keras-h5", "onnx", "torch"} <= set(IMPORTERS)
    assert find_importer(FIXTURES / "gru.keras").name == "keras"
    assert find_importer(FIXTURES / "gru.h5").name == "keras-h5"
    assert find_importer(torch.nn.GRU(2, 3)).name == "torch"
    assert issubclass(ModelImportError, EdgernnError)


def test_format_found_by_leading_bytes(tmp_path) -> None:
    renamed = tmp_path / "model.bin"
    renamed.write_bytes((FIXTURES / "lstm.h5").read_bytes())
    assert load(renamed).nodes[0].kind == "lstm"


def test_unknown_files_and_objects(tmp_path) -> None:
    text = tmp_path / "model.txt"
    text.write_text("hello")
    with pytest.raises(ModelImportError, match=r"model.txt: unknown model file type .txt \(known: "):
        load(text)
    with pytest.raises(ModelFileError, match="no such model file"):
        load(tmp_path / "missing.onnx")
    with pytest.raises(ModelImportError, match="cannot import a dict"):
        load({"weights": 1})
    with pytest.raises(ModelImportError, match="unknown model format 'tflite'"):
        load(text, format="tflite")


def test_import_to_run_writes_a_run_every_command_reads(tmp_path) -> None:
    graph, run = import_to_run(FIXTURES / "shakespeare1.keras", tmp_path / "run", name="shk1")
    loaded = load_graph(run)
    assert loaded.name == "shk1" and loaded.spec == graph.spec
    for a, b in zip(loaded.nodes, graph.nodes, strict=True):
        for key in a.weights:
            np.testing.assert_array_equal(a.w(key), b.w(key))
    inputs = np.load(run / CHECK_INPUTS_FILE)
    assert inputs.shape == (10, 100) and inputs.max() < 65
    assert loaded.metadata["imported_from"]["format"] == "keras"


def _onnx_graph(tmp_path):
    build, shape, vocabulary = CASES["rnn_stacked_state"]
    path = tmp_path / "rnn_stacked.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(build(), (torch.zeros(shape),), str(path), dynamo=False)
    return load(path)


GRAPHS = {
    "keras_tf215_lstm": lambda tmp: load(FIXTURES / "lstm.h5"),
    "keras_tf215_gru": lambda tmp: load(FIXTURES / "gru.keras"),
    "torch_embedding_lstm": lambda tmp: load(CASES["embedding_lstm_softmax"][0](),
                                             example_input_shape=(1, 40)),
    "torch_gru_last": lambda tmp: load(CASES["gru_stacked_last_tanh"][0](),
                                       example_input_shape=(1, 30, 5)),
    "onnx_rnn_state": _onnx_graph,
}


@pytest.mark.parametrize("case", sorted(GRAPHS))
def test_generated_c_of_imported_model_matches(case: str, tmp_path, record_property) -> None:
    graph = GRAPHS[case](tmp_path)
    result = check_on_host(graph, sequences=3, build_dir=tmp_path / "build")
    record_property("max_abs_error", result.max_abs_error)
    assert result.compiler_output == ""
    assert result.max_abs_error <= 1e-5, result.max_abs_error
    assert result.passed
    np.testing.assert_allclose(result.reference, run_reference(graph, result.inputs), atol=0)
