"""PyTorch models built from the IR, their training, and export back to the IR."""

from edgernn.nn.layers import TORCH_LAYERS, IrLayer, register_torch_layer, torch_layer
from edgernn.nn.model import TorchModel, graph_from_torch

__all__ = [
    "TORCH_LAYERS",
    "IrLayer",
    "TorchModel",
    "graph_from_torch",
    "register_torch_layer",
    "torch_layer",
]
