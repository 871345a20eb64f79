"""Saving a graph to a run directory and loading it back identically.

A run directory holds ``graph.yaml`` (the spec, the nodes with their attributes, weight names,
shapes, dtypes and annotations, and metadata) and ``weights.npz`` (one array per
``node/weight``). Writes go to a temporary directory renamed into place, so an interrupted save
never leaves a half-written run.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import ValidationError

from edgernn.errors import ModelFileError
from edgernn.ir.graph import Graph, Node, Tensor, validate_graph
from edgernn.spec.schema import ModelSpec

GRAPH_FILE = "graph.yaml"
WEIGHTS_FILE = "weights.npz"
FORMAT_VERSION = 1


def _plain(value: Any) -> Any:
    """Convert NumPy scalars/arrays inside metadata to plain YAML-safe values."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def save_graph(
    graph: Graph, run_dir: str | Path, extra_files: dict[str, bytes] | None = None
) -> Path:
    """Write ``graph`` (and optional extra files) to ``run_dir``, replacing it atomically."""
    validate_graph(graph)
    run_dir = Path(run_dir)
    run_dir.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "format_version": FORMAT_VERSION,
        "spec": graph.spec.model_dump(mode="json", exclude_none=True),
        "nodes": [
            {
                "name": n.name,
                "kind": n.kind,
                "attrs": _plain(n.attrs),
                "input_size": n.input_size,
                "weights": {
                    w: {
                        "shape": list(t.data.shape),
                        "dtype": str(t.data.dtype),
                        "annotations": _plain(t.annotations),
                    }
                    for w, t in n.weights.items()
                },
            }
            for n in graph.nodes
        ],
        "metadata": _plain(graph.metadata),
    }
    arrays = {f"{n.name}/{w}": t.data for n in graph.nodes for w, t in n.weights.items()}
    tmp = Path(tempfile.mkdtemp(prefix=f".{run_dir.name}.", dir=run_dir.parent))
    try:
        (tmp / GRAPH_FILE).write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
        np.savez(tmp / WEIGHTS_FILE, **arrays)
        for fname, content in (extra_files or {}).items():
            (tmp / fname).write_bytes(content)
        if run_dir.exists():
            old = run_dir.with_name(f".{run_dir.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            run_dir.rename(old)
            tmp.rename(run_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(run_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return run_dir


def load_graph(run_dir: str | Path) -> Graph:
    """Load a graph saved by :func:`save_graph`; raise ModelFileError if corrupt or inconsistent."""
    run_dir = Path(run_dir)
    graph_file, weights_file = run_dir / GRAPH_FILE, run_dir / WEIGHTS_FILE
    if not graph_file.is_file():
        raise ModelFileError(f"{run_dir}: not a run directory (no {GRAPH_FILE})")
    try:
        doc = yaml.safe_load(graph_file.read_text(encoding="utf-8"))
        if not isinstance(doc, dict) or doc.get("format_version") != FORMAT_VERSION:
            raise ModelFileError(f"{graph_file}: unknown format (expected format_version 1)")
        spec = ModelSpec.model_validate(doc["spec"])
        with np.load(weights_file, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
        nodes = []
        for entry in doc["nodes"]:
            weights = {}
            for wname, info in entry["weights"].items():
                key = f"{entry['name']}/{wname}"
                if key not in arrays:
                    raise ModelFileError(f"{weights_file}: missing array {key}")
                weights[wname] = Tensor(arrays[key], dict(info.get("annotations") or {}))
            nodes.append(
                Node(
                    name=entry["name"],
                    kind=entry["kind"],
                    attrs=dict(entry["attrs"]),
                    input_size=int(entry["input_size"]),
                    weights=weights,
                )
            )
        graph = Graph(spec=spec, nodes=nodes, metadata=dict(doc.get("metadata") or {}))
    except ModelFileError:
        raise
    except FileNotFoundError as exc:
        raise ModelFileError(f"{run_dir}: missing file {Path(exc.filename).name}") from None
    except (
        yaml.YAMLError,
        ValidationError,
        KeyError,
        TypeError,
        ValueError,
        OSError,
        zipfile.BadZipFile,
        EOFError,
    ) as exc:
        raise ModelFileError(
            f"{run_dir}: corrupt run directory ({type(exc).__name__}: {exc})"
        ) from None
    validate_graph(graph)
    return graph
