"""Generating a self-contained C library for one model from its IR graph.

:func:`render_c` turns a graph into file contents in memory (the model's ``NAME.h`` / ``NAME.c``
from ``templates/model.*.j2`` plus the runtime kernels it needs); :func:`generate_c` writes them.
Per-kind glue comes from the variant's emitter registry (:mod:`edgernn.codegen.registry`);
weights become ``static const`` arrays (flash), state, scratch and activation buffers ``static``
arrays (RAM). Output is a pure function of the graph: no timestamps, fixed ordering, and floats
printed as the shortest decimal that round-trips to the same float32, so regeneration is
byte-identical.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import numpy as np

from edgernn import __version__
from edgernn.codegen.registry import CArray, LayerEmitter, Variant, get_emitter, get_variant
from edgernn.errors import BuildError
from edgernn.ir.bidirectional import needs_whole_sequence
from edgernn.ir.graph import Graph, Node
from edgernn.ir.kinds import get_kind
from edgernn.runtime import runtime_dir, sources_for
from edgernn.spec import spec_hash

VALUES_PER_LINE = 6
_C_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("edgernn.codegen", "templates"),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
    autoescape=False,
)


@dataclass(frozen=True)
class ModelSizes:
    """Buffer sizes of a generated model, in elements (the values of its ``NAME_*`` macros)."""

    input_size: int
    output_size: int
    sequence_length: int
    run_input_size: int
    run_output_size: int
    state_size: int
    scratch_size: int
    buffer_size: int
    parameter_count: int
    flash_bytes: int = 0
    ram_bytes: int = 0


@dataclass(frozen=True)
class GeneratedModel:
    """What :func:`generate_c` wrote: a self-contained C library for one model.

    Attributes:
        name: model name, the prefix of every generated C symbol.
        variant: code generation variant (``float32``).
        out_dir: directory holding every file below.
        header: ``NAME.h``, the model API.
        source: ``NAME.c``, weights and glue.
        runtime_files: runtime headers and kernel sources copied next to the model.
        spec_hash: hash of the model spec (provenance header).
        weights_hash: hash of the weight values (provenance header).
        tokens_input: True when each step's input is one token id (``int32_t``).
        sequential_output: True when ``NAME_run`` outputs every step, False for the last only.
        sizes: the buffer-size macros.
    """

    name: str
    variant: str
    out_dir: Path
    header: Path
    source: Path
    runtime_files: tuple[Path, ...]
    spec_hash: str
    weights_hash: str
    tokens_input: bool
    sequential_output: bool
    sizes: ModelSizes
    files: tuple[Path, ...] = field(default=())

    @property
    def c_sources(self) -> list[Path]:
        """Every ``.c`` file to compile (model first, then runtime kernels)."""
        return [self.source] + [p for p in self.runtime_files if p.suffix == ".c"]

    @property
    def flash_bytes(self) -> int:
        """Bytes of constant weight data (``static const`` arrays)."""
        return self.sizes.flash_bytes

    @property
    def ram_bytes(self) -> int:
        """Bytes of the model's static buffers (state, scratch, activations)."""
        return self.sizes.ram_bytes


def c_float(value: float | np.floating) -> str:
    """C literal of a float32 value: the shortest decimal that reads back as the same float."""
    return np.format_float_scientific(np.float32(value), unique=True, exp_digits=2) + "f"


def _array_lines(data: np.ndarray) -> list[str]:
    flat = np.ascontiguousarray(data, dtype=np.float32).ravel()
    literals = [c_float(v) for v in flat]
    return [
        ", ".join(literals[i : i + VALUES_PER_LINE]) + ","
        for i in range(0, len(literals), VALUES_PER_LINE)
    ]


def weights_hash(graph: Graph) -> str:
    """Short content hash of every weight of ``graph`` (names, shapes and float32 values)."""
    digest = hashlib.sha256()
    for node in graph.nodes:
        for wname, tensor in node.weights.items():
            data = np.ascontiguousarray(tensor.data, dtype="<f4")
            digest.update(f"{node.name}/{wname}{data.shape};".encode())
            digest.update(data.tobytes())
    return digest.hexdigest()[:16]


def _emitters(graph: Graph, variant: Variant) -> list[LayerEmitter]:
    """Emitter of every node, failing on the first unsupported one before any work is done."""
    for node in graph.nodes:
        if not _C_IDENTIFIER.match(node.name):
            raise BuildError(f"layer name {node.name!r} is not a C identifier; rename the layer")
    return [get_emitter(variant, node) for node in graph.nodes]


_INT_TYPES = {"int8_t": np.int8, "uint8_t": np.uint8, "int16_t": np.int16,
              "uint16_t": np.uint16, "int32_t": np.int32}
_ELEMENT_BYTES = {"float": 4, "int8_t": 1, "int16_t": 2, "int32_t": 4}


def _int_array_lines(data: np.ndarray, ctype: str, per_line: int = 16) -> list[str]:
    """Lines of an integer initializer; the values must fit ``ctype`` exactly."""
    flat = np.asarray(data).ravel()
    typed = flat.astype(_INT_TYPES[ctype])
    if not np.array_equal(typed.astype(np.int64), flat.astype(np.int64)):
        raise BuildError(f"array values do not fit {ctype}")
    literals = [str(int(v)) for v in typed]
    return [
        ", ".join(literals[i : i + per_line]) + ","
        for i in range(0, len(literals), per_line)
    ]


def _ctype_bytes(ctype: str) -> int:
    return 4 if ctype == "float" else np.dtype(_INT_TYPES[ctype]).itemsize


def _custom_arrays(prefix: str, arrays: list[CArray]) -> list[dict[str, Any]]:
    out = []
    for array in arrays:
        data = np.asarray(array.data)
        is_float = array.ctype == "float"
        out.append({
            "cname": f"{prefix}_{array.suffix}",
            "ctype": array.ctype,
            "dims": str(max(int(data.size), 1)),
            "shape": array.note,
            "lines": _array_lines(data) if is_float else _int_array_lines(data, array.ctype),
            "bytes": int(data.size) * _ctype_bytes(array.ctype),
            "align": array.align,
        })
    return out


def _layer_context(
    model: str, node: Node, emitter: LayerEmitter, input_expr: str, output_expr: str,
    custom: list[CArray] | None = None,
) -> dict[str, Any]:
    prefix = f"{model}_{node.name}"
    shapes = get_kind(node.kind).weight_shapes(node.attrs, node.input_size)
    if custom is None and emitter.arrays is not None:
        custom = emitter.arrays(node)
    if custom is not None:
        arrays = _custom_arrays(prefix, custom)
    else:
        arrays = [
            {
                "cname": f"{prefix}_{wname}",
                "dims": " * ".join(str(d) for d in shapes[wname]),
                "shape": "x".join(str(d) for d in shapes[wname]),
                "lines": _array_lines(node.w(wname)),
                "ctype": "float",
                "bytes": 4 * int(np.prod(shapes[wname])),
            }
            for wname in shapes
        ]
    extra = emitter.context(node)
    state_types = extra.get("state_types", {})
    state_zero = extra.get("state_zero", {})
    state = [
        {"name": sname, "cname": f"{prefix}_{sname}", "size": size}
        | ({"ctype": state_types[sname]} if sname in state_types else {})
        | ({"zero": state_zero[sname]} if sname in state_zero else {})
        for sname, size in emitter.state(node).items()
    ]
    context = {
        "name": node.name,
        "kind": node.kind,
        "prefix": prefix,
        "template": emitter.template,
        "attrs": dict(node.attrs),
        "input_size": node.input_size,
        "output_size": node.output_size,
        "arrays": arrays,
        "state": state,
        "scratch": f"{model}_scratch",
        "scratch_macro": emitter.scratch_macro(node) if emitter.scratch_macro else None,
        "input": input_expr,
        "output": output_expr,
        "summary": ", ".join(
            f"{k}={v}" for k, v in sorted(node.attrs.items()) if k != "quant"
        ),
    }
    context.update(extra)
    return context


def token_fusion(graph: Graph, emitters: list[LayerEmitter]) -> list[CArray] | None:
    """Arrays of the first recurrent layer when it takes the token ids itself, else None
    (``emitters``: one per node, as :func:`get_emitter` gives them).

    For a model ``embedding -> recurrent -> ...`` whose recurrent emitter can fold the
    embedding (``LayerEmitter.token_arrays``): the recurrent layer's input part depends on the
    token only, so it becomes a per-token table computed here and the embedding layer is not
    generated (the integers are the golden model's own, looked up instead of computed).
    """
    nodes = graph.nodes
    if not graph.tokens_input or len(nodes) < 2 or nodes[0].kind != "embedding":
        return None
    fold = emitters[1].token_arrays
    return fold(nodes[0], nodes[1]) if fold is not None else None


def _model_context(graph: Graph, variant: Variant) -> tuple[dict[str, Any], list[str]]:
    """Template context of the whole model and the runtime kernels it calls."""
    emitters = _emitters(graph, variant)
    name = graph.name
    last_recurrent = max(i for i, node in enumerate(graph.nodes) if node.recurrent)
    layers: list[dict[str, Any]] = []
    buffers = [0, 0]
    turn = 0
    current = "token" if graph.tokens_input else "input"
    token_arrays = token_fusion(graph, emitters)
    for index, (node, emitter) in enumerate(zip(graph.nodes, emitters, strict=True)):
        if token_arrays is not None and index == 0:
            continue  # the embedding: its layer looks its input part up per token
        if node.recurrent:
            output = f"{name}_{node.name}_h"
        elif index == len(graph.nodes) - 1:
            output = "output"
        else:
            output = f"{name}_buffer{turn}"
            buffers[turn] = max(buffers[turn], node.output_size)
            turn = 1 - turn
        fused = token_arrays is not None and index == 1
        layer = _layer_context(name, node, emitter, current, output,
                               token_arrays if fused else None)
        layer["token_table"] = fused
        if fused:
            layer["vocabulary"] = graph.nodes[0].attrs["vocabulary"]
        layer["part"] = "body" if index <= last_recurrent else "head"
        layers.append(layer)
        current = output
    states = [s for layer in layers for s in layer["state"]]
    included = [(node, emitter) for index, (node, emitter)
                in enumerate(zip(graph.nodes, emitters, strict=True))
                if not (token_arrays is not None and index == 0)]
    windows = _window_plan(graph, included, layers)
    skipped = len(graph.nodes) - len(layers)
    pairs = zip(graph.nodes, emitters, strict=True)
    scratch = max(max(emitter.scratch(node), emitter.steps_scratch(node) if windows else 0)
                  for node, emitter in pairs)
    seq = graph.sequence_length
    scratch_size = max(scratch, 1)
    element_bytes = _ELEMENT_BYTES[variant.element_type]
    state_bytes = sum(s["size"] * _ELEMENT_BYTES[s.get("ctype", variant.element_type)]
                      for s in states)
    sizes = ModelSizes(
        input_size=graph.input_size,
        output_size=graph.output_size,
        sequence_length=seq,
        run_input_size=seq * graph.input_size,
        run_output_size=(seq if graph.sequential_output else 1) * graph.output_size,
        state_size=sum(s["size"] for s in states),
        scratch_size=scratch_size,
        buffer_size=sum(buffers),
        parameter_count=sum(int(t.data.size) for n in graph.nodes for t in n.weights.values()),
        flash_bytes=sum(a["bytes"] for layer in layers for a in layer["arrays"]),
        ram_bytes=(state_bytes + 4 * scratch_size + element_bytes * sum(buffers)
                   + element_bytes * sum(windows)),
    )
    context = {
        "name": name,
        "guard": f"EDGERNN_MODEL_{name.upper()}_H",
        "macro": name.upper(),
        "version": __version__,
        "variant": variant.name,
        "variant_description": variant.description,
        "element_type": variant.element_type,
        "spec_hash": spec_hash(graph.spec),
        "weights_hash": weights_hash(graph),
        "tokens_input": graph.tokens_input,
        "vocabulary": graph.nodes[0].attrs["vocabulary"] if graph.tokens_input else 0,
        "sequential": graph.sequential_output,
        "whole_sequence": False,
        "sizes": sizes,
        "layers": layers,
        "body": [layer for layer in layers if layer["part"] == "body"],
        "head": [layer for layer in layers if layer["part"] == "head"],
        "last_recurrent_output": layers[last_recurrent - skipped]["output"],
        "states": states,
        "buffers": [
            {"cname": f"{name}_buffer{i}", "size": size} for i, size in enumerate(buffers) if size
        ]
        + [{"cname": f"{name}_window{i}", "size": size} for i, size in enumerate(windows) if size],
        "window": WINDOW if windows else 0,
        "window_layers": [layer for layer in layers if "win_input" in layer],
    }
    functions = {f for _, emitter in included for f in emitter.functions}
    if windows:
        functions |= {f for _, emitter in included for f in emitter.steps_functions}
    return context, sorted(functions)


WINDOW = 2
"""Time steps per window of a windowed whole-sequence call (the steps kernels pair them)."""


def _window_plan(graph: Graph, included: list[tuple[Node, LayerEmitter]],
                 layers: list[dict[str, Any]]) -> list[int]:
    """Plan the windowed ``NAME_run``: WINDOW steps at a time, layer after layer.

    Applies when every layer that runs per step in ``NAME_run`` (all of them when every step is
    output, else the body) has a ``steps`` macro. Adds ``win_input``/``win_output`` (and the
    ``steps_scratch_macro``) to those layer contexts and returns the element counts of the two
    ping-pong window buffers ([] when the call is not windowed).
    """
    count = len(layers) if graph.sequential_output else 1 + max(
        i for i, (node, _) in enumerate(included) if node.recurrent)
    if not all(included[i][1].steps_functions for i in range(count)):
        return []
    macro = graph.name.upper()
    sizes = [0, 0]
    turn = 0
    current = "tokens + t" if graph.tokens_input else f"input + (size_t)t * {macro}_INPUT_SIZE"
    for index in range(count):
        (node, emitter), layer = included[index], layers[index]
        if graph.sequential_output and index == len(layers) - 1:
            output = f"output + (size_t)t * {macro}_OUTPUT_SIZE"
        else:
            output = f"{graph.name}_window{turn}"
            sizes[turn] = max(sizes[turn], WINDOW * node.output_size)
            turn = 1 - turn
        layer["win_input"], layer["win_output"] = current, output
        macro_fn = emitter.steps_scratch_macro
        layer["steps_scratch_macro"] = macro_fn(node) if macro_fn else None
        current = output
    return sizes


_INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def _headers_for(base: tuple[str, ...], sources: list[Path]) -> list[Path]:
    """The variant's headers plus every runtime header the sources include (transitively)."""
    todo = [runtime_dir() / name for name in base]
    for source in sources:
        todo += [runtime_dir() / n for n in _INCLUDE.findall(source.read_text(encoding="utf-8"))]
    seen: dict[str, Path] = {}
    while todo:
        path = todo.pop()
        if path.name in seen or not path.is_file():
            continue
        seen[path.name] = path
        todo += [runtime_dir() / n for n in _INCLUDE.findall(path.read_text(encoding="utf-8"))]
    return [seen[name] for name in sorted(seen)]


def _check_graph_variant(graph: Graph, variant: Variant) -> None:
    """A quantized variant needs a graph quantized for it, and float32 a float graph."""
    info = graph.metadata.get("quantization")
    graph_variant = str(info["variant"]) if isinstance(info, dict) else "float32"
    wanted = variant.name if variant.quantized else "float32"
    if graph_variant != wanted:
        if variant.quantized and graph_variant == "float32":
            raise BuildError(
                f"variant {variant.name} needs a quantized graph: run "
                f"edgernn.quant.quantize(graph, {variant.name!r}, calibration_inputs) first"
            )
        raise BuildError(
            f"{graph.name} is quantized for {graph_variant}, cannot generate {variant.name} code"
        )


def render_c(graph: Graph, variant: str = "float32") -> tuple[dict[str, str], dict[str, Any]]:
    """Render every file of the model's C library in memory.

    Args:
        graph: the model IR.
        variant: registered code generation variant.

    Returns:
        ``(files, context)``: file name -> text (model header and source, runtime headers and
        the kernel sources the model needs), and the template context (sizes, hashes).

    Raises:
        BuildError: unsupported variant, layer kind or attribute, or a model name that collides
            with a runtime file.
    """
    chosen = get_variant(variant)
    _check_graph_variant(graph, chosen)
    templates = chosen.templates
    if needs_whole_sequence(graph):  # a bidirectional layer: layer-by-layer NAME_run
        from edgernn.codegen.sequence import TEMPLATE, sequence_context

        context, functions = sequence_context(graph, chosen)
        templates = (templates[0], TEMPLATE)
    else:
        context, functions = _model_context(graph, chosen)
    context.update(chosen.model_context(graph))
    files: dict[str, str] = {}
    sources = sources_for(functions)
    for path in [*_headers_for(chosen.headers, sources), *sources]:
        files[path.name] = path.read_text(encoding="utf-8")
    for ext, template in zip(("h", "c"), templates, strict=True):
        fname = f"{graph.name}.{ext}"
        if fname in files:
            raise BuildError(
                f"model name {graph.name!r} collides with runtime file {fname}; rename the model"
            )
        files[fname] = _ENV.get_template(template).render(**context)
    return dict(sorted(files.items())), context


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file renamed into place."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def generate_c(graph: Graph, out_dir: str | Path, variant: str = "float32") -> GeneratedModel:
    """Write a self-contained C library for ``graph`` into ``out_dir``.

    Everything is rendered in memory first, so an unsupported model raises before any file is
    touched; each file is then written atomically (temporary file + rename). Files already in
    ``out_dir`` that the model does not produce are left alone.

    Args:
        graph: the model IR.
        out_dir: destination directory (created if missing).
        variant: registered code generation variant (``float32``).

    Returns:
        The generated model: paths, hashes and buffer sizes.

    Raises:
        BuildError: unsupported variant, layer kind or attribute.
    """
    files, context = render_c(graph, variant)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for fname, text in files.items():
        _write_atomic(out / fname, text)
    model_files = {f"{graph.name}.h", f"{graph.name}.c"}
    return GeneratedModel(
        name=graph.name,
        variant=variant,
        out_dir=out,
        header=out / f"{graph.name}.h",
        source=out / f"{graph.name}.c",
        runtime_files=tuple(out / f for f in files if f not in model_files),
        spec_hash=context["spec_hash"],
        weights_hash=context["weights_hash"],
        tokens_input=graph.tokens_input,
        sequential_output=graph.sequential_output,
        sizes=context["sizes"],
        files=tuple(out / f for f in files),
    )
