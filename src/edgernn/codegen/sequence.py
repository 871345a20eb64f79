"""Generated C for graphs holding a bidirectional layer: layer-by-layer whole-sequence runs.

A bidirectional node (:mod:`edgernn.ir.bidirectional`) needs every input step before its first
output, so such a model cannot advance one step at a time. Its ``NAME_run`` (template
``model_seq.c.j2``) runs each layer over the whole sequence before the next one, keeping the
sequence between layers in two static buffers (``SEQUENCE_LENGTH x`` the widest layer); a
bidirectional node is its two halves, each emitted by the wrapped kind's own emitter (own
weights, state and params struct), the backward half walking the steps from last to first and
writing (``concat``) or adding (``sum``) its outputs next to the forward half's. ``NAME_step``
exists, to keep the API, and returns ``EDGERNN_NEEDS_SEQUENCE`` without touching anything.
"""

from __future__ import annotations

from typing import Any

from edgernn import __version__
from edgernn.codegen.generate import (
    _C_IDENTIFIER,
    _ELEMENT_BYTES,
    ModelSizes,
    _layer_context,
    weights_hash,
)
from edgernn.codegen.registry import Variant, get_emitter
from edgernn.errors import BuildError
from edgernn.ir.bidirectional import KIND, direction_node
from edgernn.ir.graph import Graph, Node
from edgernn.spec import spec_hash

TEMPLATE = "model_seq.c.j2"
#: IR kinds generated through their halves' emitters here, not through an emitter of their own.
WRAPPER_KINDS = (KIND,)


def _halves(node: Node) -> list[tuple[Node, bool]]:
    """``(node, reverse)`` of what runs: a bidirectional node's two halves, else the node."""
    if node.kind == KIND:
        return [(direction_node(node, d), d == "bw") for d in ("fw", "bw")]
    return [(node, False)]


def sequence_context(graph: Graph, variant: Variant) -> tuple[dict[str, Any], list[str]]:
    """Template context (``model_seq.c.j2`` and the variant's header) and the kernels called."""
    for node in graph.nodes:  # names, and an emitter for every node or half, before any work
        if not _C_IDENTIFIER.match(node.name):
            raise BuildError(f"layer name {node.name!r} is not a C identifier; rename the layer")
        for half in _halves(node):
            get_emitter(variant, half[0])
    name, macro = graph.name, graph.name.upper()
    seq = graph.sequence_length
    recurrent = [i for i, node in enumerate(graph.nodes) if node.recurrent]
    last_recurrent = recurrent[-1]
    sequential = graph.sequential_output
    buffers = [f"{name}_seq0", f"{name}_seq1"]
    layers: list[dict[str, Any]] = []
    passes: list[dict[str, Any]] = []
    functions: set[str] = set()
    scratch = 1
    widest = 1
    src, src_width, steps, turn = ("tokens" if graph.tokens_input else "input"), \
        graph.input_size, seq, 0
    for index, node in enumerate(graph.nodes):
        last = index == len(graph.nodes) - 1
        out_steps = 1 if (index == last_recurrent and not sequential) else steps
        width = node.output_size
        dst = "output" if last else buffers[turn]
        if not last:
            widest = max(widest, width * out_steps)
            turn = 1 - turn
        halves = _halves(node)
        offset = 0
        for half, reverse in halves:
            emitter = get_emitter(variant, half)
            functions.update(emitter.functions)
            scratch = max(scratch, emitter.scratch(half))
            if half.kind == "embedding":
                input_expr = "tokens[s]"
            else:
                input_expr = f"{src} + (size_t)s * {src_width}"
            output_expr = f"{dst} + (size_t)s * {width}"
            layer = _layer_context(name, half, emitter, input_expr, output_expr)
            h = [s["cname"] for s in layer["state"] if s["name"] == "h"]
            layers.append(layer)
            passes.append({
                "layer": layer,
                "recurrent": half.recurrent,
                "steps": steps,
                "reverse": reverse,
                "final_only": out_steps == 1 and steps > 1,
                "h": h[0] if h else "",
                "h_width": half.output_size,
                "dst": dst,
                "width": width,
                "offset": offset if node.attrs.get("merge", "concat") == "concat" else 0,
                "add": reverse and node.attrs.get("merge", "concat") == "sum",
            })
            if node.kind == KIND and node.attrs.get("merge", "concat") == "concat":
                offset += half.output_size
        src, src_width, steps = dst, width, out_steps
    states = [s for layer in layers for s in layer["state"]]
    used = len({p["dst"] for p in passes} - {"output"})
    element_bytes = _ELEMENT_BYTES[variant.element_type]
    state_bytes = sum(s["size"] * _ELEMENT_BYTES[s.get("ctype", variant.element_type)]
                      for s in states)
    integer = variant.quantized and variant.element_type != "float"
    sizes = ModelSizes(
        input_size=graph.input_size,
        output_size=graph.output_size,
        sequence_length=seq,
        run_input_size=seq * graph.input_size,
        run_output_size=(seq if sequential else 1) * graph.output_size,
        state_size=sum(s["size"] for s in states),
        scratch_size=scratch,
        buffer_size=used * widest,
        parameter_count=sum(int(t.data.size) for n in graph.nodes for t in n.weights.values()),
        flash_bytes=sum(a["bytes"] for layer in layers for a in layer["arrays"]),
        ram_bytes=state_bytes + 4 * scratch + element_bytes * used * widest,
    )
    context = {
        "name": name,
        "guard": f"EDGERNN_MODEL_{name.upper()}_H",
        "macro": macro,
        "version": __version__,
        "variant": variant.name,
        "variant_description": variant.description,
        "element_type": variant.element_type,
        "io_type": variant.element_type,
        "scratch_type": "int32_t" if integer else "float",
        "integer": integer,
        "spec_hash": spec_hash(graph.spec),
        "weights_hash": weights_hash(graph),
        "tokens_input": graph.tokens_input,
        "vocabulary": graph.nodes[0].attrs["vocabulary"] if graph.tokens_input else 0,
        "sequential": sequential,
        "whole_sequence": True,
        "sizes": sizes,
        "layers": layers,
        "passes": passes,
        "states": states,
        "buffers": [{"cname": b, "size": widest} for b in buffers
                    if any(p["dst"] == b for p in passes)],
    }
    return context, sorted(functions)
