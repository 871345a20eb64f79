"""Registry of layer kinds: weight layout, sizes and operation counts of each kind.

Canonical weight layout (every importer and trainer converts to it at the edge):

* matrices are stored output-major, shape ``(outputs, inputs)``, so that ``y = W @ x`` and a
  C matrix-vector kernel walks one contiguous row per output;
* gate blocks are stacked along the output axis in a fixed order:
  LSTM ``i, f, g, o`` (input, forget, cell candidate, output: the Keras and PyTorch order);
  GRU ``z, r, n`` (update, reset, candidate: the Keras order; PyTorch's is ``r, z, n``);
* GRU with ``reset_after`` keeps two biases (``b_x`` input side, ``b_h`` recurrent side), as
  Keras and PyTorch do; without it, one bias ``b``.

Operation counts follow the survey's Table 3 (Rezk et al. 2020): a MAC is one multiply-accumulate
of a weight with an activation in a matrix-vector product; elementwise additions and
multiplications (bias adds, gate sums, state updates) are counted separately as ``elementwise``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Shapes = dict[str, tuple[int, ...]]


@dataclass(frozen=True)
class OpCounts:
    """Operations of one layer for one time step."""

    macs: int = 0
    elementwise: int = 0
    nonlinear: int = 0


@dataclass(frozen=True)
class LayerKind:
    """One registered layer kind: everything about it that depends only on its attributes."""

    name: str
    recurrent: bool
    weight_shapes: Any  # (attrs, input_size) -> Shapes
    output_size: Any  # (attrs, input_size) -> int
    state_sizes: Any = field(default=lambda attrs: {})  # (attrs) -> {state name: length}
    op_counts: Any = field(default=lambda attrs, input_size: OpCounts())
    # FLOPs per output element that TensorFlow's profiler charges for the activation (EdgeMark).
    activation_flops: Any = field(default=lambda attrs: 0)


LAYER_KINDS: dict[str, LayerKind] = {}


def register_kind(kind: LayerKind) -> LayerKind:
    """Add a layer kind to the registry (one call per kind, at import)."""
    if kind.name in LAYER_KINDS:
        raise ValueError(f"layer kind {kind.name!r} registered twice")
    LAYER_KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> LayerKind:
    """Look up a registered layer kind by name."""
    try:
        return LAYER_KINDS[name]
    except KeyError:
        raise KeyError(f"unknown layer kind {name!r} (known: {', '.join(LAYER_KINDS)})") from None


def _gated(gates: int, has_two_biases: bool = False):
    def shapes(attrs: dict, n_in: int) -> Shapes:
        u = attrs["units"]
        out: Shapes = {"w_x": (gates * u, n_in), "w_h": (gates * u, u)}
        if has_two_biases and attrs.get("reset_after", True):
            out.update(b_x=(gates * u,), b_h=(gates * u,))
        else:
            out["b"] = (gates * u,)
        return out

    return shapes


def _units(attrs: dict, n_in: int) -> int:
    return attrs["units"]


register_kind(
    LayerKind(
        name="embedding",
        recurrent=False,
        weight_shapes=lambda a, n_in: {"table": (a["vocabulary"], a["dim"])},
        output_size=lambda a, n_in: a["dim"],
    )
)

register_kind(
    LayerKind(
        name="dense",
        recurrent=False,
        weight_shapes=lambda a, n_in: {"w": (a["units"], n_in), "b": (a["units"],)},
        output_size=_units,
        # bias add per output; the activation is an evaluation per output unless linear
        op_counts=lambda a, n_in: OpCounts(
            macs=a["units"] * n_in,
            elementwise=a["units"],
            nonlinear=0 if a["activation"] == "linear" else a["units"],
        ),
        activation_flops=lambda a: 5 if a["activation"] == "softmax" else 0,
    )
)

register_kind(
    LayerKind(
        name="rnn",
        recurrent=True,
        weight_shapes=_gated(1),
        output_size=_units,
        state_sizes=lambda a: {"h": a["units"]},
        # W x + U h (one add), + b (one add); one tanh per unit
        op_counts=lambda a, n_in: OpCounts(
            macs=a["units"] * (n_in + a["units"]),
            elementwise=2 * a["units"],
            nonlinear=a["units"],
        ),
    )
)

register_kind(
    LayerKind(
        name="lstm",
        recurrent=True,
        weight_shapes=_gated(4),
        output_size=_units,
        state_sizes=lambda a: {"h": a["units"], "c": a["units"]},
        # per gate: W x + U h, + b (2 adds x 4 gates); c = f*c + i*g (3); h = o*tanh(c) (1)
        # nonlinear: 3 sigmoids + 1 tanh for the gates, tanh(c)
        op_counts=lambda a, n_in: OpCounts(
            macs=4 * a["units"] * (n_in + a["units"]),
            elementwise=12 * a["units"],
            nonlinear=5 * a["units"],
        ),
    )
)


def _gru_elementwise(a: dict) -> int:
    # z, r: W x + b_x + U h + b_h (3 adds each; 2 with one bias).
    # n: reset_after: (W x + b_x) + r * (U h + b_h): 4; else W x + U (r*h) + b: 3.
    # h = z*h + (1-z)*n: 4.
    u = a["units"]
    return (14 if a.get("reset_after", True) else 11) * u


register_kind(
    LayerKind(
        name="gru",
        recurrent=True,
        weight_shapes=_gated(3, has_two_biases=True),
        output_size=_units,
        state_sizes=lambda a: {"h": a["units"]},
        op_counts=lambda a, n_in: OpCounts(
            macs=3 * a["units"] * (n_in + a["units"]),
            elementwise=_gru_elementwise(a),
            nonlinear=3 * a["units"],
        ),
    )
)
