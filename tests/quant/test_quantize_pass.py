"""The quantization pass: IR contents, validation, save/load round trip, user errors."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from quant_cases import INTEGER_VARIANTS, VARIANTS, ZOO, calibration, float_graph, quantized

from edgernn.errors import EdgernnError, QuantizationError
from edgernn.ir import load_graph, save_graph
from edgernn.quant import (
    QParams,
    graph_variant,
    input_params,
    lower_node,
    quantize,
    quantize_inputs,
    validate_quantized,
)
from edgernn.quant.quantize import cell_frac_bits
from edgernn.reference.integer import run_integer_reference
from edgernn.targets import random_inputs


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", ZOO)
def test_parameters_round_trip_through_save_and_load(name: str, variant: str, tmp_path) -> None:
    qgraph = quantized(name, variant)
    save_graph(qgraph, tmp_path / "run")
    back = load_graph(tmp_path / "run")
    assert back.metadata == qgraph.metadata and graph_variant(back) == variant
    for a, b in zip(qgraph.nodes, back.nodes, strict=True):
        assert a.attrs == b.attrs
        for wname, tensor in a.weights.items():
            assert b.weights[wname].data.dtype == tensor.data.dtype
            assert np.array_equal(b.weights[wname].data, tensor.data)
            assert b.weights[wname].annotations == tensor.annotations
    validate_quantized(back)
    if variant in INTEGER_VARIANTS:
        q = quantize_inputs(qgraph, random_inputs(qgraph, 2, seed=5))
        assert np.array_equal(run_integer_reference(back, q), run_integer_reference(qgraph, q))


def test_integer_ir_contents() -> None:
    qgraph = quantized("lstm", "int8")
    lstm = qgraph.nodes[0]
    w_x = lstm.weights["w_x"]
    assert w_x.data.dtype == np.int8 and w_x.data.shape == (256, 32)
    assert {"dtype", "axis", "zero_point", "scale", "multiplier", "shift", "acc_shift"} <= set(
        w_x.annotations)
    assert len(w_x.annotations["scale"]) == 256 and np.abs(w_x.data).max() == 127
    assert lstm.weights["b"].data.dtype == np.int32
    quant = lstm.attrs["quant"]
    assert quant["variant"] == "int8" and quant["input"]["dtype"] == "int8"
    assert 0 <= quant["cell_frac_bits"] <= 15
    assert qgraph.nodes[1].attrs["quant"]["input"] == quant["output"]
    assert isinstance(input_params(qgraph), QParams)
    # the float graph is untouched
    assert float_graph("lstm").nodes[0].w("w_x").dtype == np.float32
    assert "quant" not in float_graph("lstm").nodes[0].attrs


def test_int16x8_is_symmetric_with_64_bit_sums_and_zero_acc_shift() -> None:
    qgraph = quantized("simple2", "int16x8")
    for node in qgraph.nodes:
        assert node.attrs["quant"]["output"]["zero_point"] == 0
        for tensor in node.weights.values():
            assert tensor.annotations.get("acc_shift", 0) == 0


def test_wide_int16x8_layer_gets_an_accumulator_shift() -> None:
    """A layer wider than int32 sums allow (1024 inputs at full scale) is rounded, not wrapped."""
    graph = copy.deepcopy(float_graph("simple1"))
    node = graph.nodes[0]
    node.input_size = 1024
    node.weights["w_x"].data = np.ones((64, 1024), np.float32)
    graph.spec = graph.spec.model_copy(
        update={"input": graph.spec.input.model_copy(update={"features": 1024})})
    qgraph = quantize(graph, "int16x8", np.ones((2, 100, 1024), np.float32))
    assert qgraph.nodes[0].weights["w_x"].annotations["acc_shift"] == 1
    low = lower_node(qgraph.nodes[0])
    out = low.projections["x"].apply(np.full((1, 1024), 32767))
    assert np.all(out > 0)  # no wrap-around


@pytest.mark.parametrize("cmax, k", [(0.0, 15), (0.99, 15), (1.0, 14), (1.5, 14), (2.0, 13),
                                     (7.9, 12), (100.0, 8)])
def test_cell_state_scale_covers_its_range(cmax: float, k: int) -> None:
    assert cell_frac_bits(cmax) == k
    assert cmax < 2.0 ** (15 - k)


def test_user_errors_are_quantization_errors() -> None:
    graph = float_graph("simple1")
    with pytest.raises(QuantizationError, match=r"variant 'int4' is not supported"):
        quantize(graph, "int4", calibration(graph))
    with pytest.raises(QuantizationError, match="calibration inputs must have shape"):
        quantize(graph, "int8", np.zeros((0, 100, 32)))
    with pytest.raises(QuantizationError, match="NaN"):
        quantize(graph, "int8", np.full((1, 100, 32), np.nan))
    with pytest.raises(QuantizationError, match="already quantized"):
        quantize(quantized("simple1", "int8"), "int8", calibration(graph))
    assert issubclass(QuantizationError, EdgernnError)


def test_validator_names_the_broken_invariant() -> None:
    qgraph = copy.deepcopy(quantized("gru", "int8"))
    qgraph.nodes[1].attrs["quant"]["input"]["scale"] *= 2
    with pytest.raises(QuantizationError, match="dense_1: input parameters differ"):
        validate_quantized(qgraph)
    qgraph = copy.deepcopy(quantized("gru", "int8"))
    qgraph.nodes[0].weights["w_h"].annotations["multiplier"][3] = 0
    with pytest.raises(QuantizationError, match="gru_0 weight w_h: multiplier outside Q31"):
        validate_quantized(qgraph)
    qgraph = copy.deepcopy(quantized("gru", "int8"))
    qgraph.nodes[0].weights["w_h"].annotations["shift"][3] += 1
    with pytest.raises(QuantizationError, match="gru_0 weight w_h: rows with different shifts"):
        validate_quantized(qgraph)
    qgraph = copy.deepcopy(quantized("gru", "int8"))
    qgraph.nodes[0].weights["w_x"].data = qgraph.nodes[0].w("w_x").astype(np.float32)
    with pytest.raises(QuantizationError, match="expected int8"):
        validate_quantized(qgraph)


def test_int8_codegen_refuses_a_matrix_without_one_shift() -> None:
    """The int8 kernels load a matrix's shift once: generation names a matrix that breaks it."""
    from edgernn.codegen import render_c
    from edgernn.errors import BuildError

    qgraph = copy.deepcopy(quantized("gru", "int8"))
    qgraph.nodes[0].weights["w_h"].annotations["shift"][3] += 1
    with pytest.raises(BuildError, match="projection h: the int8 kernels need one shift"):
        render_c(qgraph, "int8")
