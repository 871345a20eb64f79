"""The post-training quantization pass: float graph + calibration data -> quantized graph.

:func:`quantize` is a named pass over the IR (it returns a new graph and leaves its input alone),
followed by :func:`edgernn.ir.validate_graph` and :func:`validate_quantized`. What it does per
layer kind is a *recipe* (one per variant) holding a *node quantizer* per kind, both
registries: adding a variant is registering a recipe, adding a kind is registering a function.

Recipes (docs/quantization.md):

* ``int8``: int8 weights (symmetric, per output row), int8 activations (per tensor, asymmetric),
  int32 biases; gate pre-activations int16 Q3.12, activation outputs Q0.15, LSTM cell int16 with
  a power-of-two scale;
* ``int16x8``: the same with int16 symmetric activations (zero point 0) and 64-bit accumulators;
* ``int8-weights``: int8 weights with float32 per-row scales, float32 biases and arithmetic.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from edgernn.errors import QuantizationError
from edgernn.ir.graph import Graph, Node, Tensor, validate_graph
from edgernn.quant.calibrate import Calibration, NodeStats, calibrate
from edgernn.quant.fixed_point import (
    I64,
    INT32_MAX,
    INT32_MIN,
    SHIFT_MAX,
    SHIFT_MIN,
    quantize_multiplier,
)
from edgernn.quant.lower import (
    ACCUMULATOR_LIMIT,
    accumulator_bound,
    check_accumulators,
    fold_bias,
    lower_node,
)
from edgernn.quant.lut import GATE_FRAC_BITS, LOGIT_FRAC_BITS, OUT_FRAC_BITS
from edgernn.quant.params import (
    INT8_ACTIVATIONS,
    INT16_ACTIVATIONS,
    ActivationFormat,
    QParams,
    graph_variant,
    is_quantized,
)

WEIGHT_QMAX = 127  # weights use [-127, 127], symmetric
# Zero point bound of an int8 tensor whose real 0 is never stored (model input, dense linear
# output): its calibrated range need not contain 0 (ActivationFormat.params_for), and the zero
# point, folded into the consumer's bias, stays within int16 and within a quarter of the int32
# accumulator for the consumer's widest row (127 * fan-in * |zp| <= 2^29).
FREE_ZERO_POINT_LIMIT = 1 << 15
FOLDED_ZERO_POINT_BUDGET = 1 << 29
GATE_SCALE = 2.0**-GATE_FRAC_BITS
OUT_SCALE = 2.0**-OUT_FRAC_BITS
LOGIT_SCALE = 2.0**-LOGIT_FRAC_BITS


@dataclass(frozen=True)
class Context:
    """What a node quantizer gets besides the node: formats and the incoming activation."""

    variant: str
    activations: ActivationFormat | None
    input: QParams | None
    output_zero_point_limit: int | None = None  # set when the output's real 0 is never stored


NodeQuantizer = Callable[[Node, NodeStats, Context], Node]


@dataclass
class Recipe:
    """One quantization variant: its activation format and a quantizer per layer kind."""

    name: str
    description: str
    activations: ActivationFormat | None
    kinds: dict[str, NodeQuantizer] = field(default_factory=dict)


RECIPES: dict[str, Recipe] = {}


def register_recipe(recipe: Recipe) -> Recipe:
    """Add a quantization recipe (one per variant name, at import)."""
    if recipe.name in RECIPES:
        raise ValueError(f"quantization recipe {recipe.name!r} registered twice")
    RECIPES[recipe.name] = recipe
    return recipe


def register_node_quantizer(*recipes: str, kind: str) -> Callable[[NodeQuantizer], NodeQuantizer]:
    """Decorator: the quantizer of layer kind ``kind`` in the named recipes."""

    def wrap(fn: NodeQuantizer) -> NodeQuantizer:
        for name in recipes:
            table = RECIPES[name].kinds
            if kind in table:
                raise ValueError(f"{name} quantizer for kind {kind!r} registered twice")
            table[kind] = fn
        return fn

    return wrap


def get_recipe(name: str) -> Recipe:
    """The recipe ``name``; QuantizationError naming the supported ones otherwise."""
    try:
        return RECIPES[name]
    except KeyError:
        raise QuantizationError(
            f"quantization variant {name!r} is not supported (supported: {', '.join(RECIPES)})"
        ) from None


INT8 = register_recipe(Recipe("int8", "int8 weights and activations, int32 accumulators",
                              INT8_ACTIVATIONS))
INT16X8 = register_recipe(Recipe("int16x8", "int8 weights, int16 activations, 64-bit accumulators",
                                 INT16_ACTIVATIONS))
INT8_WEIGHTS = register_recipe(Recipe("int8-weights", "int8 weights, float32 arithmetic", None))
INTEGER_RECIPES = ("int8", "int16x8")

# Fixed output quantization of the bounded activations (TFLM's choice for int8).
FIXED_OUTPUTS: dict[tuple[str, str], QParams] = {
    ("int8", "sigmoid"): QParams("int8", 1.0 / 256.0, -128),
    ("int8", "softmax"): QParams("int8", 1.0 / 256.0, -128),
    ("int8", "tanh"): QParams("int8", 1.0 / 128.0, 0),
    ("int16", "sigmoid"): QParams("int16", OUT_SCALE, 0),
    ("int16", "softmax"): QParams("int16", OUT_SCALE, 0),
    ("int16", "tanh"): QParams("int16", OUT_SCALE, 0),
}


# ---- weights ----------------------------------------------------------------------------------

def row_scales(w: np.ndarray) -> np.ndarray:
    """Per-row symmetric scales ``max|w_r| / 127`` (1/127 for an all-zero row), float64."""
    peak = np.max(np.abs(np.asarray(w, dtype=np.float64)), axis=1)
    return np.where(peak > 0.0, peak, 1.0) / WEIGHT_QMAX


def quantize_rows(w: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """``clip(round(w / scale_r), -127, 127)`` as int8."""
    q = np.round(np.asarray(w, dtype=np.float64) / scales[:, None])
    return np.clip(q, -WEIGHT_QMAX, WEIGHT_QMAX).astype(np.int8)


def _multipliers(reals: np.ndarray, what: str) -> tuple[list[int], list[int]]:
    """Per-row Q31 multipliers of one matrix, all with the same shift.

    Each row's own normalised pair comes first (:func:`quantize_multiplier`); the matrix then
    takes the smallest shift ``s`` and every row the multiplier ``round(real_r * 2**(31 + s))``
    (at most the normalised one, so below 2**31; at least 1). Rows with a smaller scale keep
    ``31 - (s_r - s)`` bits, far more than an int8 product needs, and the kernels load the shift
    once per matrix instead of once per row (docs/quantization.md, "Requantization").
    """
    pairs = []
    for real in reals:
        try:
            pairs.append(quantize_multiplier(float(real)))
        except QuantizationError as exc:
            raise QuantizationError(f"{what}: {exc}") from None
    if not pairs:
        return [], []
    shift = min(s for _, s in pairs)
    multipliers = [m if s == shift else max(1, round(float(real) * 2.0 ** (31 + shift)))
                   for (m, s), real in zip(pairs, reals, strict=True)]
    return multipliers, [shift] * len(pairs)


def _integer_matrix(
    node: Node, weight: str, bias: str | None, x: QParams, target_scale: float,
    ctx: Context,
) -> dict[str, Tensor]:
    """Quantize ``weight`` (and ``bias``) of ``node`` for inputs ``x``, requantized to
    ``target_scale``; returns the new tensors by name."""
    w = node.w(weight)
    scales = row_scales(w)
    w_q = quantize_rows(w, scales)
    out: dict[str, Tensor] = {}
    b_q = None
    bias_scales = x.scale * scales
    if bias is not None:
        b = np.round(np.asarray(node.w(bias), dtype=np.float64) / bias_scales)
        if np.any(b < INT32_MIN) or np.any(b > INT32_MAX):
            raise QuantizationError(f"layer {node.name}: bias {bias} does not fit int32")
        b_q = b.astype(np.int32)
        out[bias] = Tensor(b_q, {"dtype": "int32", "axis": 0, "zero_point": 0,
                                 "scale": bias_scales.tolist()})
    acc_shift = 0
    if x.dtype == "int16":  # 64-bit accumulator, rounded into int32 only if it could overflow
        bound = int(accumulator_bound(w_q, fold_bias(w_q, b_q, 0), 1 << 15).max(initial=0))
        while (bound >> acc_shift) + 1 > ACCUMULATOR_LIMIT:
            acc_shift += 1
    reals = bias_scales / target_scale * 2.0**acc_shift
    multiplier, shift = _multipliers(reals, f"layer {node.name} weight {weight}")
    out[weight] = Tensor(w_q, {
        "dtype": "int8", "axis": 0, "zero_point": 0, "scale": scales.tolist(),
        "multiplier": multiplier, "shift": shift, "acc_shift": acc_shift,
    })
    return out


def _scalar(real: float, what: str) -> tuple[int, int]:
    try:
        return quantize_multiplier(real)
    except QuantizationError as exc:
        raise QuantizationError(f"{what}: {exc}") from None


def _record(ctx: Context, output: QParams, **consts: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"variant": ctx.variant}
    if ctx.input is not None:
        record["input"] = ctx.input.as_dict()
    record["output"] = output.as_dict()
    record.update(consts)
    return record


def _new_node(node: Node, weights: dict[str, Tensor], quant: dict[str, Any]) -> Node:
    attrs = copy.deepcopy(node.attrs)
    attrs["quant"] = quant
    ordered = {name: weights[name] for name in node.weights}
    return Node(name=node.name, kind=node.kind, attrs=attrs, input_size=node.input_size,
                weights=ordered)


def _require(ctx: Context) -> tuple[ActivationFormat, QParams]:
    if ctx.activations is None or ctx.input is None:
        raise QuantizationError("integer quantizer called without integer input parameters")
    return ctx.activations, ctx.input


# ---- integer node quantizers ------------------------------------------------------------------

@register_node_quantizer(*INTEGER_RECIPES, kind="embedding")
def quantize_embedding(node: Node, stats: NodeStats, ctx: Context) -> Node:
    """int8 table; it *is* the output activation (int8: asymmetric; int16x8: symmetric int8
    values widened to int16 on lookup)."""
    fmt = ctx.activations
    assert fmt is not None
    table = np.asarray(node.w("table"), dtype=np.float64)
    if fmt.symmetric:
        peak = float(np.abs(table).max(initial=0.0))
        table_q = QParams("int8", (peak if peak > 0.0 else 1.0) / WEIGHT_QMAX, 0)
    else:
        table_q = INT8_ACTIVATIONS.params_for(table.min(), table.max())
    q = table_q.quantize(table)
    output = QParams(fmt.dtype, table_q.scale, table_q.zero_point)
    tensor = Tensor(q, {"dtype": "int8", "axis": None, "scale": table_q.scale,
                        "zero_point": table_q.zero_point})
    return _new_node(node, {"table": tensor}, _record(ctx, output))


@register_node_quantizer(*INTEGER_RECIPES, kind="dense")
def quantize_dense(node: Node, stats: NodeStats, ctx: Context) -> Node:
    """linear/relu: requantize to the calibrated output; sigmoid/tanh: to Q3.12, table, then to
    the fixed output; softmax: to Q.11 logits, integer softmax, fixed output."""
    fmt, x = _require(ctx)
    activation = node.attrs.get("activation", "linear")
    consts: dict[str, Any] = {}
    if (fmt.dtype, activation) in FIXED_OUTPUTS:
        output = FIXED_OUTPUTS[(fmt.dtype, activation)]
        target = LOGIT_SCALE if activation == "softmax" else GATE_SCALE
        if activation != "softmax":
            m, s = _scalar(OUT_SCALE / output.scale, f"layer {node.name} output")
            consts.update(output_multiplier=m, output_shift=s)
    elif activation == "linear":  # no stored 0: the calibrated range itself
        output = fmt.params_for(stats.output.lo, stats.output.hi, ctx.output_zero_point_limit)
        target = output.scale
    elif activation == "relu":  # clamps at the zero point: 0 must be a stored value
        output = fmt.params_for(stats.output.lo, stats.output.hi)
        target = output.scale
    else:
        raise QuantizationError(
            f"layer {node.name}: activation {activation!r} has no {ctx.variant} quantizer"
        )
    weights = _integer_matrix(node, "w", "b", x, target, ctx)
    return _new_node(node, weights, _record(ctx, output, **consts))


# The odd-row sums of the int8 pair-layout matvec must stay below 2^23 in magnitude
# (edgernn_matvec_s8.c): with |x| <= 128 that holds for 512 columns; an initial state x = zp
# bounds |zp| by the recurrent fan-in.
PAIR_SUM_BOUND = 1 << 23
PAIR_CHUNK_COLS = 512
INT16_MAX = (1 << 15) - 1


def _state_params(node: Node, stats: NodeStats, ctx: Context, fmt: ActivationFormat) -> QParams:
    """Quantization of an RNN/LSTM/GRU output ``h``, which is also the recurrent state.

    int8: the state starts at real 0 but is stored as int16 (``h16`` in the int8 state
    structs), so 0 need not be an int8 value: the range keeps its calibrated resolution and
    the zero point may lie outside int8 (a hidden state that never goes near 0 would otherwise
    waste most of its 256 codes), bounded by the consumer's folded bias
    (``ctx.output_zero_point_limit``), by int16, and by the pair-layout matvec, which reads the
    initial state through the recurrent matrix. Other variants: TFLM's rule (0 in range).
    """
    lo, hi = stats.output.lo, stats.output.hi
    if ctx.variant != "int8":
        return fmt.params_for(lo, hi)
    fan_in = min(max(int(node.attrs["units"]), 1), PAIR_CHUNK_COLS)
    limit = min((PAIR_SUM_BOUND - 1) // (WEIGHT_QMAX * fan_in), INT16_MAX)
    if ctx.output_zero_point_limit is not None:
        limit = min(limit, ctx.output_zero_point_limit)
    return fmt.params_for(lo, hi, limit)


@register_node_quantizer(*INTEGER_RECIPES, kind="rnn")
def quantize_rnn(node: Node, stats: NodeStats, ctx: Context) -> Node:
    """Gates in Q3.12 (input and recurrent parts requantized separately), tanh table, h out."""
    fmt, x = _require(ctx)
    h = _state_params(node, stats, ctx, fmt)
    weights = _integer_matrix(node, "w_x", "b", x, GATE_SCALE, ctx)
    weights |= _integer_matrix(node, "w_h", None, h, GATE_SCALE, ctx)
    m, s = _scalar(OUT_SCALE / h.scale, f"layer {node.name} output")
    return _new_node(node, weights, _record(ctx, h, output_multiplier=m, output_shift=s))


def cell_frac_bits(max_abs_c: float) -> int:
    """Fractional bits of the int16 LSTM cell state: the power-of-two scale ``2**-k`` with the
    fewest integer bits whose range ``±2**(15-k)`` covers the calibrated ``max|c|``."""
    if not math.isfinite(max_abs_c):
        raise QuantizationError(f"LSTM cell state range {max_abs_c} is not finite")
    int_bits = 0 if max_abs_c < 1.0 else math.floor(math.log2(max_abs_c)) + 1
    if int_bits > 15:
        raise QuantizationError(f"LSTM cell state reaches {max_abs_c:.3g}, beyond int16 range")
    return 15 - int_bits


@register_node_quantizer(*INTEGER_RECIPES, kind="lstm")
def quantize_lstm(node: Node, stats: NodeStats, ctx: Context) -> Node:
    """Gates in Q3.12, cell state int16 with scale 2**-k, h = o * tanh(c) requantized from Q0.30."""
    fmt, x = _require(ctx)
    h = _state_params(node, stats, ctx, fmt)
    weights = _integer_matrix(node, "w_x", "b", x, GATE_SCALE, ctx)
    weights |= _integer_matrix(node, "w_h", None, h, GATE_SCALE, ctx)
    c_range = stats.states["c"].max_abs if "c" in stats.states else 0.0
    k = cell_frac_bits(c_range)
    m, s = _scalar(2.0**-30 / h.scale, f"layer {node.name} output")
    return _new_node(node, weights, _record(ctx, h, cell_frac_bits=k, output_multiplier=m,
                                            output_shift=s, cell_range=float(c_range)))


@register_node_quantizer(*INTEGER_RECIPES, kind="gru")
def quantize_gru(node: Node, stats: NodeStats, ctx: Context) -> Node:
    """Gates in Q3.12; ``h`` goes to Q0.15 for the update ``z h + (1 - z) n`` and back."""
    fmt, x = _require(ctx)
    h = _state_params(node, stats, ctx, fmt)
    if node.attrs.get("reset_after", True):
        weights = _integer_matrix(node, "w_x", "b_x", x, GATE_SCALE, ctx)
        weights |= _integer_matrix(node, "w_h", "b_h", h, GATE_SCALE, ctx)
    else:
        weights = _integer_matrix(node, "w_x", "b", x, GATE_SCALE, ctx)
        weights |= _integer_matrix(node, "w_h", None, h, GATE_SCALE, ctx)
    sm, ss = _scalar(h.scale / OUT_SCALE, f"layer {node.name} state")
    om, os_ = _scalar(OUT_SCALE / h.scale, f"layer {node.name} output")
    return _new_node(node, weights, _record(ctx, h, state_multiplier=sm, state_shift=ss,
                                            output_multiplier=om, output_shift=os_))


# ---- int8-weights -----------------------------------------------------------------------------

def dequantize_graph(graph: Graph) -> Graph:
    """The float32 graph an ``int8-weights`` graph computes: ``w = w_q * scale_r``.

    This is the golden model of the ``int8-weights`` variant (run it with
    :func:`edgernn.reference.run_reference`).
    """
    nodes = []
    for node in graph.nodes:
        weights = {}
        for name, tensor in node.weights.items():
            data = tensor.data
            if data.dtype == np.int8:
                scale = np.asarray(tensor.annotations["scale"], dtype=np.float32)
                data = data.astype(np.float32) * (scale[:, None] if scale.ndim else scale)
            weights[name] = Tensor(np.asarray(data, dtype=np.float32), {})
        attrs = {k: v for k, v in node.attrs.items() if k != "quant"}
        nodes.append(Node(node.name, node.kind, attrs, node.input_size, weights))
    metadata = {k: v for k, v in graph.metadata.items() if k != "quantization"}
    return Graph(spec=graph.spec, nodes=nodes, metadata=metadata)


def _float_rows(w: np.ndarray) -> Tensor:
    scales = row_scales(w).astype(np.float32).astype(np.float64)
    return Tensor(quantize_rows(w, scales), {"dtype": "int8", "axis": 0, "zero_point": 0,
                                            "scale": scales.tolist()})


@register_node_quantizer("int8-weights", kind="embedding")
@register_node_quantizer("int8-weights", kind="dense")
@register_node_quantizer("int8-weights", kind="rnn")
@register_node_quantizer("int8-weights", kind="lstm")
@register_node_quantizer("int8-weights", kind="gru")
def quantize_weights_only(node: Node, stats: NodeStats, ctx: Context) -> Node:
    """Every matrix (and the embedding table) int8 per row with float32 scales; biases kept."""
    weights = {
        name: _float_rows(t.data) if t.data.ndim == 2 else Tensor(t.data.copy(), {})
        for name, t in node.weights.items()
    }
    attrs = copy.deepcopy(node.attrs)
    attrs["quant"] = {"variant": ctx.variant}
    return Node(name=node.name, kind=node.kind, attrs=attrs, input_size=node.input_size,
                weights=weights)


# ---- the pass ---------------------------------------------------------------------------------

def quantize(graph: Graph, variant: str, calibration_inputs: np.ndarray) -> Graph:
    """Post-training quantization of ``graph`` (a new graph; ``graph`` is not modified).

    Args:
        graph: the float model.
        variant: ``int8``, ``int16x8`` or ``int8-weights`` (see :data:`RECIPES`).
        calibration_inputs: sequences the float golden model runs to record activation ranges,
            ``(n, steps, features)`` or ``(n, steps)`` token ids; a slice of the training
            inputs.

    Returns:
        The quantized graph, validated (:func:`validate_quantized`).

    Raises:
        QuantizationError: unknown variant, an unsupported layer or activation, bad calibration
            data, or a value that does not fit its integer type.
    """
    recipe = get_recipe(variant)
    validate_graph(graph)
    projected = [n.name for n in graph.nodes if n.attrs.get("input_projected")]
    if projected:
        raise QuantizationError(
            f"{graph.name}: layers {', '.join(projected)} take a projected input "
            "(input_projected, from fold_embedding_projection); quantize the unfolded float graph"
        )
    if is_quantized(graph):
        raise QuantizationError(f"{graph.name} is already quantized ({graph_variant(graph)})")
    calibration = calibrate(graph, calibration_inputs)
    fmt = recipe.activations
    first = calibration.nodes[0].input
    incoming = None
    if not graph.tokens_input and fmt is not None:
        incoming = fmt.params_for(first.lo, first.hi, free_zero_point_limit(graph.nodes[0]))
    nodes = []
    for index, (node, stats) in enumerate(zip(graph.nodes, calibration.nodes, strict=True)):
        quantizer = recipe.kinds.get(node.kind)
        if quantizer is None:
            raise QuantizationError(
                f"layer {node.name}: kind {node.kind!r} has no {variant} quantizer "
                f"(supported: {', '.join(sorted(recipe.kinds))})"
            )
        consumer = graph.nodes[index + 1] if index + 1 < len(graph.nodes) else None
        ctx = Context(variant, fmt, incoming, free_zero_point_limit(consumer))
        new = quantizer(node, stats, ctx)
        nodes.append(new)
        out = new.attrs["quant"].get("output")
        incoming = QParams.from_dict(out) if out else None
    metadata = copy.deepcopy(graph.metadata)
    metadata["quantization"] = _metadata(variant, calibration, nodes)
    qgraph = Graph(spec=graph.spec, nodes=nodes, metadata=metadata)
    validate_graph(qgraph)
    validate_quantized(qgraph)
    return qgraph


def free_zero_point_limit(consumer: Node | None) -> int:
    """Largest ``|zero_point|`` of an int8 tensor that is never stored as real 0 and feeds
    ``consumer`` (None: the model output): :data:`FREE_ZERO_POINT_LIMIT`, less for a consumer
    so wide that its folded bias ``-zp * sum_k w_rk`` could take more than
    :data:`FOLDED_ZERO_POINT_BUDGET` of the int32 accumulator. Values up to 127 mean TFLM's
    rule (the range contains 0)."""
    if consumer is None:
        return FREE_ZERO_POINT_LIMIT
    fan_in = max(int(consumer.input_size), 1)
    return min(FREE_ZERO_POINT_LIMIT, FOLDED_ZERO_POINT_BUDGET // (WEIGHT_QMAX * fan_in))


def _metadata(variant: str, calibration: Calibration, nodes: list[Node]) -> dict[str, Any]:
    info: dict[str, Any] = {
        "variant": variant,
        "calibration_sequences": calibration.sequences,
        "calibration_steps": calibration.steps,
    }
    first, last = nodes[0].attrs["quant"], nodes[-1].attrs["quant"]
    if "input" in first:
        info["input"] = dict(first["input"])
    if "output" in last:
        info["output"] = dict(last["output"])
    return info


# ---- validator --------------------------------------------------------------------------------

def _check(condition: bool, message: str) -> None:
    if not condition:
        raise QuantizationError(message)


def _check_matrix(node: Node, name: str, integer: bool) -> None:
    tensor = node.weights[name]
    notes = tensor.annotations
    rows = tensor.data.shape[0]
    where = f"layer {node.name} weight {name}"
    _check(tensor.data.dtype == np.int8, f"{where}: dtype {tensor.data.dtype}, expected int8")
    _check(int(np.min(tensor.data, initial=0)) >= -WEIGHT_QMAX, f"{where}: -128 is not used")
    scale = np.asarray(notes.get("scale", []), dtype=np.float64)
    _check(scale.shape == (rows,) and bool(np.all(scale > 0)), f"{where}: bad per-row scales")
    if not integer:
        return
    m = np.asarray(notes.get("multiplier", []), dtype=I64)
    s = np.asarray(notes.get("shift", []), dtype=I64)
    _check(m.shape == (rows,) and s.shape == (rows,), f"{where}: per-row multipliers missing")
    _check(bool(np.all((m >= 1) & (m < 2**31))), f"{where}: multiplier outside Q31 (1, 2^31)")
    _check(bool(np.all((s >= SHIFT_MIN) & (s <= SHIFT_MAX))), f"{where}: shift out of range")
    _check(bool(np.all(s == s[0])) if rows else True, f"{where}: rows with different shifts")
    _check(bool(np.any(m >= 2**30)) if rows else True, f"{where}: no normalised row multiplier")


def validate_quantized(graph: Graph) -> None:
    """Check the invariants the integer golden model and kernels rely on.

    Every node carries the graph's variant; matrices are int8 with positive per-row scales (and
    for integer variants Q31 multipliers with one shift per matrix, in range, the largest row's
    multiplier normalised to [2^30, 2^31)); biases are int32;
    activation parameters chain (each node's input is the previous node's output); no
    accumulator can leave int32.

    Raises:
        QuantizationError: naming the first broken invariant.
    """
    variant = graph_variant(graph)
    recipe = get_recipe(variant)
    integer = recipe.activations is not None
    previous: dict | None = None
    for index, node in enumerate(graph.nodes):
        quant = node.attrs.get("quant")
        _check(isinstance(quant, dict) and quant.get("variant") == variant,
               f"layer {node.name}: not quantized for {variant}")
        assert isinstance(quant, dict)
        for name, tensor in node.weights.items():
            if tensor.data.ndim == 2 and name != "table":
                _check_matrix(node, name, integer)
            elif integer and name != "table":
                _check(tensor.data.dtype == np.int32,
                       f"layer {node.name} bias {name}: dtype {tensor.data.dtype}, expected int32")
        if not integer:
            continue
        _check(node.weights.get("table") is None or node.w("table").dtype == np.int8,
               f"layer {node.name}: embedding table must be int8")
        if index > 0:
            _check(quant.get("input") == previous,
                   f"layer {node.name}: input parameters differ from the previous output")
        output = quant.get("output")
        _check(isinstance(output, dict) and output.get("dtype") == recipe.activations.dtype
               and float(output.get("scale", 0)) > 0,
               f"layer {node.name}: bad output parameters {output}")
        previous = output
        if node.kind != "embedding":
            check_accumulators(lower_node(node), 16 if recipe.activations.dtype == "int16" else 8)

from edgernn.quant import qrnn_sru as _qrnn_sru  # noqa: E402,F401  (int8 qrnn, sru quantizers)
