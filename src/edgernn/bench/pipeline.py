"""The end-to-end pipeline of one model: train -> save run -> generate C -> host run -> compare."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rich.console import Console

from edgernn.codegen import generate_c
from edgernn.data import build_dataset
from edgernn.ir import count_model
from edgernn.nn import TorchModel
from edgernn.nn.train import train_model
from edgernn.reference import run_reference
from edgernn.runs import DEFAULT_CHECK_SEQUENCES, save_run
from edgernn.spec import load_spec
from edgernn.targets.host import check_on_host

DEFAULT_MODELS = [
    "simple0",
    "simple1",
    "simple2",
    "shakespeare1",
    "shakespeare2",
    "lstm",
    "gru",
]


@dataclass
class PipelineRow:
    """What the pipeline measured for one model (float32, host build)."""

    model: str
    parameters: int
    macs: int
    edgemark_macs: int
    metrics: dict[str, float]
    torch_vs_golden: float
    c_vs_golden: float
    train_seconds: float
    check_sequences: int
    extra: dict[str, object] = field(default_factory=dict)


def run_model(
    name: str,
    workdir: Path,
    *,
    epochs: int | None = None,
    progress: bool = True,
    console: Console | None = None,
) -> PipelineRow:
    """Train ``name``, generate its float32 C, run it on the host, compare with the golden model."""
    console = console or Console()
    spec = load_spec(name)
    data = build_dataset(spec)
    started = time.perf_counter()
    result = train_model(spec, epochs=epochs, progress=progress, data=data)
    train_seconds = time.perf_counter() - started
    graph = result.graph
    check_inputs = data.x_test[:DEFAULT_CHECK_SEQUENCES]
    run_dir = save_run(graph, workdir / "runs" / graph.name, check_inputs)

    golden = run_reference(graph, check_inputs)
    torch_out = TorchModel(graph).predict(check_inputs)
    generate_c(graph, workdir / "c" / graph.name, variant="float32")
    host = check_on_host(graph, check_inputs, build_dir=workdir / "build" / graph.name)
    counts = count_model(graph)
    console.print(f"[green]✓[/] {graph.name}: trained, generated and verified ({run_dir})")
    return PipelineRow(
        model=graph.name,
        parameters=counts.parameters,
        macs=counts.macs,
        edgemark_macs=counts.edgemark_macs,
        metrics={k: float(v) for k, v in result.metrics.items() if isinstance(v, int | float)},
        torch_vs_golden=float(np.max(np.abs(torch_out - golden))),
        c_vs_golden=float(host.max_abs_error),
        train_seconds=train_seconds,
        check_sequences=len(check_inputs),
    )


def run_pipeline(
    names: list[str],
    workdir: Path,
    *,
    epochs: int | None = None,
    progress: bool = True,
    console: Console | None = None,
) -> list[PipelineRow]:
    """Run :func:`run_model` for each model name, in order."""
    workdir = Path(workdir)
    return [
        run_model(name, workdir, epochs=epochs, progress=progress, console=console)
        for name in names
    ]
