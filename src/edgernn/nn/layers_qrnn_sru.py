"""PyTorch layers of the ``qrnn`` and ``sru`` kinds (custom modules: PyTorch has neither).

The weights are the canonical ones of :mod:`edgernn.ir.kinds_qrnn_sru` as parameters. Both
compute every step's input side at once (the parallel part), then the elementwise recurrence.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from edgernn.ir.graph import Node
from edgernn.ir.kinds_qrnn_sru import qrnn_taps
from edgernn.nn.layers import IrLayer, _numpy, _param, register_torch_layer


class _CanonicalWeights(IrLayer):
    def __init__(self, weights: dict[str, np.ndarray], units: int) -> None:
        super().__init__()
        self.names = tuple(weights)
        self.weights = nn.ParameterDict({k: _param(v) for k, v in weights.items()})
        self.units = units

    def export(self) -> dict[str, np.ndarray]:
        """The canonical weights (already in that layout)."""
        return {k: _numpy(self.weights[k]) for k in self.names}


@register_torch_layer("qrnn")
class QrnnLayer(_CanonicalWeights):
    """QRNN with fo-pooling; the masked convolution is one product with the tap-stacked
    ``w_x`` over ``[x(t-k+1), .., x(t)]`` (zeros before the first step)."""

    def __init__(self, weights: dict[str, np.ndarray], units: int, taps: int) -> None:
        super().__init__(weights, units)
        self.taps = taps

    @classmethod
    def from_node(cls, node: Node) -> QrnnLayer:
        """Build from a ``qrnn`` node (``w_x``; attribute ``kernel_size``)."""
        return cls({"w_x": node.w("w_x")}, int(node.attrs["units"]), qrnn_taps(node.attrs))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """All steps' outputs (``h``), from zero state."""
        steps, u = x.shape[1], self.units
        padded = nn.functional.pad(x, (0, 0, self.taps - 1, 0))
        taps = torch.cat([padded[:, j : j + steps] for j in range(self.taps)], dim=-1)
        pre = taps @ self.weights["w_x"].T
        z = torch.tanh(pre[..., :u])
        f = torch.sigmoid(pre[..., u : 2 * u])
        o = torch.sigmoid(pre[..., 2 * u :])
        c = x.new_zeros(x.shape[0], u)
        outputs = []
        for t in range(steps):
            c = f[:, t] * c + (1 - f[:, t]) * z[:, t]
            outputs.append(o[:, t] * c)
        return torch.stack(outputs, dim=1)


@register_torch_layer("sru")
class SruLayer(_CanonicalWeights):
    """SRU in the survey's form (``v_f``, ``v_r`` cell-state vectors; identity on ``c``); the
    highway adds ``x``, or ``W_hw x`` (``w_x``'s fourth block) when the sizes differ."""

    @classmethod
    def from_node(cls, node: Node) -> SruLayer:
        """Build from an ``sru`` node (``w_x``, ``v``, ``b``)."""
        return cls({k: node.w(k) for k in ("w_x", "v", "b")}, int(node.attrs["units"]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """All steps' outputs (``h``), from zero state."""
        u, w = self.units, self.weights
        pre = x @ w["w_x"].T
        v_f, v_r = w["v"][:u], w["v"][u:]
        b_f, b_r = w["b"][:u], w["b"][u:]
        c = x.new_zeros(x.shape[0], u)
        outputs = []
        for t in range(x.shape[1]):
            f = torch.sigmoid(pre[:, t, u : 2 * u] + v_f * c + b_f)
            r = torch.sigmoid(pre[:, t, 2 * u : 3 * u] + v_r * c + b_r)
            c = f * c + (1 - f) * pre[:, t, :u]
            highway = pre[:, t, 3 * u :] if pre.shape[-1] > 3 * u else x[:, t]
            outputs.append(r * c + (1 - r) * highway)
        return torch.stack(outputs, dim=1)
