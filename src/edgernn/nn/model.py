"""A whole IR graph as one PyTorch module, and trained weights back into a graph."""

from __future__ import annotations

import copy

import numpy as np
import torch
from torch import nn

from edgernn.ir.graph import Graph, Node, Tensor, validate_graph
from edgernn.nn.layers import DenseLayer, IrLayer, torch_layer


class TorchModel(nn.Module):
    """The graph's layers in PyTorch, computing what :func:`edgernn.reference.run_reference` does.

    ``forward`` takes ``(batch, steps, features)`` floats, or ``(batch, steps)`` token ids for an
    embedding input, and returns ``(batch, steps, outputs)``, or ``(batch, outputs)`` when the
    last recurrent layer sets ``return_sequences: false``.
    """

    def __init__(self, graph: Graph) -> None:
        super().__init__()
        self.kinds = [node.kind for node in graph.nodes]
        self.names = [node.name for node in graph.nodes]
        self.layers = nn.ModuleList(torch_layer(node) for node in graph.nodes)
        self.tokens_input = graph.tokens_input
        self.sequential_output = graph.sequential_output
        recurrent = [i for i, node in enumerate(graph.nodes) if node.recurrent]
        self.last_recurrent = recurrent[-1]

    def forward(self, x: torch.Tensor | np.ndarray, logits: bool = False) -> torch.Tensor:
        """Run whole sequences from zero state.

        Args:
            x: ``(batch, steps, features)`` floats or ``(batch, steps)`` token ids (a NumPy
                array is converted).
            logits: skip the activation of a final dense layer (training losses that include
                the softmax, such as cross-entropy, take the logits).
        """
        x = torch.as_tensor(x)
        if self.tokens_input:
            x = x.reshape(x.shape[0], x.shape[1]).long()
        else:
            x = x.float()
        last = len(self.layers) - 1
        for index, layer in enumerate(self.layers):
            if isinstance(layer, DenseLayer):
                x = layer(x, activate=not (logits and index == last))
            else:
                x = layer(x)
            if index == self.last_recurrent and not self.sequential_output:
                x = x[:, -1]
        return x

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Outputs as float32 NumPy, without gradients (the exported model's behaviour)."""
        with torch.no_grad():
            return self(x).numpy().astype(np.float32)


def graph_from_torch(model: TorchModel, graph: Graph) -> Graph:
    """A new graph with ``model``'s current weights and ``graph``'s spec, nodes and metadata.

    Tensor annotations of ``graph`` are not carried over: they describe the old weights.

    Raises:
        ValueError: ``model`` was not built from a graph with the same nodes.
    """
    if [n.name for n in graph.nodes] != model.names or [n.kind for n in graph.nodes] != model.kinds:
        raise ValueError("model and graph have different nodes")
    nodes = []
    for node, layer in zip(graph.nodes, model.layers, strict=True):
        assert isinstance(layer, IrLayer)
        weights = {name: Tensor(array) for name, array in layer.export().items()}
        nodes.append(
            Node(
                name=node.name,
                kind=node.kind,
                attrs=copy.deepcopy(node.attrs),
                input_size=node.input_size,
                weights=weights,
            )
        )
    out = Graph(spec=graph.spec, nodes=nodes, metadata=copy.deepcopy(graph.metadata))
    validate_graph(out)
    return out
