"""EdgeMark's five figures as PNG files: parameters and MACs, error, execution time, flash, RAM.

Each figure groups bars by model; within a model, one bar per variant for edgernn (solid) and,
beside it, TFLM's published figure (hatched, lighter). Plots use matplotlib's object API with
the Agg canvas (no pyplot state, no display), the default style with fixed overrides, and no
software metadata in the PNG, so the same records give the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import matplotlib.style
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from edgernn.bench.tflm_reference import TflmFigure, TflmReference
from edgernn.report.content import sort_records
from edgernn.results.names import model_display_name, model_sort_key, variant_sort_key
from edgernn.results.records import BenchRecord

VARIANT_COLORS: dict[str, str] = {
    "float32": "#1f77b4",
    "int8": "#d62728",
    "int16x8": "#2ca02c",
    "int8-weights": "#9467bd",
}
OTHER_COLOR = "#7f7f7f"
STYLE: dict[str, object] = {
    "font.size": 9,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.alpha": 0.3,
    "hatch.linewidth": 0.8,
    "svg.hashsalt": "edgernn",
}
FIGSIZE = (9.0, 4.2)
WIDE_FIGSIZE = (11.0, 4.4)
DPI = 100
PNG_METADATA = {"Software": None}


@dataclass(frozen=True)
class PlotInfo:
    """A written plot: its file, title and caption."""

    name: str
    path: Path
    title: str
    caption: str


def representative_records(
    records: Sequence[BenchRecord], reference: TflmReference | None
) -> dict[tuple[str, str], BenchRecord]:
    """One record per (model, variant) for the plots.

    When a (model, variant) has several builds, the plot shows the first in report order,
    preferring records measured on the reference board.
    """
    chosen: dict[tuple[str, str], BenchRecord] = {}
    on_board = [r for r in sort_records(records)
                if reference is not None and reference.matches_target(r.target)]
    for record in on_board + sort_records(records):
        chosen.setdefault((record.model, record.variant), record)
    return chosen


def _new_figure(ncols: int = 1) -> tuple[Figure, list[Axes]]:
    figure = Figure(figsize=FIGSIZE if ncols == 1 else WIDE_FIGSIZE, dpi=DPI)
    FigureCanvasAgg(figure)
    axes = [figure.add_subplot(1, ncols, i + 1) for i in range(ncols)]
    # Fixed margins (legends outside the axes) rather than a layout engine: one draw per plot.
    if ncols == 1:
        figure.subplots_adjust(left=0.08, right=0.80, bottom=0.17, top=0.92)
    else:
        figure.subplots_adjust(left=0.07, right=0.98, bottom=0.32, top=0.93, wspace=0.22)
    return figure, axes


def _save(figure: Figure, path: Path) -> None:
    figure.savefig(path, format="png", metadata=PNG_METADATA)


def _color(variant: str) -> str:
    return VARIANT_COLORS.get(variant, OTHER_COLOR)


def _models(chosen: dict[tuple[str, str], BenchRecord]) -> list[str]:
    return sorted({model for model, _ in chosen}, key=model_sort_key)


def _variants(chosen: dict[tuple[str, str], BenchRecord]) -> list[str]:
    return sorted({variant for _, variant in chosen}, key=variant_sort_key)


def _bars(
    ax: Axes,
    chosen: dict[tuple[str, str], BenchRecord],
    reference: TflmReference | None,
    ours: Callable[[BenchRecord], float | None],
    theirs: Callable[[TflmFigure], float | None],
    *,
    log: bool,
) -> None:
    """Grouped bars: per model, per variant an edgernn bar and (if published) a TFLM bar."""
    models = _models(chosen)
    variants = _variants(chosen)
    framework = reference.framework if reference is not None else "TFLM"
    slots = [(v, "edgernn") for v in variants]
    if reference is not None:
        slots += [(v, framework) for v in variants
                  if any(reference.get(m, v) is not None for m in models)]
        slots.sort(key=lambda s: (variant_sort_key(s[0]), s[1] != "edgernn"))
    width = 0.84 / max(len(slots), 1)
    bottom_label = blended_transform_factory(ax.transData, ax.transAxes)
    for index, (variant, source) in enumerate(slots):
        offset = (index - (len(slots) - 1) / 2) * width
        for position, model in enumerate(models):
            x = position + offset
            if source == "edgernn":
                record = chosen.get((model, variant))
                value = ours(record) if record is not None else None
            else:
                figure = reference.get(model, variant) if reference is not None else None
                if figure is None:
                    continue
                if figure.out_of_memory:
                    ax.text(x, 0.02, f"{framework}: out of memory", transform=bottom_label,
                            rotation=90, ha="center", va="bottom", fontsize=6.5, color="#444444")
                    continue
                value = theirs(figure)
            if value is None or (log and value <= 0):
                continue
            if source == "edgernn":
                ax.bar(x, value, width, color=_color(variant), edgecolor=_color(variant))
            else:
                ax.bar(x, value, width, color=_color(variant), alpha=0.35, hatch="///",
                       edgecolor=_color(variant))
    ax.set_xticks(range(len(models)), [model_display_name(m) for m in models], rotation=15)
    if log:
        ax.set_yscale("log")
    handles = []
    for variant, source in slots:
        if source == "edgernn":
            handles.append(Patch(color=_color(variant), label=f"edgernn {variant}"))
        else:
            handles.append(Patch(facecolor=_color(variant), alpha=0.35, hatch="///",
                                 edgecolor=_color(variant), label=f"{framework} {variant}"))
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))


def _count_plot(
    ax: Axes,
    chosen: dict[tuple[str, str], BenchRecord],
    reference: TflmReference | None,
    series: list[tuple[str, str, Callable[[BenchRecord], float | None],
                      Callable[[TflmFigure], float | None] | None]],
    ylabel: str,
) -> None:
    """Per-model bars of counts that do not depend on the variant (parameters, MACs)."""
    models = _models(chosen)
    first: dict[str, BenchRecord] = {}
    for (model, _), record in sorted(chosen.items(), key=lambda kv: variant_sort_key(kv[0][1])):
        first.setdefault(model, record)
    width = 0.84 / len(series)
    for index, (label, color, ours, theirs) in enumerate(series):
        offset = (index - (len(series) - 1) / 2) * width
        for position, model in enumerate(models):
            if theirs is not None:
                figures = [reference.get(model, v) for v in ("float32", "int8")] \
                    if reference is not None else []
                figure = next((f for f in figures if f is not None), None)
                value = theirs(figure) if figure is not None else None
                hatch, alpha = "///", 0.35
            else:
                value, hatch, alpha = ours(first[model]), None, 1.0
            if value is None or value <= 0:
                continue
            ax.bar(position + offset, value, width, color=color, alpha=alpha, hatch=hatch,
                   edgecolor=color, label=label if position == 0 else None)
    ax.set_xticks(range(len(models)), [model_display_name(m) for m in models], rotation=30,
                  ha="right")
    ax.set_yscale("log")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.3), ncols=2)


def write_plots(
    records: Sequence[BenchRecord], reference: TflmReference | None, out_dir: Path
) -> list[PlotInfo]:
    """Write the five figures as PNG files into ``out_dir``.

    Args:
        records: The records (one bar per (model, variant); see :func:`representative_records`).
        reference: Published TFLM figures to plot alongside, or ``None``.
        out_dir: Directory for the PNG files (created).

    Returns:
        The plots written, in EdgeMark's order.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    chosen = representative_records(records, reference)
    framework = reference.framework if reference is not None else "TFLM"
    with_tflm = reference is not None
    plots: list[PlotInfo] = []
    with matplotlib.style.context("default"), matplotlib.rc_context(STYLE):
        figure, (ax_params, ax_macs) = _new_figure(2)
        params_series = [("edgernn parameters", "#555555", lambda r: r.parameters, None)]
        macs_series = [("edgernn matrix MACs", "#555555", lambda r: r.macs, None),
                       ("edgernn EdgeMark MACs", "#8c564b", lambda r: r.edgemark_macs, None)]
        if with_tflm:
            params_series.append((f"{framework} (published)", "#555555", None,
                                  lambda f: f.parameters))
            macs_series.append((f"{framework} MACs (published)", "#8c564b", None,
                                lambda f: f.macs))
        _count_plot(ax_params, chosen, reference, params_series, "parameters")
        _count_plot(ax_macs, chosen, reference, macs_series, "MACs per inference")
        ax_params.set_title("Parameters")
        ax_macs.set_title("MACs")
        path = out_dir / "params_macs.png"
        _save(figure, path)
        plots.append(PlotInfo("params_macs", path, "Parameters and MACs",
                              "Parameters and MACs per inference (log scale); matrix MACs count "
                              "matrix-vector products, EdgeMark MACs are profiler FLOPs / 2."))

        kib = 1024.0
        panels: list[tuple[str, str, str, str, bool, Callable[[BenchRecord], float | None],
                           Callable[[TflmFigure], float | None]]] = [
            ("error", "Error", "error (fraction of output range)",
             "EdgeMark error: mean |y_float − y_device| / range of y_float.", False,
             lambda r: r.error, lambda f: f.error),
            ("exe_time", "Execution time", "time per inference (ms, log scale)",
             "Execution time of one inference (log scale).", True,
             lambda r: r.exe_ms, lambda f: f.exe_ms),
            ("flash", "Flash", "flash (kB)", "Whole-program flash, kB of 1024 bytes.", False,
             lambda r: None if r.flash_bytes is None else r.flash_bytes / kib,
             lambda f: f.flash_kb),
            ("ram", "RAM", "RAM (kB)", "Whole-program RAM (static + stack), kB of 1024 bytes.",
             False, lambda r: None if r.ram_bytes is None else r.ram_bytes / kib,
             lambda f: f.ram_kb),
        ]
        for name, title, ylabel, caption, log, ours, theirs in panels:
            figure, (ax,) = _new_figure()
            _bars(ax, chosen, reference, ours, theirs, log=log)
            ax.set_title(title)
            ax.set_ylabel(ylabel)
            path = out_dir / f"{name}.png"
            _save(figure, path)
            if with_tflm:
                caption += f" Hatched: {framework}'s published figures ({reference.board})."
            plots.append(PlotInfo(name, path, title, caption))
    return plots
