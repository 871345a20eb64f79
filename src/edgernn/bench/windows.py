"""Cycles per time step of QRNN/SRU layers with and without the multi-time-step window.

:func:`measure_window` builds a one-layer model (plus a linear Dense head), quantizes it when
asked, and runs one whole sequence (``NAME_run``) in the Cortex-M4 simulator for each window
size; the figure is the inference region's cycles divided by the sequence length. Weights are
the seeded initial ones (cycle counts do not depend on trained values: the kernels have no
data-dependent loops). ``benchmarks/qrnn_sru_window.py`` is the command; docs/bench.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from edgernn.ir import build_graph
from edgernn.spec.schema import ModelSpec


@dataclass(frozen=True)
class WindowCycles:
    """One measurement: a layer form, a variant and a window size on the simulated board."""

    kind: str
    variant: str
    inputs: int
    units: int
    steps: int
    window: int
    cycles: int
    board: str

    @property
    def cycles_per_step(self) -> float:
        """Inference cycles of one ``NAME_run`` divided by its time steps."""
        return self.cycles / self.steps


def window_spec(kind: str, inputs: int, units: int, steps: int, window: int,
                kernel_size: int = 2) -> ModelSpec:
    """The benchmark model: one ``kind`` layer and a linear Dense head of ``inputs`` outputs."""
    layer: dict = {"type": kind, "units": units, "window": window}
    if kind == "qrnn":
        layer["kernel_size"] = kernel_size
    return ModelSpec.model_validate({
        "name": f"{kind}_w{window}", "input": {"features": inputs}, "sequence_length": steps,
        "layers": [layer, {"type": "dense", "units": inputs, "activation": "linear"}],
    })


def measure_window(kind: str, window: int, *, variant: str = "int8", inputs: int = 32,
                   units: int = 64, steps: int = 100, kernel_size: int = 2,
                   board: str = "nucleo-l4r5zi", seed: int = 0) -> WindowCycles:
    """Simulate one sequence of a ``kind`` model with ``window`` and return its cycles.

    Raises:
        EdgernnError family: a bad form (e.g. a window inside a wrapper), a build or
            simulation failure.
    """
    from edgernn.quant import quantize
    from edgernn.targets import run_on_device

    graph = build_graph(window_spec(kind, inputs, units, steps, window, kernel_size), seed=seed,
                        random_biases=True)
    rng = np.random.default_rng(seed)
    xs = rng.uniform(-1.0, 1.0, (8, steps, inputs)).astype(np.float32)
    if variant != "float32":
        graph = quantize(graph, variant, xs)
    run = run_on_device(graph, xs[:1], board=board)
    return WindowCycles(kind, variant, inputs, units, steps, window, int(run.cycles[0]), board)
