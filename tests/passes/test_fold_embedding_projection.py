"""fold_embedding_projection: the folded model computes what the unfolded one does, with fewer
MACs, on the golden model, the host C build and the simulated board (docs/passes.md).

Every comparison is against the UNFOLDED float golden model, within the float32 tolerance
(1e-5 absolute).
"""

from __future__ import annotations

import numpy as np
import pytest
from fold_cases import CASES, TOKEN_SPECS, unfolded

from edgernn.bench.variants import get_deploy_variant
from edgernn.codegen import generate_c, get_emitter, get_variant
from edgernn.errors import BuildError, ModelFileError, PassError, QuantizationError
from edgernn.ir import (
    Tensor,
    build_graph,
    count_model,
    get_kind,
    load_graph,
    save_graph,
    validate_graph,
)
from edgernn.passes import FLOAT32_PASSES, fold_embedding_projection, run_passes
from edgernn.reference import run_reference
from edgernn.spec import load_spec
from edgernn.targets import FLOAT_TOLERANCE, build_host, random_inputs, run_on_device
from edgernn.targets.firmware import weight_arrays

FOLD = ["fold_embedding_projection"]

# Input-side bias that moves into the table, per case (GRU reset after keeps b_h).
MOVED_BIAS = {
    "shakespeare1": "b", "shakespeare2": "b", "tokens_lstm": "b", "tokens_gru_after": "b_x",
    "tokens_gru_before": "b",
}
KEPT = {
    "shakespeare1": {"w_h"}, "shakespeare2": {"w_h"}, "tokens_lstm": {"w_h"},
    "tokens_gru_after": {"w_h", "b_h"}, "tokens_gru_before": {"w_h"},
}


@pytest.mark.parametrize("name", CASES)
def test_fold_builds_the_projected_table(name: str) -> None:
    graph = unfolded(name)
    before = {(n.name, w): t.data.copy() for n in graph.nodes for w, t in n.weights.items()}
    folded = run_passes(graph, FOLD)
    embedding, recurrent = graph.nodes[0], graph.nodes[1]
    new_embedding, new_recurrent = folded.nodes[0], folded.nodes[1]
    width = get_kind(recurrent.kind).input_projection.width(recurrent.attrs)

    expected = (
        embedding.w("table").astype(np.float64) @ recurrent.w("w_x").astype(np.float64).T
        + recurrent.w(MOVED_BIAS[name]).astype(np.float64)
    ).astype(np.float32)
    table = new_embedding.w("table")
    assert table.dtype == np.float32 and table.shape == (embedding.attrs["vocabulary"], width)
    np.testing.assert_array_equal(table, expected)
    assert new_embedding.attrs == {"vocabulary": embedding.attrs["vocabulary"], "dim": width}
    assert new_recurrent.attrs == {**recurrent.attrs, "input_projected": True}
    assert new_recurrent.input_size == width
    assert set(new_recurrent.weights) == KEPT[name]
    for wname in KEPT[name]:
        np.testing.assert_array_equal(new_recurrent.w(wname), recurrent.w(wname))
    # Later layers are untouched; the input graph is not modified.
    for old, new in zip(graph.nodes[2:], folded.nodes[2:], strict=True):
        assert (old.name, old.attrs, set(old.weights)) == (new.name, new.attrs, set(new.weights))
    assert {(n.name, w) for n in graph.nodes for w in n.weights} == set(before)
    for (node, wname), data in before.items():
        np.testing.assert_array_equal(graph.node(node).w(wname), data)
    assert "input_projected" not in graph.nodes[1].attrs
    assert folded.metadata["passes"] == FOLD
    assert folded.spec == graph.spec


@pytest.mark.parametrize("name", CASES)
def test_folded_golden_model_matches_unfolded(name: str) -> None:
    graph = unfolded(name)
    folded = run_passes(graph, FOLD)
    xs = random_inputs(graph, 8, seed=3)
    diff = np.max(np.abs(run_reference(folded, xs) - run_reference(graph, xs)))
    assert diff <= 1e-6, diff


@pytest.mark.parametrize("name", CASES)
def test_folded_host_c_matches_unfolded_golden(name: str, tmp_path) -> None:
    graph = unfolded(name)
    folded = run_passes(graph, FOLD)
    xs = random_inputs(graph, 6, seed=4)
    build = build_host(folded, tmp_path)
    assert build.compiler_output == "", "the generated C must compile without any warning"
    source = build.model.source.read_text()
    assert f"{graph.name}_{graph.nodes[1].name}_w_x" not in source
    assert ".w_x = NULL," in source
    reference = run_reference(graph, xs)
    outputs = build.run(xs)
    assert float(np.max(np.abs(outputs - reference))) <= FLOAT_TOLERANCE
    steps = build.run(xs, mode="step")
    assert np.array_equal(steps if graph.sequential_output else steps[:, -1], outputs)


@pytest.mark.parametrize(("name", "sequences"), [
    ("shakespeare1", 1), ("tokens_lstm", 2), ("tokens_gru_after", 2), ("tokens_gru_before", 2),
])
def test_folded_firmware_matches_unfolded_golden_and_host(name: str, sequences: int,
                                                           tmp_path) -> None:
    graph = unfolded(name)
    folded = run_passes(graph, FOLD)
    xs = random_inputs(graph, sequences, seed=5)
    # The firmware build checks every array weight_arrays names is in the ELF, in flash.
    run = run_on_device(folded, xs, build_dir=tmp_path / "device")
    assert float(np.max(np.abs(run.outputs - run_reference(graph, xs)))) <= FLOAT_TOLERANCE
    host = build_host(folded, tmp_path / "host")
    np.testing.assert_array_equal(run.outputs, host.run(xs))
    assert set(run.build.weight_addresses) == set(weight_arrays(folded))


def test_shakespeare2_saves_the_input_macs_and_flash(tmp_path) -> None:
    graph = unfolded("shakespeare2")
    folded = run_passes(graph, FOLD)
    vocabulary, dim, units, steps = 65, 64, 128, 100
    # MACs of what is computed: the folded RNN does W_h h only.
    before, after = count_model(graph), count_model(folded)
    assert before.macs == 3_289_600
    assert before.macs - after.macs == units * dim * steps
    rnn = next(layer for layer in after.layers if layer.kind == "rnn")
    assert rnn.macs_per_step == units * units
    assert rnn.elementwise_per_step == units  # W_h h + p
    assert after.parameters == vocabulary * units + units * units + 65 * units + 65
    # Flash: the 65 x 128 table (33 KB) replaces the 65 x 64 table, W_x and b (49.9 KB).
    sizes_before = generate_c(graph, tmp_path / "before").sizes
    sizes_after = generate_c(folded, tmp_path / "after").sizes
    assert sizes_before.flash_bytes - sizes_after.flash_bytes == 4 * (
        vocabulary * dim + units * dim + units - vocabulary * units
    ) == 16_640
    names = weight_arrays(folded)
    assert np.prod(names["shakespeare2_embedding_table"]) == vocabulary * units
    assert "shakespeare2_rnn_0_w_x" not in names and "shakespeare2_rnn_0_b" not in names
    assert np.prod(names["shakespeare2_rnn_0_w_h"]) == units * units


@pytest.mark.parametrize(("name", "macs", "elementwise"), [
    ("tokens_lstm", 4 * 20 * 20, 8 * 20),
    ("tokens_gru_after", 3 * 20 * 20, 11 * 20),
    ("tokens_gru_before", 3 * 20 * 20, 8 * 20),
])
def test_folded_op_counts(name: str, macs: int, elementwise: int) -> None:
    node = run_passes(unfolded(name), FOLD).nodes[1]
    ops = get_kind(node.kind).op_counts(node.attrs, node.input_size)
    assert (ops.macs, ops.elementwise) == (macs, elementwise)


def test_folded_graph_round_trips(tmp_path) -> None:
    folded = run_passes(unfolded("tokens_gru_after"), FOLD)
    loaded = load_graph(save_graph(folded, tmp_path / "run"))
    assert loaded.metadata == folded.metadata
    for a, b in zip(folded.nodes, loaded.nodes, strict=True):
        assert (a.name, a.kind, a.attrs, a.input_size) == (b.name, b.kind, b.attrs, b.input_size)
        assert set(a.weights) == set(b.weights)
        for wname, tensor in a.weights.items():
            np.testing.assert_array_equal(b.w(wname), tensor.data)
            assert b.w(wname).dtype == tensor.data.dtype
            assert b.weights[wname].annotations == tensor.annotations
    assert loaded.nodes[1].attrs["input_projected"] is True


def test_fold_is_idempotent_and_skips_models_without_embedding() -> None:
    folded = run_passes(unfolded("tokens_lstm"), FOLD)
    twice = run_passes(folded, FOLD)
    assert twice.metadata["passes"] == FOLD * 2
    np.testing.assert_array_equal(twice.nodes[0].w("table"), folded.nodes[0].w("table"))
    simple = build_graph(load_spec("simple1"), seed=0)
    same = run_passes(simple, FOLD)
    assert [n.attrs for n in same.nodes] == [n.attrs for n in simple.nodes]


def test_validator_rejects_inconsistent_projected_nodes() -> None:
    folded = run_passes(unfolded("tokens_lstm"), FOLD)
    folded.nodes[2].attrs["input_projected"] = True  # a dense layer
    with pytest.raises(ModelFileError, match="cannot take a projected input"):
        validate_graph(folded)
    folded = run_passes(unfolded("tokens_lstm"), FOLD)
    folded.nodes[0].attrs["dim"] = 9
    folded.nodes[0].weights["table"] = Tensor(np.zeros((23, 9), dtype=np.float32))
    folded.nodes[1].input_size = 9
    with pytest.raises(ModelFileError, match="projected input size 9 != gates x units 80"):
        validate_graph(folded)


def test_float32_deploy_variant_folds_and_keeps_the_original() -> None:
    graph = unfolded("shakespeare1")
    deployed = get_deploy_variant("float32").prepare(graph, np.zeros((1, 100)))
    assert FLOAT32_PASSES == ("fold_embedding_projection",)
    assert deployed.metadata["passes"] == list(FLOAT32_PASSES)
    assert deployed.nodes[1].attrs["input_projected"] is True
    assert "input_projected" not in graph.nodes[1].attrs
    # The benchmark counts the original model: EdgeMark's published figure.
    assert count_model(graph).edgemark_macs != count_model(deployed).edgemark_macs


def test_quantized_graphs_are_not_folded_and_integer_codegen_refuses_folded_nodes() -> None:
    from edgernn.quant import quantize

    graph = unfolded("tokens_gru_before")
    qgraph = quantize(graph, "int8", random_inputs(graph, 4, seed=1))
    with pytest.raises(PassError, match="float graphs only"):
        fold_embedding_projection(qgraph)
    folded = run_passes(graph, FOLD)
    for variant in ("int8", "int16x8", "int8-weights"):
        with pytest.raises(BuildError, match="does not support a projected input"):
            get_emitter(get_variant(variant), folded.nodes[1])


def test_quantize_refuses_a_folded_graph() -> None:
    from edgernn.quant import quantize

    graph = unfolded("shakespeare1")
    folded = run_passes(graph, FOLD)
    with pytest.raises(QuantizationError, match="input_projected"):
        quantize(folded, "int8", random_inputs(graph, 2, seed=1))


def test_token_specs_cover_every_foldable_kind() -> None:
    kinds = {(unfolded(n).nodes[1].kind, unfolded(n).nodes[1].attrs.get("reset_after"))
             for n in TOKEN_SPECS}
    assert kinds == {("lstm", None), ("gru", True), ("gru", False)}
