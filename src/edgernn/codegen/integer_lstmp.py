"""Integer emitters (``int8``, ``int16x8``) of the LSTM with peepholes and/or a projection.

Registers the ``lstmp`` kind with the integer variants of :mod:`edgernn.codegen.integer`. The
constants are those of :func:`edgernn.quant.lower.lower_node` (as the integer golden model,
:mod:`edgernn.reference.integer.lstmp`). Layouts: ``W_x``, ``W_h`` as the LSTM's; full peephole
matrices in the int16x8 DSP layout (``edgernn_project_s16``: they multiply the int16 cell, whose
sums need 64 bits in both variants); ``W_p`` as the variant's gate matrices (int8: row pairs on
``m`` widened; int16x8: DSP 2-row blocks); diagonal peepholes as int16 vectors.
"""

from __future__ import annotations

from typing import Any

from edgernn.codegen.float32 import _PEEPHOLES
from edgernn.codegen.integer import (
    FLAVOURS,
    S8_CHUNK_ROWS,
    IntegerFlavour,
    _integer_context,
    _projection_arrays,
)
from edgernn.codegen.registry import CArray, LayerEmitter, register_emitter
from edgernn.ir.graph import Node
from edgernn.ir.kinds import get_kind
from edgernn.quant.lower import lower_node

PEEPHOLE_GATES = ("p_i", "p_f", "p_o")


def _units(node: Node) -> int:
    return int(node.attrs["units"])


def _width(node: Node) -> int:
    return int(node.attrs.get("projection") or node.attrs["units"])


def _arrays(flavour: IntegerFlavour):
    def arrays(node: Node) -> list[CArray]:
        low = lower_node(node)
        out: list[CArray] = []
        for name in ("x", "h"):
            out += _projection_arrays(name, low.projections[name], slice(None), flavour.variant)
        for name in PEEPHOLE_GATES:
            if name in low.projections:  # full: always the 64-bit kernel's layout
                out += _projection_arrays(name, low.projections[name], slice(None), "int16x8")
            elif name in low.vectors:
                out.append(CArray(name, "int16_t", low.vectors[name],
                                  f"{_units(node)} int16, diagonal peephole"))
        if "w_p" in low.projections:
            out += _projection_arrays("w_p", low.projections["w_p"], slice(None),
                                      flavour.variant)
        return out

    return arrays


def _context(flavour: IntegerFlavour):
    base = _integer_context(flavour)

    def context(node: Node) -> dict[str, Any]:
        ctx = base(node)
        low = lower_node(node)
        ctx["proj"] = {
            name: {"bias": False, "acc_shift": proj.acc_shift}
            for name, proj in low.projections.items() if name not in ("x", "h")
        } | ctx["proj"]
        ctx["peephole"] = _PEEPHOLES[node.attrs.get("peephole")]
        ctx["peephole_kind"] = node.attrs.get("peephole") or "none"
        ctx["proj_size"] = int(node.attrs.get("projection") or 0)
        return ctx

    return context


def _scratch(flavour: IntegerFlavour):
    """Python twin of EDGERNN_LSTMP_STEP_<SFX>_BUFFER_SIZE (int32 words)."""

    def words(n: int) -> int:
        return (n + 1) // 2

    def scratch(node: Node) -> int:
        u, width = _units(node), _width(node)
        if flavour.suffix == "s16":
            return 4 * u + words(4 * u) + words(u + 1)
        acc = max(min(4 * u, S8_CHUNK_ROWS), u)
        return acc + words(node.input_size) + words(width) + words(4 * u) + words(u + 1)

    return scratch


def _macro(flavour: IntegerFlavour):
    sfx = flavour.suffix.upper()
    return lambda node: (f"EDGERNN_LSTMP_STEP_{sfx}_BUFFER_SIZE({node.input_size}, "
                         f"{_units(node)}, {_width(node)})")


for _flavour in FLAVOURS.values():
    register_emitter(_flavour.variant, LayerEmitter(
        kind="lstmp", template="integer/lstmp.c.j2",
        functions=(f"edgernn_lstmp_step_{_flavour.suffix}",),
        state=lambda node: get_kind("lstmp").state_sizes(node.attrs),
        scratch=_scratch(_flavour),
        scratch_macro=_macro(_flavour),
        context=_context(_flavour), arrays=_arrays(_flavour),
    ))
