"""Layer-by-layer execution of a whole sequence: the golden models of graphs that hold a
bidirectional node (:mod:`edgernn.ir.bidirectional`), which needs every step's input before its
first output.

Each node runs over all steps before the next one starts; a unidirectional node gives the same
values as step-by-step execution (its cell sees the same inputs in the same order), and a
bidirectional node runs its forward half over steps ``0..T-1`` and its backward half, from a
fresh state, over ``T-1..0``. The float and integer golden models both use :func:`run_layers`
with their own cells and state initialisation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from edgernn.ir.bidirectional import KIND, direction_node, merge_outputs

# (node, step input (batch, in), state) -> (step output, new state)
StepFn = Callable[[Any, np.ndarray, dict], tuple[np.ndarray, dict]]
# (node, batch) -> zero state of the node
ZeroFn = Callable[[Any, int], dict]


def scan(node: Any, xs: np.ndarray, step: StepFn, zero: ZeroFn, reverse: bool = False
         ) -> np.ndarray:
    """Outputs ``(batch, steps, out)`` of one unidirectional node over ``xs`` from zero state;
    ``reverse`` reads the steps last to first (outputs stay at their input step)."""
    state = zero(node, xs.shape[0])
    order = range(xs.shape[1] - 1, -1, -1) if reverse else range(xs.shape[1])
    outputs: list[np.ndarray] = [np.empty(0)] * xs.shape[1]
    for t in order:
        outputs[t], state = step(node, xs[:, t], state)
    return np.stack(outputs, axis=1)


def run_layers(nodes: list[Any], xs: np.ndarray, step: StepFn, zero: ZeroFn,
               sequential: bool, prepare: Callable[[Any], Any] = lambda node: node
               ) -> np.ndarray:
    """Whole sequences ``(batch, steps, in)`` through ``nodes``, layer by layer.

    Args:
        nodes: the graph's nodes.
        xs: inputs ``(batch, steps, in)``.
        step: one step of a unidirectional node (what ``prepare`` returns).
        zero: the zero state of a (prepared) node.
        sequential: the graph outputs every step; otherwise the result is the last step's
            output, where a bidirectional last recurrent node gives its forward half's last
            output and its backward half's last (the first input step's) one.
        prepare: maps an IR node to what ``step`` and ``zero`` take (the integer model lowers
            it).

    Returns:
        ``(batch, steps, out)`` or ``(batch, out)``.
    """
    recurrent = [i for i, node in enumerate(nodes) if node.recurrent]
    last_recurrent = recurrent[-1]
    y = xs
    for index, node in enumerate(nodes):
        final = index == last_recurrent and not sequential
        if node.kind == KIND:
            fw_node, bw_node = (prepare(direction_node(node, d)) for d in ("fw", "bw"))
            fw = scan(fw_node, y, step, zero)
            bw = scan(bw_node, y, step, zero, reverse=True)
            if final:  # Keras: the backward layer's last output is at the first input step
                fw, bw = fw[:, -1:], bw[:, :1]
            y = merge_outputs(node.attrs.get("merge", "concat"), fw, bw, np)
        else:
            y = scan(prepare(node), y, step, zero)
            if final:
                y = y[:, -1:]
    return y if sequential else y[:, -1]
