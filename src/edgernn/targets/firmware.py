"""Cortex-M firmware: a generated model, a bare-metal harness and startup, linked for a board.

:func:`build_firmware` writes into its build directory::

    src/                  the generated C library (edgernn.codegen.generate_c)
    firmware_main.c       the harness (templates/firmware_main.c.j2): init, bkpt #1, NAME_run,
                          bkpt #2, bkpt #0; I/O buffers in the NOLOAD .edgernn_io section
    startup_cortex_m4.c   vector table, Reset_Handler, fault handlers (firmware/, copied)
    firmware.ld           linker script from the board profile (templates/firmware.ld.j2)
    obj/*.o               one object per C file
    NAME.elf, NAME.map    the firmware and its link map

and compiles with ``arm-none-eabi-gcc`` (board core flags + :data:`FIRMWARE_CFLAGS` + ``-O2``
by default; ``-Os``/``-O3`` selectable), newlib-nano, no start files, ``--gc-sections``, -lm.
Every command runs in the build directory with relative paths, so the ELF does not depend on
where it was built. Weights stay in flash (``static const``) or, with ``weights="sram"``, the
linker script moves their sections (``.rodata.<array>``, from ``-fdata-sections``) into
``.ram_weights`` (RAM, load image in flash) which Reset_Handler copies: the C source is the
same for both placements.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

import jinja2
import numpy as np

from edgernn import __version__
from edgernn.codegen import GeneratedModel, generate_c, get_variant
from edgernn.codegen.generate import token_fusion
from edgernn.codegen.registry import get_emitter
from edgernn.errors import BuildError
from edgernn.ir.bidirectional import DIRECTIONS, direction_node
from edgernn.ir.bidirectional import KIND as BIDIRECTIONAL
from edgernn.ir.graph import Graph
from edgernn.ir.kinds import get_kind
from edgernn.quant.params import graph_variant
from edgernn.targets.boards import BoardProfile, get_board
from edgernn.targets.host import ELEMENT_DTYPES
from edgernn.targets.sizes import KB, SizeReport, measure_elf

#: Language and warning flags of every firmware compile (the board adds the core flags).
FIRMWARE_CFLAGS: tuple[str, ...] = (
    "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-Wdouble-promotion",
    "-ffunction-sections", "-fdata-sections", "--specs=nano.specs",
)
#: Link flags (besides the board's core flags, the optimisation level, -T and -Map).
FIRMWARE_LDFLAGS: tuple[str, ...] = (
    "--specs=nano.specs", "-nostartfiles", "-Wl,--gc-sections",
)
FIRMWARE_LIBS: tuple[str, ...] = ("-lm",)

OPT_LEVELS = ("O0", "O1", "O2", "O3", "Os")
DEFAULT_OPT = "O2"
DEFAULT_STACK_BYTES = 8 * KB
DEFAULT_BOARD = "nucleo-l4r5zi"
ARM_CC = "arm-none-eabi-gcc"
ARM_CC_ENV = "EDGERNN_ARM_CC"
INSTALL_HINT = (
    "install the GNU Arm Embedded toolchain and newlib: "
    "`sudo apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi` (or run ./setup.sh)"
)
COMPILE_TIMEOUT_S = 300

STARTUP_FILE = "startup_cortex_m4.c"
HARNESS_FILE = "firmware_main.c"
LINKER_SCRIPT = "firmware.ld"
INPUT_SYMBOL = "harness_input"
OUTPUT_SYMBOL = "harness_output"
STATUS_SYMBOL = "harness_status"

Placement = Literal["flash", "sram"]
IoSection = Literal["noload", "loaded"]

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("edgernn.targets", "templates"),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
    autoescape=False,
)
_OVERFLOW = re.compile(r"region `(\w+)' overflowed by (\d+) bytes")


class ToolchainError(BuildError):
    """The Arm cross toolchain (or its C library) is not installed."""


@functools.cache
def _version_of(compiler: str) -> str:
    try:
        proc = subprocess.run(
            [compiler, "--version"], capture_output=True, text=True, timeout=60, check=False
        )
    except OSError as exc:
        raise ToolchainError(f"cannot run {compiler} ({exc}); {INSTALL_HINT}") from None
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise ToolchainError(f"{compiler} --version failed; {INSTALL_HINT}")
    return lines[0]


def find_arm_toolchain(cc: str | None = None) -> tuple[str, str]:
    """Path and version string of the Arm cross compiler.

    Args:
        cc: compiler name or path; default ``$EDGERNN_ARM_CC`` or ``arm-none-eabi-gcc``.

    Returns:
        ``(path, first line of --version)``.

    Raises:
        ToolchainError: the compiler is not on PATH or does not run; the message says how to
            install it.
    """
    name = cc or os.environ.get(ARM_CC_ENV) or ARM_CC
    path = shutil.which(name)
    if path is None:
        raise ToolchainError(f"Arm C compiler {name!r} not found on PATH; {INSTALL_HINT}")
    return path, _version_of(path)


def weight_arrays(graph: Graph, variant: str = "float32") -> dict[str, tuple[int, ...]]:
    """C names and shapes of the constant arrays the generated code defines for ``graph``.

    The generated ``NAME.c`` names each array ``NAME_<layer>_<suffix>`` (see
    :mod:`edgernn.codegen.generate`): the IR weight names for float32, the emitter's arrays
    (DSP-layout matrices, biases, multipliers, shifts, row scales) for the quantized variants.
    The firmware build checks every one is in the ELF and in the requested memory.
    """
    arrays: dict[str, tuple[int, ...]] = {}
    spec = get_variant(variant)
    # a bidirectional node's arrays are its two halves' (edgernn.codegen.sequence)
    parts = [half for n in graph.nodes for half in (
        [direction_node(n, d) for d in DIRECTIONS] if n.kind == BIDIRECTIONAL else [n])]
    emitters = [get_emitter(spec, node) for node in parts]
    fused = token_fusion(graph, emitters) if len(parts) == len(graph.nodes) else None
    for index, (node, emitter) in enumerate(zip(parts, emitters, strict=True)):
        if fused is not None and index <= 1:  # the embedding folded into the next layer
            for array in fused if index == 1 else []:
                arrays[f"{graph.name}_{node.name}_{array.suffix}"] = tuple(
                    int(d) for d in np.shape(array.data))
            continue
        if emitter.arrays is not None:
            for array in emitter.arrays(node):
                shape = tuple(int(d) for d in np.shape(array.data))
                arrays[f"{graph.name}_{node.name}_{array.suffix}"] = shape
            continue
        shapes = get_kind(node.kind).weight_shapes(node.attrs, node.input_size)
        for wname, shape in shapes.items():
            arrays[f"{graph.name}_{node.name}_{wname}"] = tuple(int(d) for d in shape)
    return arrays


@dataclass(frozen=True)
class BufferSymbol:
    """A harness buffer in the ELF.

    Attributes:
        name: symbol name.
        address: run-time address.
        size: bytes.
        dtype: numpy dtype of its elements (``<f4``, ``<i4``, ``<i2``, ``<i1``).
    """

    name: str
    address: int
    size: int
    dtype: str

    @property
    def count(self) -> int:
        """Number of elements."""
        return self.size // np.dtype(self.dtype).itemsize


@dataclass(frozen=True)
class FirmwareBuild:
    """A linked firmware image of one model for one board.

    Attributes:
        graph: the model it was built from.
        model: the generated C library.
        board: the board profile.
        variant: code generation variant.
        opt: optimisation level (``O2``).
        weights: weight placement, ``flash`` or ``sram``.
        stack_bytes: stack reserved by the linker script.
        io_section: ``noload`` or ``loaded`` (see :func:`build_firmware`).
        build_dir: directory holding every file below.
        elf: the firmware.
        map_file: the linker's map.
        linker_script: the generated linker script.
        compiler: path of the compiler.
        compiler_version: first line of ``compiler --version``.
        cflags: every compile flag, in order.
        ldflags: every link flag, in order (libraries last).
        compiler_output: what the compiler and linker printed (empty for a clean build).
        input: the input buffer symbol (one sequence).
        output: the output buffer symbol.
        status: the int32 status ``NAME_run`` returned.
        weight_addresses: weight array name -> run-time address.
        sizes: flash/RAM figures and breakdown.
    """

    graph: Graph
    model: GeneratedModel
    board: BoardProfile
    variant: str
    opt: str
    weights: Placement
    stack_bytes: int
    io_section: IoSection
    build_dir: Path
    elf: Path
    map_file: Path
    linker_script: Path
    compiler: str
    compiler_version: str
    cflags: tuple[str, ...]
    ldflags: tuple[str, ...]
    compiler_output: str
    input: BufferSymbol
    output: BufferSymbol
    status: BufferSymbol
    weight_addresses: dict[str, int]
    sizes: SizeReport

    def as_record(self) -> dict[str, object]:
        """Provenance and sizes as a flat JSON-friendly record."""
        return {
            "model": self.model.name, "board": self.board.name, "variant": self.variant,
            "opt": self.opt, "weights": self.weights, "stack_bytes": self.stack_bytes,
            "compiler_version": self.compiler_version, "cflags": " ".join(self.cflags),
            "ldflags": " ".join(self.ldflags), **self.sizes.as_record(),
        }


def _run(
    command: list[str], cwd: Path, what: str, explain: Callable[[str], None] | None = None
) -> str:
    """Run a toolchain command; on failure ``explain(output)`` may raise a better error."""
    try:
        proc = subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, timeout=COMPILE_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise BuildError(f"{what} timed out after {COMPILE_TIMEOUT_S} s") from None
    except OSError as exc:
        raise ToolchainError(f"cannot run {command[0]} ({exc}); {INSTALL_HINT}") from None
    output = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0:
        if "nano.specs" in output:
            raise ToolchainError(f"{what} failed: newlib-nano is missing; {INSTALL_HINT}")
        if explain is not None:
            explain(output)
        lines = [line for line in output.splitlines() if "collect2" not in line]
        errors = [line for line in lines if "error" in line] or lines
        raise BuildError(f"{what} failed: {errors[0] if errors else proc.returncode}")
    return output


def _render_sources(
    model: GeneratedModel, board: BoardProfile, weights: Placement, stack_bytes: int,
    io_section: IoSection, arrays: dict[str, tuple[int, ...]], root: Path,
) -> None:
    common = {
        "name": model.name, "version": __version__, "spec_hash": model.spec_hash,
        "weights_hash": model.weights_hash,
    }
    harness = _ENV.get_template("firmware_main.c.j2").render(
        **common, macro=model.name.upper(), board=board.name, tokens_input=model.tokens_input,
        io_type=get_variant(model.variant).element_type, variant=model.variant,
    )
    script = _ENV.get_template("firmware.ld.j2").render(
        **common, board=board, weights=weights, stack_size=stack_bytes, io_section=io_section,
        ram_weight_sections=[f".rodata.{n}" for n in arrays] if weights == "sram" else [],
    )
    startup = resources.files("edgernn.targets") / "firmware" / STARTUP_FILE
    (root / HARNESS_FILE).write_text(harness, encoding="utf-8")
    (root / LINKER_SCRIPT).write_text(script, encoding="utf-8")
    (root / STARTUP_FILE).write_text(startup.read_text(encoding="utf-8"), encoding="utf-8")


def _link_error(graph: Graph, board: BoardProfile, message: str, model: GeneratedModel) -> None:
    """Turn overflowed memory regions into one figure-carrying error."""
    overflows = {m.group(1): int(m.group(2)) for m in _OVERFLOW.finditer(message)}
    if not overflows:
        return
    spans = {"FLASH": board.memory.flash, "RAM": board.memory.ram}
    detail = ", ".join(
        f"{region} overflowed by {excess} bytes ({spans[region].size // KB} KB available)"
        for region, excess in overflows.items() if region in spans
    )
    raise BuildError(
        f"{graph.name} does not fit {board.name}: {detail}; weights {model.flash_bytes} bytes, "
        f"model buffers {model.ram_bytes} bytes"
    )


def build_firmware(
    graph: Graph,
    board: str | Path | BoardProfile = DEFAULT_BOARD,
    variant: str | None = None,
    opt: str = DEFAULT_OPT,
    weights: Placement = "flash",
    build_dir: str | Path | None = None,
    *,
    stack_bytes: int = DEFAULT_STACK_BYTES,
    cc: str | None = None,
    io_section: IoSection = "noload",
) -> FirmwareBuild:
    """Generate ``graph``'s C library and link it into firmware for ``board``.

    Args:
        graph: the model IR.
        board: registered board name, profile file path, or profile.
        variant: code generation variant; default the graph's own (``float32`` unless it was
            quantized, :func:`edgernn.quant.graph_variant`).
        opt: optimisation level, one of :data:`OPT_LEVELS` (``O2``, ``Os``, ``O3``, ...).
        weights: ``flash`` keeps the weights in flash; ``sram`` copies them to RAM at start-up.
        build_dir: where to build (created); a fresh temporary directory when None, left in
            place for the caller.
        stack_bytes: stack reserved by the linker script (multiple of 8).
        cc: Arm compiler; default ``$EDGERNN_ARM_CC`` or ``arm-none-eabi-gcc``.
        io_section: ``noload`` (default) makes ``.edgernn_io`` a NOLOAD section, as for a
            board (edgernn's simulator writes inputs straight into its RAM); ``loaded`` gives
            it (zero) contents at its RAM address, for tools that only write into sections
            with contents.

    Returns:
        The build: ELF, map, flags, compiler version, buffer symbols and sizes.

    Raises:
        BoardError: unknown board or invalid profile.
        ToolchainError: the Arm toolchain or newlib-nano is missing.
        BuildError: bad option, unsupported model, compile error, or the model does not fit
            the board's flash or RAM (the message gives the overflow).
    """
    profile = get_board(board)
    variant = graph_variant(graph) if variant is None else variant
    if opt not in OPT_LEVELS:
        choices = ", ".join(OPT_LEVELS)
        raise BuildError(f"unknown optimisation level {opt!r} (choose from {choices})")
    if weights not in ("flash", "sram"):
        raise BuildError(f"unknown weight placement {weights!r} (choose flash or sram)")
    if io_section not in ("noload", "loaded"):
        raise BuildError(f"unknown I/O section kind {io_section!r} (choose noload or loaded)")
    if stack_bytes <= 0 or stack_bytes % 8:
        raise BuildError(f"stack size must be a positive multiple of 8 bytes, got {stack_bytes}")
    compiler, version = find_arm_toolchain(cc)
    root = Path(tempfile.mkdtemp(prefix=f"edgernn-fw-{graph.name}-")) if build_dir is None \
        else Path(build_dir)
    root.mkdir(parents=True, exist_ok=True)
    model = generate_c(graph, root / "src", variant=variant)
    arrays = weight_arrays(graph, variant)
    _render_sources(model, profile, weights, stack_bytes, io_section, arrays, root)

    obj = root / "obj"
    if obj.exists():
        shutil.rmtree(obj)
    obj.mkdir()
    sources = [f"../src/{p.name}" for p in model.c_sources] + [f"../{HARNESS_FILE}",
                                                              f"../{STARTUP_FILE}"]
    cflags = (*profile.toolchain.cflags, *FIRMWARE_CFLAGS, f"-{opt}", "-I", "../src")
    compile_output = _run([compiler, *cflags, "-c", *sources], obj, f"compiling {graph.name}")
    objects = sorted(p.name for p in obj.glob("*.o"))
    elf, map_file = root / f"{graph.name}.elf", root / f"{graph.name}.map"
    ldflags = (
        *profile.toolchain.cflags, *FIRMWARE_LDFLAGS, f"-{opt}", "-T", f"../{LINKER_SCRIPT}",
        f"-Wl,-Map=../{map_file.name}",
    )
    link_output = _run(
        [compiler, *ldflags, *objects, "-o", f"../{elf.name}", *FIRMWARE_LIBS], obj,
        f"linking {graph.name} for {profile.name}",
        explain=lambda output: _link_error(graph, profile, output, model),
    )

    kernel_files = [p.name for p in model.runtime_files if p.suffix == ".c"]
    sizes = measure_elf(elf, profile, graph.name, arrays, kernel_files)
    symbols = _symbols(elf, [INPUT_SYMBOL, OUTPUT_SYMBOL, STATUS_SYMBOL, *arrays])
    missing = [n for n in arrays if n not in symbols]
    if missing:
        raise BuildError(
            f"{graph.name}: weight arrays {', '.join(missing)} not found in the ELF "
            "(did the generated names change?)"
        )
    region = profile.memory.flash if weights == "flash" else profile.memory.ram
    misplaced = [n for n in arrays if not region.contains(symbols[n][0])]
    if misplaced:
        raise BuildError(f"{graph.name}: weights {', '.join(misplaced)} are not in {weights}")
    io_dtype = ELEMENT_DTYPES[get_variant(variant).element_type]
    in_dtype = "<i4" if model.tokens_input else io_dtype

    def buffer(name: str, dtype: str) -> BufferSymbol:
        address, size = symbols[name]
        return BufferSymbol(name, address, size, dtype)

    return FirmwareBuild(
        graph=graph, model=model, board=profile, variant=variant, opt=opt, weights=weights,
        stack_bytes=stack_bytes, io_section=io_section, build_dir=root, elf=elf, map_file=map_file,
        linker_script=root / LINKER_SCRIPT, compiler=compiler, compiler_version=version,
        cflags=cflags, ldflags=(*ldflags, *FIRMWARE_LIBS),
        compiler_output="\n".join(o for o in (compile_output, link_output) if o),
        input=buffer(INPUT_SYMBOL, in_dtype), output=buffer(OUTPUT_SYMBOL, io_dtype),
        status=buffer(STATUS_SYMBOL, "<i4"),
        weight_addresses={n: symbols[n][0] for n in arrays}, sizes=sizes,
    )


def _symbols(elf: Path, names: list[str]) -> dict[str, tuple[int, int]]:
    """Address and size of the named symbols present in ``elf``."""
    from elftools.elf.elffile import ELFFile

    wanted = set(names)
    found: dict[str, tuple[int, int]] = {}
    with elf.open("rb") as stream:
        symtab = ELFFile(stream).get_section_by_name(".symtab")
        for sym in symtab.iter_symbols() if symtab is not None else ():
            if sym.name in wanted and sym["st_info"]["type"] == "STT_OBJECT":
                found[sym.name] = (sym["st_value"], sym["st_size"])
    return found
