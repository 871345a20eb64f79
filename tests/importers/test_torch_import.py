"""PyTorch modules imported by tracing forward(): golden model against the module's own outputs."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn
from torch_cases import (
    CASES,
    STEPS,
    CharModel,
    LastStep,
    SeqHead,
    batch_major,
    example_input,
    torch_outputs,
)

from edgernn.errors import EdgernnError, ModelFileError
from edgernn.importers import ModelImportError, load
from edgernn.reference import run_reference

TOLERANCE = 1e-5


@pytest.mark.parametrize("case", sorted(CASES))
def test_module_matches_golden_model(case: str, record_property) -> None:
    build, shape, vocabulary = CASES[case]
    module = build()
    graph = load(module, example_input_shape=shape)
    time_major = graph.metadata["imported_from"]["batch_first"] is False
    xs = example_input(shape, vocabulary)
    expected = torch_outputs(module, xs)
    got = run_reference(graph, batch_major(xs, time_major))
    expected = expected if got.ndim == 2 else batch_major(expected, time_major)
    diff = float(np.max(np.abs(got - expected)))
    record_property("max_abs_diff", diff)
    assert graph.sequence_length == STEPS
    assert got.shape == expected.shape
    assert diff <= TOLERANCE, diff


def test_layers_and_attributes_are_what_the_module_computes() -> None:
    build, shape, _ = CASES["gru_stacked_last_tanh"]
    graph = load(build(), example_input_shape=shape, name="my model")
    assert graph.name == "my_model"
    assert [(n.kind, n.attrs.get("return_sequences")) for n in graph.nodes] == [
        ("gru", True), ("gru", False), ("dense", None)
    ]
    assert graph.nodes[-1].attrs["activation"] == "tanh"
    assert graph.nodes[0].attrs["reset_after"] is True
    assert not graph.sequential_output


def test_sequence_length_argument_without_example_shape() -> None:
    build, _, _ = CASES["rnn_seq"]
    graph = load(build(), sequence_length=40)
    assert graph.sequence_length == 40 and graph.input_size == 5
    with pytest.raises(ModelImportError, match="does not fix its sequence length"):
        load(build())


def test_state_dict_with_module(tmp_path) -> None:
    torch.manual_seed(0)
    trained = CharModel()
    path = tmp_path / "char.pt"
    torch.save(trained.state_dict(), path)
    graph = load(path, module=CharModel(), example_input_shape=(1, 30))
    assert graph.name == "char" and graph.tokens_input and graph.sequence_length == 30
    np.testing.assert_array_equal(graph.nodes[0].w("table"), trained.embedding.weight.detach())
    with pytest.raises(ModelImportError, match="holds no architecture; pass the model as module="):
        load(path, example_input_shape=(1, 30))
    with pytest.raises(ModelFileError, match="weights do not fit the given module"):
        load(path, module=CharModel(vocabulary=21), example_input_shape=(1, 30))
    bad = tmp_path / "bad.pt"
    bad.write_bytes(path.read_bytes()[:100])
    with pytest.raises(ModelFileError, match="not a readable PyTorch state dict"):
        load(bad, module=CharModel(), example_input_shape=(1, 30))


# Projection LSTMs and bidirectional modules (not in CASES: torch.onnx cannot export proj_size).
LSTMP_BIDIR_CASES = {
    "lstm_proj": lambda: SeqHead(nn.LSTM(5, 10, proj_size=4, batch_first=True), nn.Linear(4, 3)),
    "lstm_proj_stacked_last": lambda: LastStep(
        nn.LSTM(5, 9, proj_size=3, num_layers=2, batch_first=True), nn.Linear(3, 2)),
    "bigru_seq": lambda: SeqHead(nn.GRU(5, 6, bidirectional=True, batch_first=True),
                                 nn.Linear(12, 3)),
    "bilstm_stacked_time_major": lambda: SeqHead(nn.LSTM(5, 7, num_layers=2, bidirectional=True),
                                                 nn.Linear(14, 2)),
    "bilstm_proj_then_rnn": lambda: SeqHead(
        nn.LSTM(5, 8, proj_size=3, bidirectional=True, batch_first=True),
        nn.Sequential(nn.Linear(6, 4), nn.Tanh())),
}


@pytest.mark.parametrize("case", sorted(LSTMP_BIDIR_CASES))
def test_projection_and_bidirectional_modules_match_golden(case: str) -> None:
    torch.manual_seed(11)
    module = LSTMP_BIDIR_CASES[case]()
    with torch.no_grad():
        for name, param in module.named_parameters():
            if "bias" in name:
                param.uniform_(-0.5, 0.5)
    module.eval()
    time_major = case.endswith("time_major")
    shape = (STEPS, 2, 5) if time_major else (2, STEPS, 5)
    graph = load(module, example_input_shape=shape)
    xs = example_input(shape, 0)
    expected = torch_outputs(module, xs)
    got = run_reference(graph, batch_major(xs, time_major))
    expected = expected if got.ndim == 2 else batch_major(expected, time_major)
    assert got.shape == expected.shape
    assert float(np.max(np.abs(got - expected))) <= TOLERANCE
    kinds = [n.kind for n in graph.nodes]
    if "proj" in case:
        inner = [n.attrs["layer"]["kind"] if n.kind == "bidirectional" else n.kind
                 for n in graph.nodes]
        assert "lstmp" in inner
    if case.startswith("bi"):
        assert "bidirectional" in kinds


def test_last_step_and_final_state_of_a_bidirectional_module_are_refused() -> None:
    class Last(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bi = nn.GRU(3, 5, bidirectional=True, batch_first=True)
            self.fc = nn.Linear(10, 2)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.fc(self.bi(x)[0][:, -1])

    with pytest.raises(ModelImportError) as info:
        load(Last(), example_input_shape=(1, 10, 3))
    message = str(info.value)
    assert "the last step of a bidirectional module's output" in message
    assert "Supported: nn.Embedding, nn.RNN (tanh), nn.LSTM (proj_size too)" in message
    assert "\n" not in message

    class Final(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bi = nn.GRU(3, 5, bidirectional=True, batch_first=True)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.bi(x)[1][-1]

    with pytest.raises(ModelImportError, match="final state"):
        load(Final(), example_input_shape=(1, 10, 3))


def test_unsupported_module_and_function_are_listed() -> None:
    class Conv(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.rnn = nn.LSTM(4, 8, batch_first=True)
            self.conv = nn.Conv1d(8, 8, 3)
            self.fc = nn.Linear(8, 2)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            out = self.conv(self.rnn(x)[0].transpose(1, 2)).transpose(1, 2)
            return torch.nn.functional.elu(self.fc(out))

    with pytest.raises(ModelImportError) as info:
        load(Conv(), example_input_shape=(1, 10, 4))
    message = str(info.value)
    assert "node 3 'transpose' (.transpose()): not supported" in message
    assert "(elu): not supported" in message


def test_forward_that_the_handlers_cannot_see_is_caught_by_the_check() -> None:
    class Scaled(SeqHead):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.head(self.rnn(x * 2.0)[0])

    module = Scaled(nn.RNN(3, 4, batch_first=True), nn.Linear(4, 2))
    with pytest.raises(ModelImportError, match=r"\(mul\): not supported"):
        load(module, example_input_shape=(1, 6, 3))


def test_untraceable_forward_and_non_zero_initial_state() -> None:
    class Branchy(LastStep):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            if x.sum() > 0:
                return self.head(self.rnn(x)[0])
            return x

    with pytest.raises(ModelImportError, match="cannot trace forward"):
        load(Branchy(nn.GRU(3, 4, batch_first=True), nn.Linear(4, 2)), example_input_shape=(1, 5, 3))

    class WithState(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.rnn = nn.GRU(3, 4, batch_first=True)
            self.h0 = nn.Parameter(torch.ones(1, 1, 4))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.rnn(x, self.h0)[0]

    with pytest.raises(EdgernnError, match="get_attr"):
        load(WithState(), example_input_shape=(1, 5, 3))
