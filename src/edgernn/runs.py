"""Run directories: a trained graph plus the check inputs it is verified on.

A run directory is what ``edgernn train`` writes and every later command reads: the IR
(``graph.yaml`` + ``weights.npz``, see :mod:`edgernn.ir.serialize`) and ``check_inputs.npy``,
the first sequences of the test split, on which generated code is compared with the golden
model (EdgeMark's "check inputs").
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from edgernn.errors import ModelFileError
from edgernn.ir import Graph, save_graph

CHECK_INPUTS_FILE = "check_inputs.npy"
DEFAULT_CHECK_SEQUENCES = 10


def save_run(graph: Graph, run_dir: str | Path, check_inputs: np.ndarray) -> Path:
    """Write ``graph`` and its check inputs to ``run_dir`` (atomically)."""
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(check_inputs), allow_pickle=False)
    return save_graph(graph, run_dir, extra_files={CHECK_INPUTS_FILE: buffer.getvalue()})


def random_check_inputs(graph: Graph, sequences: int, seed: int = 0) -> np.ndarray:
    """Check inputs drawn like the training data: uniform [0, 1) features or random token ids."""
    rng = np.random.default_rng(seed)
    steps = graph.sequence_length
    if graph.tokens_input:
        vocabulary = graph.nodes[0].attrs["vocabulary"]
        return rng.integers(0, vocabulary, size=(sequences, steps)).astype(np.int32)
    return rng.random((sequences, steps, graph.input_size), dtype=np.float32)


def load_check_inputs(graph: Graph, run_dir: str | Path | None, sequences: int) -> np.ndarray:
    """The run's stored check inputs (first ``sequences``), or seeded random ones if none stored."""
    path = Path(run_dir) / CHECK_INPUTS_FILE if run_dir is not None else None
    if path is None or not path.is_file():
        return random_check_inputs(graph, sequences)
    try:
        stored = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise ModelFileError(f"{path}: corrupt check inputs ({exc})") from None
    if len(stored) < sequences:
        extra = random_check_inputs(graph, sequences - len(stored))
        stored = np.concatenate([stored, extra.astype(stored.dtype)])
    return stored[:sequences]
