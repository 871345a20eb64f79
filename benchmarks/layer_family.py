"""The survey's recurrent layer family (Table 3) side by side, int8, on the simulated board.

Usage: python benchmarks/layer_family.py [--steps 100] [--windows 2 4]

Each model is one recurrent layer (32 inputs, 64 units) followed by the same linear Dense head
(32 outputs), quantized to int8 and run for one sequence on the simulated NUCLEO-L4R5ZI
(``edgernn.targets.device.run_on_device``, weights in flash, the default). Forms: LSTM, LSTM
with diagonal peepholes, LSTMP (projection 32, no peephole), GRU (reset after), QRNN (k = 2)
and SRU (projected highway, 32 -> 64); QRNN and SRU step by step (window 1) in the table, then
window 1 against window W (``edgernn.bench.windows.measure_window``). docs/bench.md.

Function attribution (``run.function_cycles`` holds self cycles per function, no callees):

* ``kind fns``: functions named ``edgernn_<kind>_*`` for the layer's kind (``lstm`` for an
  LSTM; ``lstmp`` and ``lstm`` for the peephole/projection forms), and the static helpers of
  that kind's runtime files (:data:`STATIC_HELPERS`, e.g. ``add_peephole``);
* ``head``: ``edgernn_dense_*``;
* ``shared``: every other kernel (matrix-vector, projection, widening, gate tables, time loop),
  which the layer and the head both call; ``main``, ``NAME_run``, ``memcpy``/``memset`` are
  glue, not shown;
* ``layer``: the whole cost of the recurrent layer, measured as a second run of the same layer
  without the head (every shared kernel then belongs to the layer), glue (``NAME_run``,
  ``memcpy``/``memset``) excluded;
* parameters and MACs per step of the recurrent layer from ``edgernn.ir.counting``.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import numpy as np

from edgernn.bench.windows import measure_window
from edgernn.ir import build_graph
from edgernn.ir.counting import count_node
from edgernn.spec.schema import ModelSpec

INPUTS, UNITS, HEAD = 32, 64, 32
FORMS: dict[str, dict] = {
    "LSTM": {"type": "lstm", "units": UNITS},
    "LSTM+peephole(diag)": {"type": "lstm", "units": UNITS, "peephole": "diagonal"},
    "LSTMP(p=32)": {"type": "lstm", "units": UNITS, "projection": 32},
    "GRU": {"type": "gru", "units": UNITS},
    "QRNN(k=2)": {"type": "qrnn", "units": UNITS, "kernel_size": 2, "window": 1},
    "SRU(32->64)": {"type": "sru", "units": UNITS, "window": 1},
}
#: function-name prefixes of each IR kind's own kernels
KIND_PREFIXES = {
    "lstm": ("edgernn_lstm_",),
    "lstmp": ("edgernn_lstmp_", "edgernn_lstm_"),
    "gru": ("edgernn_gru_",),
    "qrnn": ("edgernn_qrnn_",),
    "sru": ("edgernn_sru_",),
}
#: static (non-``edgernn_``) functions of a kind's runtime files, by kind
STATIC_HELPERS = {"add_peephole": "lstmp", "gru_step_reset_after": "gru",
                  "interleave2_s16": "qrnn"}
GLUE = ("main", "memcpy", "memset")

@dataclass(frozen=True)
class FamilyRow:
    """Cycles per time step of one form (model, the kind's own functions, shared kernels,
    head, the layer alone) and the layer's parameters and MACs per step."""

    name: str
    kind: str
    model: float
    kind_fns: float
    shared: float
    head: float
    layer: float
    parameters: int
    macs_per_step: int


def _run(layer: dict, head: bool, steps: int, seed: int = 0):
    from edgernn.quant import quantize
    from edgernn.targets import run_on_device

    layers = [layer] + ([{"type": "dense", "units": HEAD, "activation": "linear"}] if head else [])
    spec = ModelSpec.model_validate({"name": f"family_{layer['type']}",
                                     "input": {"features": INPUTS}, "sequence_length": steps,
                                     "layers": layers})
    graph = build_graph(spec, seed=seed, random_biases=True)
    xs = np.random.default_rng(seed).uniform(-1.0, 1.0, (8, steps, INPUTS)).astype(np.float32)
    qgraph = quantize(graph, "int8", xs)
    return graph, run_on_device(qgraph, xs[:1], weights="flash")


def _group(functions: dict[str, int], kind: str) -> dict[str, int]:
    groups = {"kind": 0, "shared": 0, "head": 0, "glue": 0}
    for name, cycles in functions.items():
        if name.startswith(KIND_PREFIXES[kind]) or STATIC_HELPERS.get(name) == kind:
            groups["kind"] += cycles
        elif name.startswith("edgernn_dense_"):
            groups["head"] += cycles
        elif name in GLUE or name.endswith("_run"):
            groups["glue"] += cycles
        else:
            groups["shared"] += cycles
    return groups


def measure_family(steps: int = 100) -> list[FamilyRow]:
    """One :class:`FamilyRow` per form of :data:`FORMS` (two simulations each)."""
    rows = []
    for name, layer in FORMS.items():
        graph, run = _run(layer, True, steps)
        _, alone = _run(layer, False, steps)
        node = graph.nodes[0]
        g = _group(run.function_cycles, node.kind)
        a = _group(alone.function_cycles, node.kind)
        counts = count_node(node, steps)
        rows.append(FamilyRow(
            name, node.kind, run.cycles[0] / steps, g["kind"] / steps, g["shared"] / steps,
            g["head"] / steps, (a["kind"] + a["shared"]) / steps, counts.parameters,
            counts.macs_per_step))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--windows", type=int, nargs="+", default=[2, 4])
    args = parser.parse_args()
    print(f"int8, {INPUTS} inputs, {UNITS} units, Dense head {HEAD}, {args.steps} steps, "
          "nucleo-l4r5zi (simulated), weights in flash, one sequence; cycles per time step")
    print(f"{'form':<21}{'kind':<7}{'model':>9}{'kind fns':>10}{'shared':>9}{'head':>8}"
          f"{'layer':>9}{'params':>9}{'MACs/step':>11}{'cyc/MAC':>9}")
    for r in measure_family(args.steps):
        print(f"{r.name:<21}{r.kind:<7}{r.model:>9.0f}{r.kind_fns:>10.0f}{r.shared:>9.0f}"
              f"{r.head:>8.0f}{r.layer:>9.0f}{r.parameters:>9}{r.macs_per_step:>11}"
              f"{r.layer / r.macs_per_step:>9.2f}")
    print()
    print(f"{'layer':<6}{'in->units':<11}{'w=1 cyc/step':>14}"
          + "".join(f"{f'w={w} cyc/step':>14}{'speed-up':>10}" for w in args.windows))
    for kind in ("qrnn", "sru"):
        one = measure_window(kind, 1, inputs=INPUTS, units=UNITS, steps=args.steps)
        line = f"{kind:<6}{f'{INPUTS}->{UNITS}':<11}{one.cycles_per_step:>14.0f}"
        for w in args.windows:
            many = measure_window(kind, w, inputs=INPUTS, units=UNITS, steps=args.steps)
            line += (f"{many.cycles_per_step:>14.0f}"
                     f"{one.cycles_per_step / many.cycles_per_step:>9.2f}x")
        print(line)


if __name__ == "__main__":
    main()
