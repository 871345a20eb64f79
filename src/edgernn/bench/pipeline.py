"""The benchmark pipeline: resolve models, train (cached), deploy each variant on each target in
the simulator, measure, store in the results database and write the report.

One unit of work is one model: it is trained (or loaded) once, then measured for every variant
and target. Units run in parallel processes with ``jobs > 1``.
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from edgernn import __version__
from edgernn.bench.cache import array_digest, code_fingerprint, digest
from edgernn.bench.suite import (
    DEFAULT_SUITE,
    BuildOptions,
    TrainingOverride,
    find_suite_file,
    load_suite,
)
from edgernn.bench.variants import get_deploy_variant, task_metric
from edgernn.data import Dataset, build_dataset
from edgernn.errors import DataError, EdgernnError
from edgernn.ir import Graph, count_model, load_graph
from edgernn.ir.serialize import GRAPH_FILE
from edgernn.results import BenchRecord, Environment, ResultsDB
from edgernn.results.metrics import edgemark_error
from edgernn.runs import load_check_inputs, random_check_inputs, save_run
from edgernn.spec import ModelSpec, load_spec

CALIBRATION_SEQUENCES = 100


@dataclass(frozen=True)
class BenchPlan:
    """What one ``bench`` invocation measures."""

    models: tuple[str, ...]
    variants: tuple[str, ...]
    targets: tuple[str, ...]
    build: BuildOptions
    check_sequences: int
    training: TrainingOverride


@dataclass(frozen=True)
class PreparedModel:
    """A trained float model with the data it is measured on."""

    key: str
    graph: Graph
    model_key: str
    check_inputs: np.ndarray
    calibration: np.ndarray
    data: Dataset | None


def plan_from_args(
    items: list[str],
    *,
    variants: list[str] | None = None,
    targets: list[str] | None = None,
    build: BuildOptions | None = None,
    check_sequences: int | None = None,
    epochs: int | None = None,
) -> BenchPlan:
    """Expand suite names/files, model names, spec files and run directories into a plan.

    With no items the default suite runs. Options given explicitly override the suite's.
    """
    models: list[str] = []
    suite = None
    for item in items or [DEFAULT_SUITE]:
        suite_file = find_suite_file(item)
        if suite_file is not None:
            suite = load_suite(suite_file)
            models.extend(suite.models)
        else:
            models.append(item)
    training = suite.training if suite else TrainingOverride()
    if epochs is not None:
        training = TrainingOverride(epochs=epochs, seed=training.seed)
    return BenchPlan(
        models=tuple(dict.fromkeys(models)),
        variants=tuple(variants or (suite.variants if suite else ["float32"])),
        targets=tuple(targets or (suite.targets if suite else ["nucleo-l4r5zi"])),
        build=build or (suite.build if suite else BuildOptions()),
        check_sequences=check_sequences or (suite.check_sequences if suite else 5),
        training=training,
    )


def _training_key(spec: ModelSpec, training: TrainingOverride) -> str:
    import torch

    payload = {
        "spec": spec.model_dump(mode="json"),
        "override": training.model_dump(),
        "edgernn": __version__,
        "torch": torch.__version__,
    }
    return digest(payload)


def _dataset_or_none(spec: ModelSpec) -> Dataset | None:
    try:
        return build_dataset(spec)
    except DataError:
        return None


def prepare_model(
    item: str, workdir: Path, training: TrainingOverride, sequences: int, progress: bool
) -> PreparedModel:
    """Train ``item`` (a zoo name or spec file; cached by content) or load it (a run directory)."""
    from edgernn.nn.train import train_model

    path = Path(item)
    if path.is_dir() and (path / GRAPH_FILE).is_file():
        graph = load_graph(path)
        data = _dataset_or_none(graph.spec)
        checks = load_check_inputs(graph, path, sequences)
        model_key = array_digest(*(t.data for n in graph.nodes for t in n.weights.values()))
        key = graph.name
    else:
        spec = load_spec(item)
        model_key = _training_key(spec, training)
        run_dir = workdir / "runs" / f"{spec.name}-{model_key[:12]}"
        data = build_dataset(spec)
        if (run_dir / GRAPH_FILE).is_file():
            graph = load_graph(run_dir)
        else:
            result = train_model(spec, epochs=training.epochs, seed=training.seed,
                                 progress=progress, data=data)
            graph = result.graph
            save_run(graph, run_dir, data.x_test[:sequences])
        checks = data.x_test[:sequences]
        key = spec.name
    if data is not None:
        calibration = data.x_train[:CALIBRATION_SEQUENCES]
    else:
        calibration = random_check_inputs(graph, CALIBRATION_SEQUENCES, seed=1)
    return PreparedModel(key=key, graph=graph, model_key=model_key, check_inputs=checks,
                         calibration=calibration, data=data)


def _measurement_key(prepared: PreparedModel, variant: str, target: str,
                     build: BuildOptions) -> str:
    from edgernn.targets import get_board
    from edgernn.targets.firmware import find_arm_toolchain

    return digest({
        "model": prepared.model_key,
        "variant": variant,
        "board": get_board(target).model_dump(mode="json"),
        "build": build.as_dict(),
        "checks": array_digest(prepared.check_inputs),
        "toolchain": find_arm_toolchain()[1],
        "code": code_fingerprint(),
    })


def measure(
    prepared: PreparedModel, variant_name: str, target: str, build: BuildOptions,
    workdir: Path,
) -> BenchRecord:
    """Deploy one variant of a prepared model on ``target`` in the simulator and measure it."""
    from edgernn.reference import run_reference
    from edgernn.targets import get_board
    from edgernn.targets.device import run_on_device

    variant = get_deploy_variant(variant_name)
    board = get_board(target)
    graph = prepared.graph
    deployed = variant.prepare(graph, prepared.calibration)
    build_dir = workdir / "builds" / f"{prepared.key}-{variant_name}-{board.name}"
    run = run_on_device(deployed, prepared.check_inputs, board=board, variant=variant_name,
                        opt=build.opt, weights=build.weights, build_dir=build_dir)
    golden = run_reference(graph, run.inputs)
    counts = count_model(graph)
    metric = value = float_value = None
    if prepared.data is not None:
        metric, float_value = task_metric(get_deploy_variant("float32"), graph, prepared.data)
        _, value = task_metric(variant, deployed, prepared.data)
    sequences = len(run.cycles)
    sizes = run.sizes
    ram = {
        "data": sizes.data_bytes, "bss": sizes.bss_bytes, "ram_weights": sizes.ram_weight_bytes,
        "io": sizes.io_bytes, "stack": run.peak_stack_bytes,
    }
    power = board.power
    return BenchRecord(
        model=prepared.key,
        variant=variant_name,
        target=board.name,
        options=build.as_dict(),
        parameters=counts.parameters,
        macs=counts.macs,
        edgemark_macs=counts.edgemark_macs,
        error=edgemark_error(golden, run.outputs),
        max_abs_error=float(np.max(np.abs(golden.astype(np.float64) - run.outputs))),
        task_metric=metric,
        task_value=value,
        float_task_value=float_value,
        cycles=round(run.mean_cycles),
        clock_hz=board.clock_hz,
        instructions=round(float(np.mean(run.instructions))),
        flash_bytes=sizes.flash_bytes,
        flash_breakdown=sizes.flash.as_dict(),
        ram_bytes=sum(ram.values()),
        ram_breakdown=ram,
        run_current_ma=power.run_current_ma if power else None,
        supply_v=power.supply_voltage_v if power else None,
        function_cycles={k: round(v / sequences) for k, v in run.function_cycles.items()},
        env=Environment.capture(
            compiler=run.build.compiler_version,
            compiler_flags=" ".join(run.build.cflags),
            cycle_model=run.cycle_model,
        ),
        content_key=_measurement_key(prepared, variant_name, target, build),
    )


@dataclass(frozen=True)
class UnitResult:
    """Records of one model (all its variants and targets) and how many came from the cache."""

    model: str
    records: tuple[BenchRecord, ...]
    reused: int


def bench_model(item: str, plan: BenchPlan, workdir: Path, db_path: str | None,
                progress: bool) -> UnitResult:
    """Train/load one model and measure every (variant, target) of the plan, reusing the cache."""
    prepared = prepare_model(item, workdir, plan.training, plan.check_sequences, progress)
    records, reused = [], 0
    db = ResultsDB(db_path)
    try:
        for target in plan.targets:
            for variant in plan.variants:
                key = _measurement_key(prepared, variant, target, plan.build)
                cached = db.find(key)
                if cached is not None:
                    env = dataclasses.replace(cached.env, timestamp=Environment.capture().timestamp)
                    records.append(dataclasses.replace(cached, env=env, id=None))
                    reused += 1
                else:
                    records.append(measure(prepared, variant, target, plan.build, workdir))
    finally:
        db.close()
    return UnitResult(model=prepared.key, records=tuple(records), reused=reused)


def _unit_worker(args: tuple) -> UnitResult:
    return bench_model(*args)


def run_bench(
    plan: BenchPlan,
    workdir: Path,
    *,
    db_path: str | None = None,
    jobs: int = 1,
    progress: bool = True,
    console: Console | None = None,
) -> list[BenchRecord]:
    """Run every model of ``plan``; store each model's records as soon as it finishes.

    Returns:
        The stored records (with their database ids), in plan order.
    """
    console = console or Console()
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    db = ResultsDB(db_path)
    stored: dict[str, list[BenchRecord]] = {}
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/"
               "{task.total} models"), TimeElapsedColumn())
    try:
        with Progress(*columns, console=console, disable=not progress, transient=True) as bar:
            task = bar.add_task("bench", total=len(plan.models))

            def store(item: str, result: UnitResult) -> None:
                ids = [db.add(record) for record in result.records]
                stored[item] = [
                    dataclasses.replace(r, id=i) for r, i in zip(result.records, ids, strict=True)
                ]
                note = f" ({result.reused} from cache)" if result.reused else ""
                console.print(f"[green]✓[/] {result.model}: {len(ids)} measurements{note}")
                bar.advance(task)

            if jobs <= 1:
                for item in plan.models:
                    bar.update(task, description=f"bench {item}")
                    store(item, bench_model(item, plan, workdir, db_path, progress=False))
            else:
                context = get_context("spawn")
                with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
                    futures = {
                        pool.submit(_unit_worker, (item, plan, workdir, db_path, False)): item
                        for item in plan.models
                    }
                    for future in as_completed(futures):
                        store(futures[future], future.result())
    finally:
        db.close()
    ordered = [record for item in plan.models for record in stored.get(item, [])]
    if not ordered:
        raise EdgernnError("bench measured nothing")
    return ordered
