"""Quantization parameters as the IR stores them, and the activation formats of the variants.

A quantized graph keeps its float spec and node structure; what changes is recorded in three
places (docs/quantization.md, "In the IR"):

* each weight tensor's ``annotations`` (``dtype``, per-row ``scale``, ``zero_point``, ``axis``,
  and for integer matrices the per-row requantization ``multiplier``/``shift`` and the int16x8
  ``acc_shift``);
* each node's ``attrs["quant"]``: the variant, the ``input``/``output`` activation parameters
  (``{"dtype", "scale", "zero_point"}``) and the kind's scalar constants;
* ``graph.metadata["quantization"]``: the variant and calibration facts; its presence is what
  marks a graph as quantized.

Everything is plain values (floats, ints, lists), so :func:`edgernn.ir.save_graph` /
:func:`edgernn.ir.load_graph` round-trip it unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from edgernn.errors import QuantizationError
from edgernn.ir.graph import Graph

FLOAT_VARIANT = "float32"


@dataclass(frozen=True)
class QParams:
    """Affine quantization of one activation tensor: ``real = scale * (q - zero_point)``."""

    dtype: str
    scale: float
    zero_point: int

    def as_dict(self) -> dict[str, Any]:
        """The plain-value form stored in the IR."""
        return {"dtype": self.dtype, "scale": float(self.scale), "zero_point": int(self.zero_point)}

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> QParams:
        """Read the plain-value form back."""
        return cls(str(value["dtype"]), float(value["scale"]), int(value["zero_point"]))

    @property
    def qmin(self) -> int:
        """Smallest stored value."""
        return int(np.iinfo(self.dtype).min)

    @property
    def qmax(self) -> int:
        """Largest stored value."""
        return int(np.iinfo(self.dtype).max)

    def quantize(self, x: np.ndarray) -> np.ndarray:
        """``clip(round(x / scale) + zero_point)`` (NumPy rounding, half to even)."""
        q = np.round(np.asarray(x, dtype=np.float64) / self.scale) + self.zero_point
        return np.clip(q, self.qmin, self.qmax).astype(self.dtype)

    def dequantize(self, q: np.ndarray) -> np.ndarray:
        """``scale * (q - zero_point)`` in float64."""
        return self.scale * (np.asarray(q, dtype=np.float64) - self.zero_point)


@dataclass(frozen=True)
class ActivationFormat:
    """How a variant stores activations: int8 asymmetric or int16 symmetric."""

    dtype: str
    symmetric: bool

    def params_for(self, lo: float, hi: float, zero_point_limit: int | None = None) -> QParams:
        """Parameters covering the calibrated range ``[lo, hi]``.

        With ``zero_point_limit`` None (TFLM's rule, needed where real 0 must be stored exactly,
        such as a recurrent state that starts at 0) the range is widened to contain 0 and the
        zero point is a value of the type. Symmetric: ``scale = max|.| / qmax``, zero point 0.
        Asymmetric: ``scale = span / 255`` and ``zero_point = round(qmin - lo / scale)``.

        With a ``zero_point_limit`` L (asymmetric only; a tensor whose real 0 is never stored)
        the range is widened towards 0 only as far as ``|zero_point| <= L`` needs: a range that
        lies away from 0 keeps its own resolution, and the zero point, an int32 constant folded
        into the consumer's bias, may lie outside the type (the stored values never do).

        A degenerate range (all zeros) gets the range [-1, 1].
        """
        lo, hi = float(lo), float(hi)
        if not (np.isfinite(lo) and np.isfinite(hi)):
            raise QuantizationError(f"calibration range [{lo}, {hi}] is not finite")
        info = np.iinfo(self.dtype)
        qmin, qmax = int(info.min), int(info.max)
        limit = zero_point_limit or 0
        free = limit > qmax and not self.symmetric
        if not free:
            lo, hi = min(lo, 0.0), max(hi, 0.0)
        elif lo > 0.0:  # zero point qmin - lo / scale >= -limit
            lo = min(lo, hi * (limit + qmin) / (limit + qmax))
        elif hi < 0.0:  # zero point qmin - lo / scale <= limit
            hi = max(hi, lo * (limit - qmax) / (limit - qmin))
        if hi - lo <= 0.0:
            lo, hi = -1.0, 1.0
        if self.symmetric:
            scale = max(-lo, hi) / qmax
            return QParams(self.dtype, scale, 0)
        scale = (hi - lo) / (qmax - qmin)
        low, high = (-limit, limit) if free else (qmin, qmax)
        zero_point = int(np.clip(round(qmin - lo / scale), low, high))
        return QParams(self.dtype, scale, zero_point)


INT8_ACTIVATIONS = ActivationFormat("int8", symmetric=False)
INT16_ACTIVATIONS = ActivationFormat("int16", symmetric=True)


def graph_variant(graph: Graph) -> str:
    """The numeric variant a graph is in: ``float32`` unless a quantization pass ran."""
    info = graph.metadata.get("quantization")
    return str(info["variant"]) if isinstance(info, dict) else FLOAT_VARIANT


def is_quantized(graph: Graph) -> bool:
    """True for the output of :func:`edgernn.quant.quantize`."""
    return graph_variant(graph) != FLOAT_VARIANT


def node_quant(node) -> dict[str, Any]:
    """The ``attrs["quant"]`` record of a node of a quantized graph."""
    try:
        return node.attrs["quant"]
    except KeyError:
        raise QuantizationError(f"layer {node.name} has no quantization parameters") from None


def input_params(graph: Graph) -> QParams | None:
    """Quantization of the model input (None for token ids or float activations)."""
    record = node_quant(graph.nodes[0]).get("input")
    return QParams.from_dict(record) if record else None


def output_params(graph: Graph) -> QParams | None:
    """Quantization of the model output (None for float activations)."""
    record = node_quant(graph.nodes[-1]).get("output")
    return QParams.from_dict(record) if record else None


def quantize_inputs(graph: Graph, xs: np.ndarray) -> np.ndarray:
    """Model inputs as the quantized model takes them.

    Float features are quantized with the model's input parameters (int8 / int16); token ids
    pass through as int32; a float-activation variant (``int8-weights``) takes float32.
    """
    xs = np.asarray(xs)
    if graph.tokens_input:
        return xs.astype(np.int32)
    params = input_params(graph) if is_quantized(graph) else None
    return xs.astype(np.float32) if params is None else params.quantize(xs)


def dequantize_outputs(graph: Graph, ys: np.ndarray) -> np.ndarray:
    """Real-valued (float64) outputs from the quantized model's raw outputs."""
    params = output_params(graph) if is_quantized(graph) else None
    return np.asarray(ys, dtype=np.float64) if params is None else params.dequantize(ys)
