"""The commands of the ``edgernn`` CLI. Each parses its arguments and calls one library function."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from edgernn.errors import EdgernnError

# Wide enough for the result tables when the output is a file or pipe (Rich assumes 80 columns).
console = Console(highlight=False, width=None if Console().is_terminal else 160)

SPEC_HELP = "A spec file (YAML) or a built-in model name (simple0 ... gru)."


def info(
    spec: str = typer.Argument(..., help=SPEC_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
) -> None:
    """Show a model's layers with their parameters and MACs (per step and per sequence)."""
    from edgernn.ir import build_graph, count_model
    from edgernn.spec import load_spec

    model_spec = load_spec(spec)
    graph = build_graph(model_spec)
    counts = count_model(graph)
    if as_json:
        doc = {
            "model": graph.name,
            "sequence_length": graph.sequence_length,
            "parameters": counts.parameters,
            "macs": counts.macs,
            "edgemark_macs": counts.edgemark_macs,
            "layers": [layer.as_dict() for layer in counts.layers],
        }
        print(json.dumps(doc, indent=2))
        return
    table = Table(title=f"{graph.name}: {graph.sequence_length} steps", title_justify="left")
    for column in ("layer", "kind", "in", "out", "params", "MACs/step", "MACs", "EdgeMark MACs"):
        table.add_column(column, justify="left" if column in ("layer", "kind") else "right")
    for node, layer in zip(graph.nodes, counts.layers, strict=True):
        table.add_row(
            node.name,
            node.kind,
            str(node.input_size),
            str(node.output_size),
            f"{layer.parameters}",
            f"{layer.macs_per_step}",
            f"{layer.macs}",
            f"{float(layer.edgemark_macs):g}",
        )
    table.add_section()
    table.add_row(
        "total", "", "", "", f"{counts.parameters}", "", f"{counts.macs}", f"{counts.edgemark_macs}"
    )
    console.print(table)
    console.print(
        "MACs: matrix-vector multiply-accumulates (survey Table 3). EdgeMark MACs: TF profiler "
        "FLOPs / 2, elementwise operations included (docs/counting.md)."
    )


def cost(
    spec: str = typer.Argument(..., help=SPEC_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """The survey's Table 3 costs of each layer next to the IR's and golden model's counts."""
    from edgernn.ir import build_graph
    from edgernn.ir.cost import QUANTITIES, survey_costs
    from edgernn.spec import load_spec

    graph = build_graph(load_spec(spec))
    costs = survey_costs(graph)
    if as_json:
        print(json.dumps({"model": graph.name} | costs.as_dict(), indent=2))
        return
    steps = graph.sequence_length
    table = Table(title=f"{graph.name}: per step (x{steps} per sequence for operations)",
                  title_justify="left")
    for column in ("layer", "Table 3 row", "quantity", "survey", "measured", "per sequence",
                   ""):
        table.add_column(column, justify="right" if column in ("survey", "measured",
                                                             "per sequence") else "left")
    for layer in costs.layers:
        for q in layer.quantities:
            scale = 1 if q.name in ("weights", "biases") else steps
            first = q.name == QUANTITIES[0]
            table.add_row(layer.name if first else "", layer.row if first else "", q.name,
                          str(q.survey), str(q.measured), str(q.measured * scale),
                          "" if q.agrees else f"DIFFERS {q.note}".strip())
        table.add_section()
    for name in QUANTITIES:
        q = costs.total(name)
        scale = 1 if name in ("weights", "biases") else steps
        table.add_row("total" if name == QUANTITIES[0] else "", "", name, str(q.survey),
                      str(q.measured), str(q.measured * scale), "" if q.agrees else "DIFFERS")
    console.print(table)
    console.print("survey: Rezk et al. 2020, Table 3; measured: weights/biases from the IR, "
                  "operations counted in the golden model's cell (docs/counting.md).")


def train(
    spec: str = typer.Argument(..., help=SPEC_HELP),
    output: Path = typer.Option(..., "-o", "--output", help="Run directory to write."),
    epochs: int | None = typer.Option(None, min=1, help="Override the spec's training epochs."),
    seed: int | None = typer.Option(None, help="Override the spec's training seed."),
    progress: bool = typer.Option(True, help="Show a progress bar."),
) -> None:
    """Train a model on its data set and save it as a run directory."""
    from edgernn.data import build_dataset
    from edgernn.nn.train import train_model
    from edgernn.runs import DEFAULT_CHECK_SEQUENCES, save_run
    from edgernn.spec import load_spec

    model_spec = load_spec(spec)
    data = build_dataset(model_spec)
    result = train_model(model_spec, epochs=epochs, seed=seed, progress=progress, data=data)
    save_run(result.graph, output, data.x_test[:DEFAULT_CHECK_SEQUENCES])
    metrics = ", ".join(f"{k} {v:.6g}" for k, v in result.metrics.items() if isinstance(v, float))
    console.print(f"trained {result.graph.name}: {metrics}")
    console.print(f"saved {output}")


def generate(
    run: Path = typer.Argument(..., help="Run directory (from `edgernn train`)."),
    output: Path = typer.Option(..., "-o", "--output", help="Directory for the generated C."),
    variant: str = typer.Option("float32", help="Numeric variant of the generated code."),
) -> None:
    """Generate the C sources of a trained model (NAME.h, NAME.c and the kernels it uses)."""
    from edgernn.codegen import generate_c
    from edgernn.ir import load_graph

    generated = generate_c(load_graph(run), output, variant=variant)
    for path in generated.files:
        console.print(f"wrote {path}")


def check(
    run: Path = typer.Argument(..., help="Run directory (from `edgernn train`)."),
    sequences: int = typer.Option(10, min=1, help="Number of check sequences."),
    tolerance: float = typer.Option(1e-5, help="Largest accepted |C - golden| (float32)."),
) -> None:
    """Build the generated C on the host, run it on check inputs, compare with the golden model."""
    from edgernn.ir import load_graph
    from edgernn.runs import load_check_inputs
    from edgernn.targets.host import check_on_host

    graph = load_graph(run)
    inputs = load_check_inputs(graph, run, sequences)
    result = check_on_host(graph, inputs)
    console.print(
        f"{graph.name}: {len(inputs)} check sequences, max |C - golden| = "
        f"{result.max_abs_error:.3g} (tolerance {tolerance:g})"
    )
    if not result.max_abs_error <= tolerance:
        raise EdgernnError(
            f"{run}: host C output differs from the golden model by {result.max_abs_error:.3g} "
            f"> {tolerance:g}"
        )


def bench(
    items: list[str] = typer.Argument(
        None, help="Suites, models (zoo names or spec files) or run directories "
        "(default: the edgemark-rnn suite)."
    ),
    variant: list[str] = typer.Option(
        [], "--variant", help="Variant to measure (repeatable; default: the suite's)."
    ),
    target: list[str] = typer.Option(
        [], "--target", help="Board profile (repeatable; default: the suite's)."
    ),
    opt: str | None = typer.Option(None, help="Optimisation level: O2, Os or O3."),
    weights: str | None = typer.Option(None, help="Weight placement: flash or sram."),
    sequences: int | None = typer.Option(
        None, min=1, help="Check sequences simulated per measurement."
    ),
    epochs: int | None = typer.Option(None, min=1, help="Override every model's epochs."),
    workdir: Path = typer.Option(Path("edgernn-out"), help="Runs, builds and the report."),
    db: str | None = typer.Option(
        None, help="Results database (default: $EDGERNN_DB or ./edgernn-results.sqlite)."
    ),
    jobs: int = typer.Option(1, min=1, help="Models measured in parallel processes."),
    report: bool = typer.Option(True, help="Write the report into WORKDIR/report."),
    as_json: bool = typer.Option(False, "--json", help="Print the records as JSON."),
    progress: bool = typer.Option(True, help="Show progress."),
) -> None:
    """Train, deploy on the simulated board, measure, store and report (EdgeMark's study)."""
    from edgernn.bench.pipeline import plan_from_args, run_bench
    from edgernn.bench.suite import BuildOptions
    from edgernn.bench.tables import bench_tables

    build = None
    if opt or weights:
        build = BuildOptions(opt=opt or "O2", weights=weights or "flash")
    plan = plan_from_args(items or [], variants=variant or None, targets=target or None,
                          build=build, check_sequences=sequences, epochs=epochs)
    records = run_bench(plan, workdir, db_path=db, jobs=jobs, progress=progress and not as_json,
                        console=Console(stderr=True) if as_json else console)
    if as_json:
        print(json.dumps([r.to_dict() for r in records], indent=2, default=str))
    else:
        for table in bench_tables(records):
            console.print(table)
    if report:
        from edgernn.report import write_report

        paths = write_report(records, workdir / "report")
        if not as_json:
            console.print(f"report: {paths.markdown} and {paths.html}")


def import_model(
    source: Path = typer.Argument(..., help="A .keras, .h5 or .onnx model file."),
    output: Path = typer.Option(..., "-o", "--output", help="Run directory to write."),
    name: str | None = typer.Option(None, help="Model name (a C identifier); default: file stem."),
    sequence_length: int | None = typer.Option(
        None, min=1, help="Steps per inference, when the file leaves it open."
    ),
    format: str | None = typer.Option(
        None, "--format", help="Force the format: keras, keras-h5, onnx."
    ),
) -> None:
    """Import a trained Keras, ONNX or PyTorch model into a run directory."""
    from edgernn.importers import import_to_run
    from edgernn.ir import count_model

    graph, run_dir = import_to_run(
        source, output, name=name, sequence_length=sequence_length, format=format
    )
    counts = count_model(graph)
    layers = ", ".join(f"{n.kind}({n.output_size})" for n in graph.nodes)
    console.print(f"imported {graph.name}: {layers}; {counts.parameters} parameters")
    console.print(f"saved {run_dir}")


def _parse_writes(pairs: list[str]) -> dict[str, bytes]:
    writes = {}
    for pair in pairs:
        symbol, sep, file = pair.partition("=")
        if not sep or not symbol or not file:
            raise EdgernnError(f"--write {pair!r}: expected SYMBOL=FILE")
        try:
            writes[symbol] = Path(file).read_bytes()
        except OSError as exc:
            raise EdgernnError(f"--write {pair!r}: cannot read {file} ({exc.strerror})") from None
    return writes


def sim(
    firmware: Path = typer.Argument(..., help="A bare-metal Cortex-M ELF file."),
    board: str = typer.Option("nucleo-l4r5zi", help="Board profile (name or YAML file)."),
    write: list[str] = typer.Option(
        [], "--write", help="SYMBOL=FILE: write FILE's bytes into SYMBOL before the run."
    ),
    read: list[str] = typer.Option(
        [], "--read", help="SYMBOL or SYMBOL=FILE: read SYMBOL after the run (hex, or to FILE)."
    ),
    max_instructions: int = typer.Option(2_000_000_000, min=1, help="Instruction budget."),
    top: int = typer.Option(10, min=1, help="Functions shown in the cycle breakdown."),
    as_json: bool = typer.Option(False, "--json", help="Print the whole result as JSON."),
) -> None:
    """Run any Cortex-M4 ELF in the simulator: cycles between bkpt #1 and #2, functions, stack."""
    from edgernn.targets.boards import get_board
    from edgernn.targets.simulate_elf import simulate_elf

    targets = {}
    for item in read:
        symbol, _, file = item.partition("=")
        targets[symbol] = file or None
    profile = get_board(board)
    result = simulate_elf(
        firmware, profile, writes=_parse_writes(write), reads=list(targets),
        max_instructions=max_instructions,
    )
    for symbol, file in targets.items():
        if file:
            Path(file).write_bytes(result.outputs[symbol])
    if as_json:
        print(json.dumps(result.as_record(), indent=2, default=str))
        return
    region = result.region
    scope = "between bkpt #1 and bkpt #2" if region.marked else "whole run (no markers)"
    ms = region.cycles / profile.clock_hz * 1e3
    console.print(f"{firmware}: exit bkpt #{result.exit_code}, {result.instructions} instructions, "
                  f"{result.cycles} cycles in total")
    console.print(f"measured region ({scope}): {region.cycles} cycles, {region.instructions} "
                  f"instructions, {ms:.4f} ms at {profile.clock_mhz:g} MHz")
    console.print(f"peak stack: {result.peak_stack_bytes} bytes of {result.stack_bytes}; "
                  f"cycle model {result.cycle_model_version}")
    table = Table(title="cycles per function (measured region)", title_justify="left")
    table.add_column("function")
    table.add_column("cycles", justify="right")
    table.add_column("share", justify="right")
    total = max(sum(result.function_cycles.values()), 1)
    ranked = sorted(result.function_cycles.items(), key=lambda kv: (-kv[1], kv[0]))
    for function, cycles in ranked[:top]:
        table.add_row(function, str(cycles), f"{100 * cycles / total:.1f} %")
    console.print(table)
    for symbol, file in targets.items():
        if not file:
            console.print(f"{symbol}: {result.outputs[symbol].hex()}")


def register(app: typer.Typer) -> None:
    """Add every command to ``app``."""
    from edgernn.cli.results_commands import report, results_app

    for command in (info, cost, train, generate, check, bench, sim, report):
        app.command()(command)
    app.command("import")(import_model)
    app.add_typer(results_app)
