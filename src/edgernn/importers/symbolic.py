"""Symbolic tensors: what the graph-walking importers (ONNX, torch.fx) know about a value.

Both walk a dataflow graph from the model input to its output and track, for each value on
that path, only the meaning of its axes: ``B`` batch, ``T`` time, ``F`` features (of a known
width), ``L`` stacked final states of recurrent layers (or directions), ``1`` a unit axis, and
``x0``/``x1``/``x2`` the model input's axes until the first recurrent layer tells which of them
is time. Weight-carrying operations are handed to the :class:`ChainBuilder`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from edgernn.importers.base import ChainBuilder


@dataclass(frozen=True)
class Sym:
    """A tensor on the model's data path.

    Attributes:
        axes: the meaning of each axis (see the module docstring).
        width: size of the ``F`` axis (None for the raw model input).
        tag: ``data``; ``state`` for stacked final hidden states (axis ``L``); ``cell`` for an
            LSTM's final cell states (not expressible).
        stack: for ``state`` values, the index among the model's recurrent layers of each
            entry along ``L``.
        tokens: True for the raw model input of token ids.
    """

    axes: tuple[str, ...]
    width: int | None = None
    tag: str = "data"
    stack: tuple[int, ...] = ()
    tokens: bool = False

    def with_axes(self, axes: tuple[str, ...], **changes: object) -> Sym:
        """A copy with other axes (and other fields changed)."""
        return replace(self, axes=tuple(axes), **changes)


@dataclass(frozen=True)
class SymTuple:
    """A tuple of values (a PyTorch RNN's ``(output, h_n)``)."""

    items: tuple[object, ...]


@dataclass(frozen=True)
class Broken:
    """A value whose producer was refused; consumers stay silent so one problem is one line."""


BROKEN = Broken()


def normalize_axis(axis: int, rank: int) -> int | None:
    """``axis`` as a non-negative index into ``rank`` axes, or None when out of range."""
    index = axis + rank if axis < 0 else axis
    return index if 0 <= index < rank else None


def pick_state(builder: ChainBuilder, where: str, value: Sym, item: int) -> Sym | None:
    """Entry ``item`` of stacked final states: the last time step of the last recurrent layer.

    Returns the ``(B, F)`` data value, or None (problem recorded) for any other layer's state.
    """
    position = normalize_axis(int(item), len(value.stack))
    if position is None or value.stack[position] != builder.recurrent_count - 1:
        builder.unsupported(where, f"final state [{item}] of a recurrent layer other than the "
                            "last one (only the last layer's final state, which is its last "
                            "output step)")
        return None
    builder.take_last_step(where)
    axes = tuple(a for a in value.axes if a != "L")
    return value.with_axes(axes, tag="data", stack=())


def to_reference_layout(value: Sym, ys: np.ndarray) -> np.ndarray:
    """Framework outputs with axes ``value.axes`` as the golden model's (batch, [time,] features).

    Unit axes (``1``, ``D``) are dropped; a missing batch axis is added.
    """
    keep = [i for i, a in enumerate(value.axes) if a in ("B", "T", "F")]
    labels = [value.axes[i] for i in keep]
    ys = np.asarray(ys).reshape([ys.shape[i] for i in keep])
    ys = np.transpose(ys, [labels.index(a) for a in ("B", "T", "F") if a in labels])
    return ys if "B" in labels else ys[None]
