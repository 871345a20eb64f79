"""PyTorch layers built from IR nodes, and their weights exported back to the canonical layout.

One registered class per IR kind (:data:`TORCH_LAYERS`). Each converts at the edge between the
canonical layout of :mod:`edgernn.ir.kinds` and PyTorch's:

* ``rnn``/``lstm``: fused ``nn.RNN``/``nn.LSTM``; matrices are already ``(outputs, inputs)``
  and the LSTM gate order ``i, f, g, o`` is PyTorch's. PyTorch has two biases (``b_ih``,
  ``b_hh``): import puts the canonical bias in ``b_ih`` and zeros in ``b_hh``; export sums them.
* ``gru`` with ``reset_after`` (PyTorch's form): fused ``nn.GRU``; gate blocks are reordered
  between canonical ``z, r, n`` and PyTorch's ``r, z, n``; ``b_x``/``b_h`` map to
  ``b_ih``/``b_hh``.
* ``gru`` without ``reset_after``: a custom cell (PyTorch has none) with the canonical weights
  as parameters.

Every layer maps ``(batch, steps, inputs)`` to ``(batch, steps, outputs)``; the embedding maps
``(batch, steps)`` int64 ids to ``(batch, steps, dim)``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from edgernn.ir.graph import Node

TORCH_LAYERS: dict[str, type[IrLayer]] = {}


def register_torch_layer(kind: str) -> Callable[[type[IrLayer]], type[IrLayer]]:
    """Class decorator: register the PyTorch layer of IR kind ``kind``."""

    def wrap(cls: type[IrLayer]) -> type[IrLayer]:
        if kind in TORCH_LAYERS:
            raise ValueError(f"torch layer for kind {kind!r} registered twice")
        TORCH_LAYERS[kind] = cls
        return cls

    return wrap


def torch_layer(node: Node) -> IrLayer:
    """The PyTorch layer of ``node``, holding its weights."""
    try:
        cls = TORCH_LAYERS[node.kind]
    except KeyError:
        raise KeyError(
            f"no torch layer for kind {node.kind!r} (known: {', '.join(TORCH_LAYERS)})"
        ) from None
    return cls.from_node(node)


def _param(array: np.ndarray) -> nn.Parameter:
    return nn.Parameter(torch.tensor(np.asarray(array, dtype=np.float32)))


def _numpy(tensor: torch.Tensor) -> np.ndarray:
    return tensor.detach().cpu().numpy().astype(np.float32, copy=True)


def _copy(target: torch.Tensor, array: np.ndarray) -> None:
    with torch.no_grad():
        target.copy_(torch.from_numpy(np.asarray(array, dtype=np.float32)))


class IrLayer(nn.Module):
    """A PyTorch layer that round-trips with one IR node."""

    @classmethod
    def from_node(cls, node: Node) -> IrLayer:
        """Build the layer with the node's weights."""
        raise NotImplementedError

    def export(self) -> dict[str, np.ndarray]:
        """Current weights in the canonical layout (float32, names as in the IR kind)."""
        raise NotImplementedError


@register_torch_layer("embedding")
class EmbeddingLayer(IrLayer):
    """Table lookup: int64 ids ``(batch, steps)`` -> ``(batch, steps, dim)``."""

    def __init__(self, table: np.ndarray) -> None:
        super().__init__()
        self.embedding = nn.Embedding(*table.shape)
        _copy(self.embedding.weight, table)

    @classmethod
    def from_node(cls, node: Node) -> EmbeddingLayer:
        """Build from an ``embedding`` node (weight ``table``)."""
        return cls(node.w("table"))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Look up each id."""
        return self.embedding(x)

    def export(self) -> dict[str, np.ndarray]:
        """``table`` (vocabulary, dim)."""
        return {"table": _numpy(self.embedding.weight)}


_DENSE_ACTIVATIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "linear": lambda y: y,
    "relu": torch.relu,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "softmax": lambda y: torch.softmax(y, dim=-1),
}


@register_torch_layer("dense")
class DenseLayer(IrLayer):
    """y = act(W x + b) at every step."""

    def __init__(self, w: np.ndarray, b: np.ndarray, activation: str) -> None:
        super().__init__()
        self.linear = nn.Linear(w.shape[1], w.shape[0])
        _copy(self.linear.weight, w)
        _copy(self.linear.bias, b)
        self.activation = activation

    @classmethod
    def from_node(cls, node: Node) -> DenseLayer:
        """Build from a ``dense`` node (weights ``w``, ``b``; attribute ``activation``)."""
        return cls(node.w("w"), node.w("b"), node.attrs["activation"])

    def forward(self, x: torch.Tensor, activate: bool = True) -> torch.Tensor:
        """Apply the layer; ``activate=False`` returns the pre-activation (logits)."""
        y = self.linear(x)
        return _DENSE_ACTIVATIONS[self.activation](y) if activate else y

    def export(self) -> dict[str, np.ndarray]:
        """``w`` (units, inputs), ``b`` (units,)."""
        return {"w": _numpy(self.linear.weight), "b": _numpy(self.linear.bias)}


class _FusedRecurrent(IrLayer):
    """Shared import/export of PyTorch's fused single-layer recurrent modules."""

    def __init__(self, rnn: nn.RNNBase, w_x: np.ndarray, w_h: np.ndarray,
                 b_ih: np.ndarray, b_hh: np.ndarray) -> None:
        super().__init__()
        self.rnn = rnn
        _copy(rnn.weight_ih_l0, w_x)
        _copy(rnn.weight_hh_l0, w_h)
        _copy(rnn.bias_ih_l0, b_ih)
        _copy(rnn.bias_hh_l0, b_hh)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """All steps' hidden states, from zero state."""
        return self.rnn(x)[0]

    def _torch_weights(self) -> tuple[np.ndarray, ...]:
        rnn = self.rnn
        return tuple(
            _numpy(t) for t in (rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, rnn.bias_hh_l0)
        )


@register_torch_layer("rnn")
class RnnLayer(_FusedRecurrent):
    """Elman RNN with tanh (fused ``nn.RNN``)."""

    @classmethod
    def from_node(cls, node: Node) -> RnnLayer:
        """Build from an ``rnn`` node (``w_x``, ``w_h``, ``b``)."""
        units = node.attrs["units"]
        rnn = nn.RNN(node.input_size, units, nonlinearity="tanh", batch_first=True)
        b = node.w("b")
        return cls(rnn, node.w("w_x"), node.w("w_h"), b, np.zeros_like(b))

    def export(self) -> dict[str, np.ndarray]:
        """``w_x``, ``w_h``, ``b = b_ih + b_hh``."""
        w_x, w_h, b_ih, b_hh = self._torch_weights()
        return {"w_x": w_x, "w_h": w_h, "b": b_ih + b_hh}


@register_torch_layer("lstm")
class LstmLayer(_FusedRecurrent):
    """LSTM (fused ``nn.LSTM``; gate order i, f, g, o in both layouts)."""

    @classmethod
    def from_node(cls, node: Node) -> LstmLayer:
        """Build from an ``lstm`` node (``w_x``, ``w_h``, ``b``)."""
        rnn = nn.LSTM(node.input_size, node.attrs["units"], batch_first=True)
        b = node.w("b")
        return cls(rnn, node.w("w_x"), node.w("w_h"), b, np.zeros_like(b))

    def export(self) -> dict[str, np.ndarray]:
        """``w_x``, ``w_h``, ``b = b_ih + b_hh``."""
        w_x, w_h, b_ih, b_hh = self._torch_weights()
        return {"w_x": w_x, "w_h": w_h, "b": b_ih + b_hh}


def swap_first_gates(array: np.ndarray, units: int) -> np.ndarray:
    """Swap the first two gate blocks along axis 0: GRU ``z, r, n`` <-> PyTorch ``r, z, n``."""
    return np.concatenate([array[units : 2 * units], array[:units], array[2 * units :]], axis=0)


@register_torch_layer("gru")
class GruLayer(_FusedRecurrent):
    """GRU with the reset gate applied after ``W_h`` (fused ``nn.GRU``, gates reordered)."""

    @classmethod
    def from_node(cls, node: Node) -> IrLayer:
        """Build from a ``gru`` node; ``reset_after: false`` gets :class:`GruResetBeforeLayer`."""
        if not node.attrs.get("reset_after", True):
            return GruResetBeforeLayer.from_node(node)
        u = node.attrs["units"]
        rnn = nn.GRU(node.input_size, u, batch_first=True)
        return cls(rnn, *(swap_first_gates(node.w(n), u) for n in ("w_x", "w_h", "b_x", "b_h")))

    def export(self) -> dict[str, np.ndarray]:
        """``w_x``, ``w_h``, ``b_x``, ``b_h`` in ``z, r, n`` order."""
        u = self.rnn.hidden_size
        arrays = (swap_first_gates(a, u) for a in self._torch_weights())
        return dict(zip(("w_x", "w_h", "b_x", "b_h"), arrays, strict=True))


class GruResetBeforeLayer(IrLayer):
    """GRU with the reset gate applied to ``h`` before ``W_h`` (the original form, one bias).

    z = sigmoid(W_xz x + W_hz h + b_z), r = sigmoid(W_xr x + W_hr h + b_r),
    n = tanh(W_xn x + W_hn (r * h) + b_n), h' = z * h + (1 - z) * n.
    """

    def __init__(self, w_x: np.ndarray, w_h: np.ndarray, b: np.ndarray) -> None:
        super().__init__()
        self.units = w_h.shape[1]
        self.w_x, self.w_h, self.b = _param(w_x), _param(w_h), _param(b)

    @classmethod
    def from_node(cls, node: Node) -> GruResetBeforeLayer:
        """Build from a ``gru`` node with ``reset_after: false`` (``w_x``, ``w_h``, ``b``)."""
        return cls(node.w("w_x"), node.w("w_h"), node.w("b"))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """All steps' hidden states, from zero state."""
        u = self.units
        xs = x @ self.w_x.T + self.b
        w_zr, w_n = self.w_h[: 2 * u], self.w_h[2 * u :]
        h = x.new_zeros(x.shape[0], u)
        outputs = []
        for t in range(x.shape[1]):
            zr = torch.sigmoid(xs[:, t, : 2 * u] + h @ w_zr.T)
            z, r = zr[:, :u], zr[:, u:]
            n = torch.tanh(xs[:, t, 2 * u :] + (r * h) @ w_n.T)
            h = z * h + (1.0 - z) * n
            outputs.append(h)
        return torch.stack(outputs, dim=1)

    def export(self) -> dict[str, np.ndarray]:
        """``w_x``, ``w_h``, ``b`` (already canonical)."""
        return {"w_x": _numpy(self.w_x), "w_h": _numpy(self.w_h), "b": _numpy(self.b)}


@register_torch_layer("lstmp")
class LstmProjectionLayer(_FusedRecurrent):
    """LSTM with a projection layer and no peephole (fused ``nn.LSTM`` with ``proj_size``).

    ``w_p`` is PyTorch's ``weight_hr_l0`` (proj, units); ``w_h`` is ``(4 units, proj)`` in
    both layouts. A node with peepholes gets :class:`LstmPeepholeLayer` (PyTorch has none).
    """

    @classmethod
    def from_node(cls, node: Node) -> IrLayer:
        """Build from an ``lstmp`` node; with a peephole, a :class:`LstmPeepholeLayer`."""
        if node.attrs.get("peephole") is not None:
            return LstmPeepholeLayer.from_node(node)
        rnn = nn.LSTM(node.input_size, node.attrs["units"], batch_first=True,
                      proj_size=node.attrs["projection"])
        b = node.w("b")
        layer = cls(rnn, node.w("w_x"), node.w("w_h"), b, np.zeros_like(b))
        _copy(rnn.weight_hr_l0, node.w("w_p"))
        return layer

    def export(self) -> dict[str, np.ndarray]:
        """``w_x``, ``w_h``, ``b = b_ih + b_hh``, ``w_p``."""
        w_x, w_h, b_ih, b_hh = self._torch_weights()
        return {"w_x": w_x, "w_h": w_h, "b": b_ih + b_hh, "w_p": _numpy(self.rnn.weight_hr_l0)}


class LstmPeepholeLayer(IrLayer):
    """LSTM with diagonal or full peepholes, optionally a projection (custom cell).

    i = σ(W_xi x + W_hi h + p_i c + b_i), f likewise, g = tanh(W_xg x + W_hg h + b_g),
    c' = f c + i g, o = σ(W_xo x + W_ho h + p_o c' + b_o), h' = W_p (o tanh(c')) (or without
    W_p); ``p c`` is elementwise (diagonal) or a matrix product (full), as the golden cell.
    """

    def __init__(self, weights: dict[str, np.ndarray], peephole: str) -> None:
        super().__init__()
        self.peephole = peephole
        self.names = tuple(weights)
        self.weights = nn.ParameterDict({k: _param(v) for k, v in weights.items()})
        self.units = weights["b"].shape[0] // 4

    @classmethod
    def from_node(cls, node: Node) -> LstmPeepholeLayer:
        """Build from an ``lstmp`` node with a peephole (weights as its kind lists them)."""
        return cls({k: node.w(k) for k in node.weights}, node.attrs["peephole"])

    def _peep(self, name: str, c: torch.Tensor) -> torch.Tensor:
        p = self.weights[name]
        return c * p if self.peephole == "diagonal" else c @ p.T

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """All steps' outputs (``h``), from zero state."""
        w = self.weights
        u = self.units
        xs = x @ w["w_x"].T + w["b"]
        h = x.new_zeros(x.shape[0], w["w_h"].shape[1])
        c = x.new_zeros(x.shape[0], u)
        outputs = []
        for t in range(x.shape[1]):
            z = xs[:, t] + h @ w["w_h"].T
            i = torch.sigmoid(z[:, :u] + self._peep("p_i", c))
            f = torch.sigmoid(z[:, u : 2 * u] + self._peep("p_f", c))
            c = f * c + i * torch.tanh(z[:, 2 * u : 3 * u])
            o = torch.sigmoid(z[:, 3 * u :] + self._peep("p_o", c))
            h = o * torch.tanh(c)
            if "w_p" in w:
                h = h @ w["w_p"].T
            outputs.append(h)
        return torch.stack(outputs, dim=1)

    def export(self) -> dict[str, np.ndarray]:
        """The canonical weights (already in that layout)."""
        return {k: _numpy(self.weights[k]) for k in self.names}



@register_torch_layer("bidirectional")
class BidirectionalLayer(IrLayer):
    """The wrapped kind's layer twice: forwards, and backwards over the flipped sequence.

    ``merge`` concatenates (forward first) or sums the two. With ``return_sequences: false``
    the model keeps only the last position of this layer's output, so that position must hold
    the forward layer's last output and the backward layer's last one (the first input step,
    as Keras): the backward outputs are then left in processing order, unflipped.
    """

    def __init__(self, forward: IrLayer, backward: IrLayer, merge: str, sequences: bool) -> None:
        super().__init__()
        self.forward_layer = forward
        self.backward_layer = backward
        self.merge = merge
        self.sequences = sequences

    @classmethod
    def from_node(cls, node: Node) -> BidirectionalLayer:
        """Build from a ``bidirectional`` node (``fw_*``/``bw_*`` weights of the wrapped kind)."""
        from edgernn.ir.bidirectional import direction_node

        forward, backward = (torch_layer(direction_node(node, d)) for d in ("fw", "bw"))
        return cls(forward, backward, node.attrs.get("merge", "concat"),
                   bool(node.attrs.get("return_sequences", True)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """All steps' merged outputs (see the class docstring for ``return_sequences: false``)."""
        fw = self.forward_layer(x)
        bw = self.backward_layer(torch.flip(x, dims=[1]))
        if self.sequences:
            bw = torch.flip(bw, dims=[1])
        return torch.cat([fw, bw], dim=-1) if self.merge == "concat" else fw + bw

    def export(self) -> dict[str, np.ndarray]:
        """The wrapped layers' weights, prefixed ``fw_`` and ``bw_``."""
        out = {f"fw_{k}": v for k, v in self.forward_layer.export().items()}
        return out | {f"bw_{k}": v for k, v in self.backward_layer.export().items()}


from edgernn.nn import layers_qrnn_sru as _layers_qrnn_sru  # noqa: E402,F401  (qrnn, sru)
