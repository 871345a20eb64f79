"""ONNX models (read with the ``onnx`` package), mainly as written by ``torch.onnx.export``.

The importer follows the model's data path: the values computed from the graph input (a
``Shape`` node's output is metadata, not data) that the graph output depends on. Every node on
that path must be handled by a registered operator handler (:data:`ONNX_OPS`); nodes computing
only from constants and shapes (the ``Shape``/``Gather``/``Concat``/``Expand`` glue that
``torch.onnx.export`` writes to build initial states) are not interpreted, except that a
recurrent operator's initial state must be provably zero.

Operators: ``RNN`` (Tanh), ``LSTM`` (default activations, peepholes ``P`` = diagonal ``lstmp``,
no ``input_forget``), ``GRU`` (``linear_before_reset`` 1 = ``reset_after``, 0 = reset before),
forward or bidirectional direction (a ``bidirectional`` node; its ``Y`` must be merged into the
features by ``Transpose`` + ``Reshape``, as torch.onnx writes it), any ``layout``; ``Gather``
of an initializer table by the token ids (embedding), or of the last time step / last layer's
final state; ``MatMul`` and ``Gemm`` with a constant matrix, ``Add`` of a constant (dense
layers); ``Relu``, ``Sigmoid``, ``Tanh``, ``Softmax`` (over the features);
``Transpose``, ``Squeeze``, ``Unsqueeze``, ``Slice`` of the last step, ``Concat`` of final
states, ``Identity``, ``Dropout``, ``Cast``.

Layout conversions: ``W`` ``[1, gates*hidden, input]`` and ``R`` ``[1, gates*hidden, hidden]``
are already ``(outputs, inputs)``; LSTM gate blocks ``i, o, f, c`` become ``i, f, g, o``; GRU
``z, r, h`` is the canonical order; ``B = [Wb, Rb]`` is summed into one bias, except for a
``linear_before_reset`` GRU, whose ``Wb``/``Rb`` become ``b_x``/``b_h``. ``MatMul`` matrices
``(in, out)`` are transposed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from edgernn.errors import ModelFileError
from edgernn.importers.base import (
    F32,
    ChainBuilder,
    Importer,
    ModelImportError,
    register_importer,
    resolve_sequence_length,
    source_name,
)
from edgernn.importers.symbolic import (
    BROKEN,
    Broken,
    Sym,
    normalize_axis,
    pick_state,
    to_reference_layout,
)
from edgernn.ir.graph import Graph

SUPPORTED = (
    "RNN (Tanh), LSTM (peepholes too), GRU (linear_before_reset 0 or 1), forward or "
    "bidirectional (its output sequence, directions merged by Transpose + Reshape), zero "
    "initial state; Gather (embedding, last step), MatMul/Gemm/Add with constant weights, Relu, "
    "Sigmoid, Tanh, Softmax; Transpose, Squeeze, Unsqueeze, Slice (last step), Concat (final "
    "states), Identity, Dropout, Cast"
)
# Largest difference between onnx's reference evaluator and the imported graph (float32).
CHECK_TOLERANCE = 1e-4
_LSTM_TO_CANONICAL = (0, 2, 3, 1)
# Handlers called even when their input is broken, to report their own settings too.
RECURRENT_OPS = ("RNN", "LSTM", "GRU")  # ONNX blocks i, o, f, c -> canonical i, f, g(=c), o


@dataclass
class OnnxContext:
    """What operator handlers need: constants, producers, the builder and the input's roles."""

    builder: ChainBuilder
    constants: dict[str, np.ndarray]
    producers: dict[str, Any]
    input_dims: list[int | None]
    opset: int = 13
    roles: dict[str, str] = field(default_factory=dict)
    where: str = ""

    def refuse(self, what: str) -> Broken:
        """Record ``what`` as unsupported at the current node."""
        self.builder.unsupported(self.where, what)
        return BROKEN

    def const(self, name: str) -> np.ndarray | None:
        """The constant value of tensor ``name`` (initializer or Constant node), if it is one."""
        return self.constants.get(name) if name else None

    def is_zero(self, name: str) -> bool:
        """True when tensor ``name`` is absent or provably all zeros."""
        if not name:
            return True
        value = self.const(name)
        if value is not None:
            return not np.any(value)
        node = self.producers.get(name)
        if node is None:
            return False
        if node.op_type == "Expand":
            return self.is_zero(node.input[0])
        if node.op_type == "ConstantOfShape":
            attr = _attrs(node).get("value")
            return attr is None or not np.any(attr)
        if node.op_type in ("Identity", "Cast"):
            return self.is_zero(node.input[0])
        return False

    def steps(self) -> int | None:
        """The input's time dimension, once the first recurrent operator told which it is."""
        for label, role in self.roles.items():
            if role == "T":
                dim = self.input_dims[int(label[1:])]
                return dim if dim else None
        return None


Handler = Callable[[OnnxContext, Any, list[Any], dict[str, Any]], list[Any]]
ONNX_OPS: dict[str, Handler] = {}


def register_op(*op_types: str) -> Callable[[Handler], Handler]:
    """Decorator: register the handler of ONNX operators ``op_types``.

    A handler gets the context, the node, its inputs (a :class:`Sym` for values on the data
    path, None for constants: read those with ``ctx.const``) and its attributes, and returns
    one value per node output.
    """

    def wrap(fn: Handler) -> Handler:
        for op_type in op_types:
            ONNX_OPS[op_type] = fn
        return fn

    return wrap


def _attrs(node: Any) -> dict[str, Any]:
    from onnx import helper, numpy_helper

    out = {}
    for attr in node.attribute:
        value = helper.get_attribute_value(attr)
        if hasattr(value, "raw_data") or hasattr(value, "float_data"):
            value = numpy_helper.to_array(value)
        elif isinstance(value, bytes):
            value = value.decode()
        elif isinstance(value, list):
            value = [v.decode() if isinstance(v, bytes) else v for v in value]
        out[attr.name] = value
    return out


def _data(ins: list[Any]) -> Sym:
    return next(v for v in ins if isinstance(v, Sym))


@register_op("Identity", "Dropout", "Cast")
def _identity(ctx: OnnxContext, node: Any, ins: list, attrs: dict) -> list:
    if node.op_type == "Dropout" and len(node.output) > 1 and node.output[1]:
        return [ins[0], ctx.refuse("the dropout mask output")]
    return [ins[0]]


@register_op("Transpose")
def _transpose(ctx: OnnxContext, node: Any, ins: list, attrs: dict) -> list:
    x = ins[0]
    perm = attrs.get("perm") or list(reversed(range(len(x.axes))))
    return [x.with_axes(tuple(x.axes[p] for p in perm))]


def _axes_operand(ctx: OnnxContext, node: Any, attrs: dict) -> list[int] | None:
    if "axes" in attrs:
        return [int(a) for a in attrs["axes"]]
    if len(node.input) > 1 and node.input[1]:
        value = ctx.const(node.input[1])
        return None if value is None else [int(a) for a in np.asarray(value).reshape(-1)]
    return []


@register_op("Squeeze")
def _squeeze(ctx: OnnxContext, node: Any, ins: list, attrs: dict) -> list:
    x = ins[0]
    axes = _axes_operand(ctx, node, attrs)
    if axes is None:
        return [ctx.refuse("squeeze axes that are not constant")]
    if not axes:
        axes = [i for i, a in enumerate(x.axes) if a in ("1", "D") or (a == "L" and
                                                                        len(x.stack) == 1)]
    positions = sorted({normalize_axis(a, len(x.axes)) for a in axes}, key=lambda p: p or 0)
    if None in positions:
        return [ctx.refuse(f"squeeze axes {axes} out of range")]
    labels = [x.axes[p] for p in positions]
    if "L" in labels and x.tag in ("state", "cell"):
        if x.tag == "cell":
            return [ctx.refuse("the LSTM's final cell state (output Y_c)")]
        if len(x.stack) != 1:
            return [ctx.refuse("squeezing stacked final states")]
        picked = pick_state(ctx.builder, ctx.where, x, 0)
        return [picked if picked is not None else BROKEN]
    for label in labels:
        if label not in ("1", "D", "B"):
            return [ctx.refuse(f"squeezing axis {label}")]
    return [x.with_axes(tuple(a for i, a in enumerate(x.axes) if i not in positions))]


@register_op("Unsqueeze")
def _unsqueeze(ctx: OnnxContext, node: Any, ins: list, attrs: dict) -> list:
    x = ins[0]
    axes = _axes_operand(ctx, node, attrs)
    if not axes:
        return [ctx.refuse("unsqueeze axes that are not constant")]
    rank = len(x.axes) + len(axes)
    positions = sorted(normalize_axis(a, rank) for a in axes)
    labels = list(x.axes)
    for p in positions:
        labels.insert(p, "1")
    return [x.with_axes(tuple(labels))]


@register_op("RNN", "LSTM", "GRU")
def _recurrent(ctx: OnnxContext, node: Any, ins: list, attrs: dict) -> list:
    op = node.op_type
    outputs_broken = [BROKEN] * len(node.output)
    x = ins[0]
    names = list(node.input) + [""] * 8
    problems = []
    direction = _text(attrs.get("direction", "forward"))
    if direction not in ("forward", "bidirectional"):
        problems.append(f"direction={direction} (only forward or bidirectional; a reversed "
                        "layer alone is not an IR layer)")
    defaults = {"RNN": ["Tanh"], "LSTM": ["Sigmoid", "Tanh", "Tanh"], "GRU": ["Sigmoid", "Tanh"]}
    if list(attrs.get("activations", defaults[op])) != defaults[op]:
        problems.append(f"activations={list(attrs['activations'])} (only {defaults[op]})")
    if attrs.get("clip") is not None:
        problems.append("clip (cell clipping)")
    if op == "LSTM" and attrs.get("input_forget", 0):
        problems.append("input_forget=1 (coupled input and forget gates)")
    peepholes = op == "LSTM" and not ctx.is_zero(names[7])
    if peepholes and ctx.const(names[7]) is None:
        problems.append("peepholes (input P) that are not a constant initializer")
    if names[4]:
        problems.append("sequence_lens (variable sequence lengths)")
    for index in (5, 6) if op == "LSTM" else (5,):
        if not ctx.is_zero(names[index]):
            problems.append(f"a non-zero or computed initial state ({names[index]!r})")
    if any(isinstance(ins[i], Sym) for i in range(1, len(ins))):
        problems.append("weights computed from the input")
    weights = [ctx.const(names[i]) for i in (1, 2)]
    if any(w is None for w in weights):
        problems.append("weights W, R that are not constant initializers")
    for problem in problems:
        ctx.refuse(problem)
    if problems or not isinstance(x, Sym):
        return outputs_broken
    layout = int(attrs.get("layout", 0))
    expected = ("B", "T", "F") if layout else ("T", "B", "F")
    if len(x.axes) != 3:
        return [ctx.refuse(f"input of rank {len(x.axes)} (expected 3)")] + outputs_broken[1:]
    if not ctx.roles:
        for label, role in zip(x.axes[:2], expected[:2], strict=True):
            if label.startswith("x"):
                ctx.roles[label] = role
    x = x.with_axes(tuple(ctx.roles.get(a, a) for a in x.axes[:2]) + ("F",))
    if x.axes != expected:
        return [ctx.refuse(f"input axes {x.axes}, expected {expected}")] + outputs_broken[1:]
    w, r = (np.asarray(a, dtype=F32) for a in weights)
    hidden = int(attrs.get("hidden_size", r.shape[-1]))
    gates = {"RNN": 1, "LSTM": 4, "GRU": 3}[op]
    dirs = 2 if direction == "bidirectional" else 1
    if w.ndim != 3 or w.shape[0] != dirs or r.shape != (dirs, gates * hidden, hidden):
        return [ctx.refuse(f"weight shapes W {w.shape}, R {r.shape}")] + outputs_broken[1:]
    b = ctx.const(names[3])
    biases = (np.zeros((dirs, 2, gates * hidden), F32) if b is None
              else np.asarray(b, dtype=F32).reshape(dirs, 2, gates * hidden))
    p = np.asarray(ctx.const(names[7]), dtype=F32).reshape(dirs, 3, hidden) if peepholes else None
    halves = [_canonical(op, attrs, w[d], r[d], biases[d], None if p is None else p[d], hidden)
              for d in range(dirs)]
    kind = {"RNN": "rnn", "LSTM": "lstm", "GRU": "gru"}[op]
    extra: dict[str, Any] = {}
    if op == "GRU":
        extra["reset_after"] = bool(int(attrs.get("linear_before_reset", 0)))
    if peepholes:
        extra |= {"units": hidden, "peephole": "diagonal"}
    if dirs == 2:
        ctx.builder.add_bidirectional(kind, halves[0], halves[1], ctx.where, **extra)
    else:
        ctx.builder.add_recurrent(kind, halves[0], ctx.where, **extra)
    # final states of a bidirectional operator: no stack entry can be picked (refused)
    layer = (ctx.builder.recurrent_count - 1,) if dirs == 1 else ()
    d_axis = "D" if dirs == 1 else "D2"  # D2: the two directions, merged by a Reshape
    y_axes = ("B", "T", d_axis, "F") if layout else ("T", d_axis, "B", "F")
    state_axes = ("B", "L", "F") if layout else ("L", "B", "F")
    outputs = [
        x.with_axes(y_axes, width=hidden),
        Sym(state_axes, width=hidden, tag="state", stack=layer),
        Sym(state_axes, width=hidden, tag="cell", stack=layer),
    ]
    return outputs[: len(node.output)]


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


# ONNX peephole blocks P = [p_i, p_o, p_f]: where p_i, p_f, p_o are
_ONNX_PEEPHOLES = {"p_i": 0, "p_f": 2, "p_o": 1}


def _canonical(op: str, attrs: dict, w: np.ndarray, r: np.ndarray, bias: np.ndarray,
               p: np.ndarray | None, hidden: int) -> dict[str, np.ndarray]:
    """One direction's canonical weights from its ONNX ``W``, ``R``, ``B`` (2 rows), ``P``."""
    if op == "LSTM":
        order = np.concatenate([np.arange(k * hidden, (k + 1) * hidden)
                                for k in _LSTM_TO_CANONICAL])
        w, r, bias = w[order], r[order], bias[:, order]
    if op == "GRU" and int(attrs.get("linear_before_reset", 0)):
        return {"w_x": w, "w_h": r, "b_x": bias[0], "b_h": bias[1]}
    weights = {"w_x": w, "w_h": r, "b": bias[0] + bias[1]}
    if p is not None:
        weights |= {name: p[row] for name, row in _ONNX_PEEPHOLES.items()}
    return weights


@register_op("Reshape")
def _reshape(ctx: OnnxContext, node: Any, ins: list, attrs: dict) -> list:
    """Only the merge of a recurrent operator's directions into the features:
    ``(..., D, F) -> (..., D F)`` (torch.onnx's ``[0, 0, -1]`` after the Transpose)."""
    x = ins[0]
    shape = ctx.const(node.input[1]) if len(node.input) > 1 else None
    if not isinstance(x, Sym) or shape is None:
        return [ctx.refuse("a reshape that is not constant")]
    dims = [int(d) for d in np.asarray(shape).reshape(-1)]
    directions = {"D": 1, "D2": 2}.get(x.axes[-2] if len(x.axes) >= 2 else "", 0)
    width = directions * int(x.width or 0)
    keeps = len(dims) == len(x.axes) - 1 and all(d == 0 for d in dims[:-1]) \
        and dims[-1] in (-1, width)
    if not directions or x.axes[-1] != "F" or not keeps:
        return [ctx.refuse("a reshape other than merging a recurrent operator's directions "
                           "into the features")]
    return [x.with_axes(x.axes[:-2] + ("F",), width=width)]


@register_op("Concat")
def _concat(ctx: OnnxContext, node: Any, ins: list, attrs: dict) -> list:
    states = [v for v in ins if isinstance(v, Sym)]
    if len(states) != len(ins) or any(s.tag != "state" for s in states):
        return [ctx.refuse("concatenation other than of recurrent layers' final states")]
    first = states[0]
    axis = normalize_axis(int(attrs.get("axis", 0)), len(first.axes))
    if axis is None or first.axes[axis] != "L" or any(s.axes != first.axes for s in states):
        return [ctx.refuse("concatenation of final states along an axis other than layers")]
    stack = tuple(i for s in states for i in s.stack)
    return [first.with_axes(first.axes, stack=stack)]


def _take(ctx: OnnxContext, x: Sym, axis: int, item: int) -> Any:
    """``x`` indexed with a scalar on ``axis``: last step, a final state, or a unit axis."""
    label = x.axes[axis]
    if x.tag == "cell":
        return ctx.refuse("the LSTM's final cell state (output Y_c)")
    if label == "L":
        picked = pick_state(ctx.builder, ctx.where, x, item)
        return picked if picked is not None else BROKEN
    if label == "T":
        steps = ctx.steps()
        if item != -1 and (steps is None or item != steps - 1):
            return ctx.refuse(f"time step {item} (only the last)")
        ctx.builder.take_last_step(ctx.where)
    elif label not in ("1", "D", "B") or item not in (0, -1):
        return ctx.refuse(f"index {item} on axis {label}")
    return x.with_axes(x.axes[:axis] + x.axes[axis + 1 :])


@register_op("Gather")
def _gather(ctx: OnnxContext, node: Any, ins: list, attrs: dict) -> list:
    data, indices = ins[0], ins[1]
    axis = int(attrs.get("axis", 0))
    if indices is not None and data is None:
        table = ctx.const(node.input[0])
        if table is None or table.ndim != 2 or axis != 0:
            return [ctx.refuse("a gather that is not an embedding lookup in a constant table")]
        if indices.width is not None or not indices.tokens:
            return [ctx.refuse("an embedding lookup not on the model's token-id input")]
        ctx.builder.add_embedding(np.asarray(table, dtype=F32), ctx.where)
        return [indices.with_axes(indices.axes + ("F",), width=int(table.shape[1]),
                                  tokens=False)]
    index = ctx.const(node.input[1])
    if index is None or np.asarray(index).size != 1 or indices is not None:
        return [ctx.refuse("a gather with computed or several indices")]
    position = normalize_axis(axis, len(data.axes))
    if position is None:
        return [ctx.refuse(f"gather axis {axis} out of range")]
    keep_axis = np.asarray(index).ndim > 0
    out = _take(ctx, data, position, int(np.asarray(index).reshape(-1)[0]))
    if keep_axis and isinstance(out, Sym):
        out = out.with_axes(out.axes[:position] + ("1",) + out.axes[position:])
    return [out]


@register_op("Slice")
def _slice(ctx: OnnxContext, node: Any, ins: list, attrs: dict) -> list:
    x = ins[0]
    operands = [ctx.const(n) if n else None for n in list(node.input[1:5]) + [""] * 4][:4]
    starts, ends, axes, steps = (
        None if v is None else [int(a) for a in np.asarray(v).reshape(-1)] for v in operands
    )
    if starts is None or ends is None or any(
        name and value is None for name, value in zip(node.input[3:5], (axes, steps),
                                                      strict=False)
    ):
        return [ctx.refuse("slice bounds that are not constant")]
    axes = axes if axes is not None else list(range(len(starts)))
    steps = steps if steps is not None else [1] * len(starts)
    labels = list(x.axes)
    big = 2**62
    for start, end, axis, step in zip(starts, ends, axes, steps, strict=True):
        position = normalize_axis(axis, len(labels))
        if position is None or step != 1:
            return [ctx.refuse(f"slice on axis {axis} with step {step}")]
        if start == 0 and end >= big:
            continue
        n = ctx.steps()
        if labels[position] == "T" and end >= big and (start == -1 or (n and start == n - 1)):
            ctx.builder.take_last_step(ctx.where)
            labels[position] = "1"
            continue
        return [ctx.refuse(f"slice [{start}:{end}] of axis {labels[position]} (only the last "
                           "time step)")]
    return [x.with_axes(tuple(labels))]


def _matrix_operand(ctx: OnnxContext, node: Any, ins: list, position: int) -> np.ndarray | None:
    if isinstance(ins[position], Sym):
        return None
    value = ctx.const(node.input[position])
    return None if value is None else np.asarray(value, dtype=F32)


@register_op("MatMul")
def _matmul(ctx: OnnxContext, node: Any, ins: list, attrs: dict) -> list:
    x = ins[0]
    matrix = _matrix_operand(ctx, node, ins, 1)
    if not isinstance(x, Sym) or matrix is None or matrix.ndim != 2:
        return [ctx.refuse("a matrix product other than (data) x (constant matrix)")]
    if x.axes[-1] != "F" or x.tag != "data":
        return [ctx.refuse("a matrix product not over the features")]
    ctx.builder.add_dense(matrix.T, None, ctx.where)
    return [x.with_axes(x.axes, width=int(matrix.shape[1]))]


@register_op("Gemm")
def _gemm(ctx: OnnxContext, node: Any, ins: list, attrs: dict) -> list:
    x = ins[0]
    matrix = _matrix_operand(ctx, node, ins, 1)
    bias = _matrix_operand(ctx, node, ins, 2) if len(node.input) > 2 and node.input[2] else None
    if (not isinstance(x, Sym) or matrix is None or attrs.get("transA", 0)
            or (len(node.input) > 2 and node.input[2] and bias is None)):
        return [ctx.refuse("a Gemm other than (data) x (constant matrix) + (constant bias)")]
    if x.axes[-1] != "F" or x.tag != "data":
        return [ctx.refuse("a Gemm not over the features")]
    alpha, beta = float(attrs.get("alpha", 1.0)), float(attrs.get("beta", 1.0))
    w = matrix if attrs.get("transB", 0) else matrix.T
    w = (alpha * w).astype(F32)
    b = None
    if bias is not None:
        b = np.broadcast_to(beta * bias.reshape(-1), (w.shape[0],)).astype(F32)
    ctx.builder.add_dense(w, b, ctx.where)
    return [x.with_axes(x.axes, width=int(w.shape[0]))]


@register_op("Add")
def _add(ctx: OnnxContext, node: Any, ins: list, attrs: dict) -> list:
    data = [v for v in ins if isinstance(v, Sym)]
    const_name = node.input[1] if isinstance(ins[0], Sym) else node.input[0]
    value = ctx.const(const_name)
    if len(data) != 1 or value is None:
        return [ctx.refuse("an addition other than (data) + (constant bias)")]
    ctx.builder.add_bias(value, ctx.where)
    return [data[0]]


def _activation(name: str) -> Handler:
    def handle(ctx: OnnxContext, node: Any, ins: list, attrs: dict) -> list:
        x = ins[0]
        if x.tag != "data":
            return [ctx.refuse(f"{name} of a final state")]
        if name == "softmax":
            default = -1 if ctx.opset >= 13 else 1
            axis = normalize_axis(int(attrs.get("axis", default)), len(x.axes))
            if axis != len(x.axes) - 1:
                return [ctx.refuse("softmax over an axis other than the features")]
        ctx.builder.set_activation(name, ctx.where)
        return [x]

    return handle


for _op, _name in (("Relu", "relu"), ("Sigmoid", "sigmoid"), ("Tanh", "tanh"),
                   ("Softmax", "softmax")):
    ONNX_OPS[_op] = _activation(_name)


def _read(path: str | Path, source: str) -> Any:
    import onnx
    from google.protobuf.message import DecodeError

    try:
        model = onnx.load(str(path))
    except (DecodeError, ValueError, RuntimeError, OSError) as exc:
        raise ModelFileError(f"{source}: not a readable ONNX model, corrupt or truncated "
                             f"({type(exc).__name__}: {exc})") from None
    try:
        onnx.checker.check_model(model)
    except onnx.checker.ValidationError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid"
        raise ModelFileError(f"{source}: invalid ONNX model ({first})") from None
    if not model.graph.node:
        raise ModelFileError(f"{source}: the ONNX graph has no nodes (empty or truncated file)")
    return model


def load_onnx(path: str | Path, *, name: str | None = None,
              sequence_length: int | None = None, check: bool = True, **_: Any) -> Graph:
    """Import an ONNX model file.

    Args:
        path: the ``.onnx`` file.
        name: model name (default: the file name).
        sequence_length: time steps, when the model's input leaves them open.
        check: also run the model with onnx's reference evaluator on a random input and refuse
            the import if it disagrees with the imported graph by more than 1e-4.

    Raises:
        ModelFileError: the file is corrupt, truncated or invalid.
        ModelImportError: the model holds operators edgernn cannot express.
    """
    from onnx import numpy_helper

    source = source_name(path)
    model = _read(path, source)
    graph = model.graph
    constants: dict[str, np.ndarray] = {}
    try:
        for init in graph.initializer:
            constants[init.name] = numpy_helper.to_array(init)
    except (ValueError, OSError) as exc:
        raise ModelFileError(f"{source}: unreadable initializer ({exc})") from None
    opset = max((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")),
                default=13)
    producers: dict[str, Any] = {}
    for node in graph.node:
        for out in node.output:
            producers[out] = node
        if node.op_type == "Constant" and not node.input:
            value = _attrs(node)
            for key in ("value", "value_float", "value_int", "value_floats", "value_ints"):
                if key in value:
                    constants[node.output[0]] = np.asarray(value[key])
    inputs = [i for i in graph.input if i.name not in constants]
    builder = ChainBuilder(source=source, supported=SUPPORTED)
    if len(inputs) != 1 or len(graph.output) != 1:
        raise ModelImportError(f"{source}: {len(inputs)} inputs and {len(graph.output)} outputs; "
                               "only models with one input and one output are supported")
    model_input = inputs[0]
    tensor_type = model_input.type.tensor_type
    dims = [d.dim_value if d.HasField("dim_value") else None for d in tensor_type.shape.dim]
    tokens = tensor_type.elem_type in (6, 7)  # INT32, INT64
    ctx = OnnxContext(builder, constants, producers, dims, opset=int(opset))

    # the data path: values computed from the input that the output depends on
    data = {model_input.name}
    data_nodes = []
    for node in graph.node:
        if node.op_type != "Shape" and any(i in data for i in node.input):
            data_nodes.append(node)
            data.update(node.output)
    needed = {graph.output[0].name}
    path_nodes = []
    for node in reversed(data_nodes):
        if any(o in needed for o in node.output):
            path_nodes.append(node)
            needed.update(i for i in node.input if i in data)
    path_nodes.reverse()
    positions = {id(node): index for index, node in enumerate(graph.node)}

    env: dict[str, Any] = {model_input.name: Sym(tuple(f"x{i}" for i in range(len(dims))),
                                                 tokens=tokens)}
    for node in path_nodes:
        label = f" '{node.name}'" if node.name else ""
        ctx.where = f"node {positions[id(node)]}{label} ({node.op_type})"
        ins = [env.get(i) if i in data else None for i in node.input]
        handler = ONNX_OPS.get(node.op_type)
        if handler is None:  # reported even after an earlier problem: every one is listed
            domain = f" from domain {node.domain}" if node.domain else ""
            outs = [ctx.refuse(f"operator {node.op_type}{domain} not supported")] * len(
                node.output)
        elif any(isinstance(v, Broken) for v in ins) and node.op_type not in RECURRENT_OPS:
            outs = [BROKEN] * len(node.output)
        else:
            outs = handler(ctx, node, ins, _attrs(node))
        env.update(zip(node.output, outs, strict=False))
    result = env.get(graph.output[0].name)
    if isinstance(result, Sym) and result.tag != "data":
        builder.unsupported("output", "the model returns final states, not outputs")
    if result is None and not builder.problems:
        builder.unsupported("output", "the output does not depend on the input")
    builder.fail()
    seq = resolve_sequence_length(source, ctx.steps(), sequence_length)
    producer = f"{model.producer_name} {model.producer_version}".strip()
    metadata = {"imported_from": {"format": "onnx", "file": source, "opset": int(opset),
                                  "producer": producer}}
    imported = builder.build(name or Path(path).stem, seq, metadata)
    if check:
        _check_with_onnx_reference(model, imported, ctx, result, source)
    return imported


def _check_with_onnx_reference(model: Any, graph: Graph, ctx: OnnxContext, out: Sym,
                               source: str) -> None:
    """Compare onnx's reference evaluator with the golden model on one random input."""
    from onnx.reference import ReferenceEvaluator

    from edgernn.reference import run_reference

    rng = np.random.default_rng(0)
    roles = [ctx.roles.get(f"x{i}", "F") for i in range(len(ctx.input_dims))]
    shape = [graph.sequence_length if r == "T" else (dim or 1) if r == "B"
             else graph.input_size for r, dim in zip(roles, ctx.input_dims, strict=True)]
    if graph.tokens_input:
        dtype = np.int32 if model.graph.input[0].type.tensor_type.elem_type == 6 else np.int64
        xs = rng.integers(0, graph.nodes[0].attrs["vocabulary"], size=shape).astype(dtype)
    else:
        xs = rng.uniform(-1.0, 1.0, size=shape).astype(F32)
    input_name = next(i.name for i in model.graph.input if i.name not in ctx.constants)
    try:
        ys = ReferenceEvaluator(model).run(None, {input_name: xs})[0]
    except Exception as exc:  # noqa: BLE001 - the evaluator lacks some operators
        graph.metadata["imported_from"]["check"] = f"not run ({type(exc).__name__})"
        return
    order = [roles.index(r) for r in ("B", "T", "F") if r in roles]
    ref = run_reference(graph, np.transpose(xs, order))
    ys = to_reference_layout(out, np.asarray(ys, dtype=F32))
    if ys.shape != ref.shape:
        raise ModelImportError(f"{source}: the ONNX model's output shape {ys.shape} differs "
                               f"from the imported model's {ref.shape}")
    diff = float(np.max(np.abs(ref - ys)))
    graph.metadata["imported_from"]["check_max_abs_error"] = diff
    if not diff <= CHECK_TOLERANCE:
        raise ModelImportError(f"{source}: the imported model's outputs differ from the ONNX "
                               f"model's by {diff:.3g} (> {CHECK_TOLERANCE}); the graph computes "
                               f"something the importer does not model. Supported: {SUPPORTED}")


register_importer(Importer(
    name="onnx",
    description="ONNX model (RNN/LSTM/GRU operators), e.g. from torch.onnx.export",
    suffixes=(".onnx",),
    load=load_onnx,
    magic=None,
))
