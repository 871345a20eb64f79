"""The quantized code-generation variants: ``int8``, ``int16x8`` and ``int8-weights``.

Each registers one :class:`~edgernn.codegen.registry.LayerEmitter` per IR layer kind. The
integer variants read the constants of :func:`edgernn.quant.lower.lower_node` (the same ones the
integer golden model uses) and write the matrices in the DSP layout of
:mod:`edgernn.quant.layout`; ``int8-weights`` writes int8 matrices with float32 row scales.
The graph must come from :func:`edgernn.quant.quantize` with the same variant name.
docs/quantization.md describes the generated API and numerics.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from edgernn.codegen.float32 import ACTIVATIONS
from edgernn.codegen.generate import c_float
from edgernn.codegen.registry import (
    CArray,
    LayerEmitter,
    Variant,
    register_emitter,
    register_variant,
)
from edgernn.errors import BuildError
from edgernn.ir.graph import Graph, Node
from edgernn.quant.fixed_point import sat16
from edgernn.quant.layout import BLOCK_ROWS, to_dsp_layout, to_pair_layout
from edgernn.quant.lower import LoweredNode, Projection, lower_node
from edgernn.quant.params import input_params, output_params

INTEGER_HEADERS = ("edgernn_fixed_point.h", "edgernn_functions.h", "edgernn_functions_int.h",
                   "edgernn_types.h", "edgernn_types_int.h")
INTEGER_TEMPLATES = ("model_int.h.j2", "model_int.c.j2")


@dataclass(frozen=True)
class IntegerFlavour:
    """What differs between the two integer variants."""

    variant: str
    suffix: str  # kernel dtype suffix
    ctype: str  # activation C type


FLAVOURS = {
    "int8": IntegerFlavour("int8", "s8", "int8_t"),
    "int16x8": IntegerFlavour("int16x8", "s16", "int16_t"),
}


def _io_context(graph: Graph, ctype: str) -> dict[str, Any]:
    """Model-level values of the integer templates: I/O types and quantization macros."""
    context: dict[str, Any] = {"io_type": ctype, "scratch_type": "int32_t", "quant_macros": []}
    if ctype == "float":
        context["scratch_type"] = "float"
        return context
    macros = []
    params = input_params(graph)
    if params is not None:
        macros += [("INPUT_SCALE", c_float(params.scale)),
                   ("INPUT_ZERO_POINT", str(params.zero_point))]
    out = output_params(graph)
    assert out is not None
    macros += [("OUTPUT_SCALE", c_float(out.scale)), ("OUTPUT_ZERO_POINT", str(out.zero_point))]
    context["quant_macros"] = macros
    return context


def _register_variant(name: str, description: str, ctype: str) -> Variant:
    return register_variant(Variant(
        name=name, description=description, element_type=ctype, headers=INTEGER_HEADERS,
        templates=INTEGER_TEMPLATES, quantized=True,
        model_context=lambda graph: _io_context(graph, ctype),
    ))


INT8 = _register_variant("int8", "int8 weights and activations, int32 accumulators", "int8_t")
INT16X8 = _register_variant("int16x8", "int8 weights, int16 activations, 64-bit accumulators",
                            "int16_t")
INT8_WEIGHTS = _register_variant("int8-weights", "int8 weights, float32 arithmetic", "float")


# ---- integer variants -------------------------------------------------------------------------

def _units(node: Node) -> int:
    return int(node.attrs["units"])


#: The int8 dense output stages the generated params point at (edgernn_dense_params_q.output_s8):
#: a linear head gets the one that links no softmax and no activation table.
DENSE_OUTPUT_LINEAR_S8 = "edgernn_dense_output_linear_s8"
DENSE_OUTPUT_S8 = "edgernn_dense_output_s8"

#: Alignment of the int8 weight matrices: one STM32L4+ flash cache line (32 bytes), so every
#: 16-byte weight batch of the kernels covers the first or the second half of one line and the
#: flash cost of a matrix does not depend on the arrays before it (with 4-byte alignment it
#: varied by up to 8 % of the matrix-vector kernel between builds). A start 8 bytes past a line
#: would be about one stall cycle per line cheaper still for the reordered batch loads
#: (edgernn_matvec_s8.c); not done: it needs padding inside the array.
MATRIX_ALIGN = 32


def _projection_arrays(name: str, proj: Projection, rows: Rows, variant: str) -> list[CArray]:
    w = proj.w[rows]
    shape = f"{w.shape[0]}x{w.shape[1]}"
    if variant == "int8":
        arrays = [CArray(f"{name}_w", "int8_t", to_pair_layout(w),
                         f"{shape} int8, row-pair layout (rows and columns padded to even)",
                         align=MATRIX_ALIGN)]
    else:
        block_rows = BLOCK_ROWS[variant]
        arrays = [CArray(f"{name}_w", "int8_t", to_dsp_layout(w, block_rows),
                         f"{shape} int8, DSP layout ({block_rows}-row blocks)",
                         align=MATRIX_ALIGN)]
    bias = proj.bias[rows]
    if np.any(bias != 0):
        arrays.append(CArray(f"{name}_bias", "int32_t", bias, f"{w.shape[0]} int32, zero point "
                                                             "folded in"))
    arrays.append(CArray(f"{name}_multiplier", "int32_t", proj.multiplier[rows],
                         f"{w.shape[0]} Q31 multipliers"))
    shifts = np.asarray(proj.shift[rows])
    if variant == "int8" and shifts.size and np.any(shifts != shifts.flat[0]):
        # the int8 kernels load a matrix's shift once (edgernn_fixed_point.h)
        raise BuildError(f"projection {name}: the int8 kernels need one shift per matrix, got "
                         f"{sorted(set(shifts.tolist()))} (quantize with edgernn.quant)")
    arrays.append(CArray(f"{name}_shift", "int8_t", proj.shift[rows], f"{w.shape[0]} shifts"))
    return arrays


Rows = slice | np.ndarray

#: Kinds whose int8 kernel takes the gate rows unit by unit: (i_0, f_0, g_0, o_0, i_1, ...)
#: instead of gate by gate, so its per-unit loop walks one pointer per array
#: (edgernn_lstm_step_s8, edgernn_gru_step_s8 with reset_after).
_UNIT_MAJOR_GATES = {"lstm": 4, "gru": 3}


def _unit_major(node: Node, variant: str) -> bool:
    return (variant == "int8" and node.kind in _UNIT_MAJOR_GATES
            and bool(node.attrs.get("reset_after", True)))


def _split(low: LoweredNode, variant: str) -> dict[str, tuple[Projection, Rows]]:
    """Projections as the kernel's params struct has them (GRU reset-before splits W_h)."""
    node = low.node
    if node.kind == "dense":
        return {"w": (low.projections["w"], slice(None))}
    if _unit_major(node, variant):
        gates, u = _UNIT_MAJOR_GATES[node.kind], _units(node)
        order = np.arange(gates * u).reshape(gates, u).T.ravel()
        return {"x": (low.projections["x"], order), "h": (low.projections["h"], order)}
    parts = {"x": (low.projections["x"], slice(None)), "h": (low.projections["h"], slice(None))}
    if node.kind == "gru" and not node.attrs.get("reset_after", True):
        u = _units(node)
        parts["h"] = (low.projections["h"], slice(0, 2 * u))
        parts["hn"] = (low.projections["h"], slice(2 * u, 3 * u))
    return parts


def _integer_arrays(flavour: IntegerFlavour):
    def arrays(node: Node) -> list[CArray]:
        low = lower_node(node)
        if node.kind == "embedding":
            assert low.table is not None
            return [CArray("table", "int8_t", low.table, "x".join(map(str, low.table.shape)))]
        out: list[CArray] = []
        for name, (proj, rows) in _split(low, flavour.variant).items():
            out += _projection_arrays(name, proj, rows, flavour.variant)
        return out

    return arrays


def _token_arrays(embedding: Node, node: Node) -> list[CArray] | None:
    """int8 RNN/LSTM/GRU (reset_after) right after the embedding: the input part of every token.

    ``sat16(requantize(W_x E[v] + b'_x))`` depends on the token v only, so it is computed here
    with the golden model's own functions (:meth:`Projection.apply`) for the whole vocabulary
    and stored as an int16 table in the kernel's row order; the cell reads its row instead of
    the embedding lookup, the widening and the input projection. The h projection's arrays stay.
    """
    if node.kind not in _UNIT_MAJOR_GATES and node.kind != "rnn":
        return None
    if node.kind == "gru" and not node.attrs.get("reset_after", True):
        return None
    table = lower_node(embedding).table
    assert table is not None
    low = lower_node(node)
    parts = _split(low, "int8")
    proj, rows = parts["x"]
    xq = sat16(proj.apply(table.astype(np.int64)))[:, rows]
    out = [CArray("token_xq", "int16_t", xq,
                  f"{xq.shape[0]}x{xq.shape[1]} int16 Q3.12: the input part per token")]
    hproj, hrows = parts["h"]
    return out + _projection_arrays("h", hproj, hrows, "int8")


def _clamp(value: int, flavour: IntegerFlavour) -> int:
    info = np.iinfo(np.int8 if flavour.suffix == "s8" else np.int16)
    return int(min(max(value, info.min), info.max))


def _recurrent_state(extra: dict[str, int], flavour: IntegerFlavour):
    """State buffers of an integer recurrent layer: h (its output) and, for int8, h16 (the
    recurrent state as int16, which can hold a zero point outside int8)."""
    def state(node: Node) -> dict[str, int]:
        u = _units(node)
        out = {"h": u} | ({"h16": u} if flavour.suffix == "s8" else {})
        return out | {name: u for name in extra}
    return state


def _integer_context(flavour: IntegerFlavour):
    def context(node: Node) -> dict[str, Any]:
        low = lower_node(node)
        c = low.consts
        ctx: dict[str, Any] = {
            "sfx": flavour.suffix, "ctype": flavour.ctype, "consts": dict(c),
            "state_types": {"h": flavour.ctype, "c": "int16_t", "h16": "int16_t"},
            # int8 h may have its zero point outside int8 (it is stored as real 0 only in the
            # int16 state h16); the int8 copy is the layer's output, written before it is read
            "state_zero": {"h": _clamp(c["output_zero_point"], flavour),
                           "h16": c["output_zero_point"]},
        }
        if node.kind == "embedding":
            return ctx
        ctx["proj"] = {
            name: {"bias": bool(np.any(proj.bias[rows] != 0)), "acc_shift": proj.acc_shift}
            for name, (proj, rows) in _split(low, flavour.variant).items()
        }
        if node.kind == "dense":
            activation = node.attrs.get("activation", "linear")
            if activation not in ACTIVATIONS:
                raise BuildError(f"layer {node.name}: activation {activation!r} has no "
                                 f"{flavour.variant} kernel")
            ctx["activation"] = ACTIVATIONS[activation]
            ctx["output_s8"] = ("NULL" if flavour.variant != "int8" else
                                DENSE_OUTPUT_LINEAR_S8 if activation == "linear" else
                                DENSE_OUTPUT_S8)
        if node.kind == "gru":
            ctx["reset_after"] = bool(node.attrs.get("reset_after", True))
        return ctx

    return context




S8_CHUNK_ROWS = 64
"""EDGERNN_S8_CHUNK_ROWS of edgernn_types_int.h: rows the int8 projection kernels sum at a time."""


def _scratch(kind: str, flavour: IntegerFlavour):
    """Python twin of EDGERNN_<KIND>_<SFX>_BUFFER_SIZE (int32 words)."""

    def words(n: int) -> int:
        return (n + 1) // 2

    s8 = flavour.suffix == "s8"

    def scratch(node: Node) -> int:
        n_in, u = node.input_size, int(node.attrs["units"])
        if not s8:
            if kind == "rnn":
                return u + words(u)
            if kind == "lstm":
                return 4 * u + words(u) + words(4 * u)
            if kind == "gru":
                return 3 * u + words(u) + 2 * words(3 * u)
            return u + words(u)  # dense
        xw = words(n_in)
        if kind == "rnn":
            return u + xw + words(u)
        if kind == "lstm":
            return 4 * u + xw + words(4 * u)
        if kind == "gru":
            return 3 * u + xw + words(u) + 2 * words(3 * u)
        return u + xw  # dense

    return scratch


def _steps(kind: str, flavour: IntegerFlavour) -> dict[str, Any]:
    """The ``steps`` kernels of the int8 variant (windowed whole-sequence call); none else."""
    if flavour.suffix != "s8":
        return {}
    if kind == "embedding":
        return {"steps_functions": ("edgernn_embedding_s8",)}
    fold = {"token_arrays": _token_arrays} if kind in ("rnn", "lstm", "gru") else {}

    def words(n: int) -> int:
        return (n + 1) // 2

    gates = {"rnn": 1, "lstm": 4, "gru": 3}

    def scratch(node: Node) -> int:  # Python twin of EDGERNN_<KIND>_STEPS_S8_BUFFER_SIZE
        n_in = node.input_size
        u = int(node.attrs["units"])
        if kind == "dense":
            return max(2 * u + 2 * words(n_in), u + words(n_in))
        rows = gates[kind] * u
        first = max(rows, 2 * min(rows, S8_CHUNK_ROWS))
        cells = first + 2 * words(n_in) + 2 * words(rows)
        return max(cells, _scratch("gru", flavour)(node)) if kind == "gru" else cells

    name = {"rnn": "RNN_STEPS", "lstm": "LSTM_STEPS", "gru": "GRU_STEPS",
            "dense": "DENSE_STEPS"}[kind]
    return fold | {
        "steps_functions": (f"edgernn_{kind}_steps_s8",),
        "steps_scratch": scratch,
        "steps_scratch_macro": lambda node: (f"EDGERNN_{name}_S8_BUFFER_SIZE({node.input_size}, "
                                             f"{node.attrs['units']})"),
    }


def _macro(kind: str, flavour: IntegerFlavour):
    name = {"rnn": "RNN_STEP", "lstm": "LSTM_STEP", "gru": "GRU_STEP", "dense": "DENSE"}[kind]
    suffix = flavour.suffix.upper()
    return lambda node: (f"EDGERNN_{name}_{suffix}_BUFFER_SIZE({node.input_size}, "
                         f"{node.attrs['units']})")


for _flavour in FLAVOURS.values():
    _arrays = _integer_arrays(_flavour)
    _context = _integer_context(_flavour)
    _sfx = _flavour.suffix
    register_emitter(_flavour.variant, LayerEmitter(
        kind="embedding", template="integer/embedding.c.j2",
        functions=(f"edgernn_embedding_{_sfx}",), context=_context, arrays=_arrays,
        **_steps("embedding", _flavour),
    ))
    register_emitter(_flavour.variant, LayerEmitter(
        kind="dense", template="integer/dense.c.j2",
        functions=(f"edgernn_dense_{_sfx}",
                   *((DENSE_OUTPUT_LINEAR_S8, DENSE_OUTPUT_S8) if _sfx == "s8" else ())),
        scratch=_scratch("dense", _flavour), scratch_macro=_macro("dense", _flavour),
        context=_context, arrays=_arrays, **_steps("dense", _flavour),
    ))
    register_emitter(_flavour.variant, LayerEmitter(
        kind="rnn", template="integer/rnn.c.j2", functions=(f"edgernn_rnn_step_{_sfx}",),
        state=_recurrent_state({}, _flavour),
        scratch=_scratch("rnn", _flavour), scratch_macro=_macro("rnn", _flavour),
        context=_context, arrays=_arrays, **_steps("rnn", _flavour),
    ))
    register_emitter(_flavour.variant, LayerEmitter(
        kind="lstm", template="integer/lstm.c.j2", functions=(f"edgernn_lstm_step_{_sfx}",),
        state=_recurrent_state({"c": 1}, _flavour),
        scratch=_scratch("lstm", _flavour), scratch_macro=_macro("lstm", _flavour),
        context=_context, arrays=_arrays, **_steps("lstm", _flavour),
    ))
    register_emitter(_flavour.variant, LayerEmitter(
        kind="gru", template="integer/gru.c.j2", functions=(f"edgernn_gru_step_{_sfx}",),
        state=_recurrent_state({}, _flavour),
        scratch=_scratch("gru", _flavour), scratch_macro=_macro("gru", _flavour),
        context=_context, arrays=_arrays, **_steps("gru", _flavour),
    ))


# ---- int8-weights -----------------------------------------------------------------------------

def _w8_arrays(node: Node) -> list[CArray]:
    out: list[CArray] = []
    for name, tensor in node.weights.items():
        data = tensor.data
        shape = "x".join(map(str, data.shape))
        if data.dtype == np.int8:
            scale = np.asarray(tensor.annotations["scale"], dtype=np.float32)
            out.append(CArray(name, "int8_t", data, f"{shape} int8"))
            out.append(CArray(f"{name}_scale", "float", scale, f"{data.shape[0]} row scales"))
        else:
            out.append(CArray(name, "float", np.asarray(data, dtype=np.float32), shape))
    return out


def _w8_context(node: Node) -> dict[str, Any]:
    ctx: dict[str, Any] = {}
    if node.kind == "dense":
        activation = node.attrs.get("activation", "linear")
        if activation not in ACTIVATIONS:
            raise BuildError(f"layer {node.name}: activation {activation!r} has no "
                             "int8-weights kernel")
        ctx["activation"] = ACTIVATIONS[activation]
    if node.kind == "gru":
        ctx["reset_after"] = bool(node.attrs.get("reset_after", True))
    return ctx


register_emitter("int8-weights", LayerEmitter(
    kind="embedding", template="int8_weights/embedding.c.j2",
    functions=("edgernn_embedding_w8f32",), arrays=_w8_arrays,
))
register_emitter("int8-weights", LayerEmitter(
    kind="dense", template="int8_weights/dense.c.j2", functions=("edgernn_dense_w8f32",),
    context=_w8_context, arrays=_w8_arrays,
))
register_emitter("int8-weights", LayerEmitter(
    kind="rnn", template="int8_weights/rnn.c.j2", functions=("edgernn_rnn_step_w8f32",),
    state=lambda node: {"h": _units(node)}, scratch=_units,
    scratch_macro=lambda n: f"EDGERNN_RNN_STEP_W8F32_BUFFER_SIZE({n.input_size}, {_units(n)})",
    arrays=_w8_arrays,
))
register_emitter("int8-weights", LayerEmitter(
    kind="lstm", template="int8_weights/lstm.c.j2", functions=("edgernn_lstm_step_w8f32",),
    state=lambda node: {"h": _units(node), "c": _units(node)},
    scratch=lambda node: 4 * _units(node),
    scratch_macro=lambda n: f"EDGERNN_LSTM_STEP_W8F32_BUFFER_SIZE({n.input_size}, {_units(n)})",
    arrays=_w8_arrays,
))
register_emitter("int8-weights", LayerEmitter(
    kind="gru", template="int8_weights/gru.c.j2", functions=("edgernn_gru_step_w8f32",),
    state=lambda node: {"h": _units(node)}, scratch=lambda node: 6 * _units(node),
    scratch_macro=lambda n: f"EDGERNN_GRU_STEP_W8F32_BUFFER_SIZE({n.input_size}, {_units(n)})",
    context=_w8_context, arrays=_w8_arrays,
))

from edgernn.codegen import integer_qrnn_sru as _integer_qrnn_sru  # noqa: E402,F401  (int8)
