"""Run a model's firmware on the simulated board: outputs, cycles, stack and sizes.

:func:`run_on_device` builds the firmware once (:func:`edgernn.targets.firmware.build_firmware`)
and simulates it once per check sequence (:mod:`edgernn.sim`): the sequence is written into the
harness input buffer, the core runs from reset to the final ``bkpt``, and the output buffer and
the model's status are read back. Cycles are those of the inference region between the
harness's ``bkpt #1`` and ``bkpt #2`` (``NAME_run`` over one sequence), under the board's cycle
model and flash timing.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from edgernn.codegen import get_variant
from edgernn.errors import SimulationError
from edgernn.ir.graph import Graph
from edgernn.quant.params import dequantize_outputs, graph_variant, is_quantized, quantize_inputs
from edgernn.sim import SimResult, Simulator
from edgernn.targets.boards import BoardProfile
from edgernn.targets.firmware import (
    DEFAULT_BOARD,
    DEFAULT_OPT,
    DEFAULT_STACK_BYTES,
    FirmwareBuild,
    IoSection,
    Placement,
    build_firmware,
)
from edgernn.targets.host import (
    ELEMENT_DTYPES,
    HostInputError,
    _as_model_inputs,
    random_inputs,
)
from edgernn.targets.sizes import SizeReport

#: Instruction budget of one simulated sequence (the largest zoo model needs ~2e7).
MAX_INSTRUCTIONS = 500_000_000


@dataclass(frozen=True)
class DeviceRun:
    """Outputs and measurements of a model run in the simulated firmware.

    Attributes:
        build: the firmware that ran.
        inputs: the sequences, as given (float features or token ids).
        outputs: float32 outputs, same shape as :func:`edgernn.reference.run_reference`'s:
            the raw outputs, dequantized for the ``int8``/``int16x8`` variants
            (:func:`edgernn.quant.dequantize_outputs`), so they compare with the float golden
            model.
        raw_inputs: what the harness read: ``inputs`` quantized for the variant
            (:func:`edgernn.quant.quantize_inputs`: int8, int16, int32 token ids or float32).
        raw_outputs: what the harness wrote, in the variant's element type (int8, int16 or
            float32); compare them with :func:`edgernn.reference.integer.run_integer_reference`
            on ``raw_inputs`` bit for bit.
        cycles: core cycles of the inference region, per sequence.
        instructions: instructions executed in the inference region, per sequence.
        function_cycles: cycles per function in the inference region, summed over sequences.
        peak_stack_bytes: deepest stack use over all sequences (whole run, start-up included).
        sizes: the build's flash/RAM figures with the peak stack filled in.
        cycle_model: name and version of the core cycle model (``cortex-m4 cm4-trm-2``).
        clock_hz: the board clock the cycles convert to time with.
        results: the simulator's full result of each sequence.
    """

    build: FirmwareBuild
    inputs: np.ndarray
    outputs: np.ndarray
    raw_inputs: np.ndarray
    raw_outputs: np.ndarray
    cycles: tuple[int, ...]
    instructions: tuple[int, ...]
    function_cycles: dict[str, int]
    peak_stack_bytes: int
    sizes: SizeReport
    cycle_model: str
    clock_hz: int
    results: tuple[SimResult, ...]

    @property
    def mean_cycles(self) -> float:
        """Mean inference-region cycles per sequence."""
        return float(np.mean(self.cycles))

    @property
    def latency_s(self) -> float:
        """Mean time of one sequence at the board clock, in seconds."""
        return self.mean_cycles / self.clock_hz


def simulate_sequence(build: FirmwareBuild, sequence: np.ndarray, *,
                      max_instructions: int = MAX_INSTRUCTIONS) -> SimResult:
    """Simulate one sequence on a firmware build and check the harness's status.

    Args:
        build: the firmware (either I/O section kind: the simulator writes the input into
            the NOLOAD ``.edgernn_io`` RAM directly, or into the loaded section's image).
        sequence: one sequence in the harness input's element type and size.
        max_instructions: instruction budget.

    Returns:
        The simulator's result; ``outputs`` holds the output buffer and the status.

    Raises:
        SimulationError: a fault, a run limit, an unexpected exit code.
        HostInputError: the model rejected the input (e.g. a token id out of range).
    """
    board = build.board
    sim = Simulator(
        build.elf, board.memory_map(), cycle_model=board.cycle_model,
        memory_timing=board.memory_timing(), max_instructions=max_instructions,
    )
    sim.write_symbol(build.input.name, np.ascontiguousarray(sequence, build.input.dtype).tobytes())
    result = sim.run(outputs=[build.output.name, build.status.name])
    if result.exit_code != 0:
        raise SimulationError(
            f"{build.model.name} firmware stopped with bkpt #{result.exit_code}, expected #0"
        )
    status = int(np.frombuffer(result.outputs[build.status.name], "<i4")[0])
    if status != 0:
        raise HostInputError(f"{build.model.name}_run returned status {status} on the device")
    return result


def run_on_device(
    graph: Graph,
    inputs: np.ndarray | None = None,
    *,
    board: str | Path | BoardProfile = DEFAULT_BOARD,
    variant: str | None = None,
    opt: str = DEFAULT_OPT,
    weights: Placement = "flash",
    sequences: int = 10,
    seed: int = 0,
    stack_bytes: int = DEFAULT_STACK_BYTES,
    build_dir: str | Path | None = None,
    max_instructions: int = MAX_INSTRUCTIONS,
    io_section: IoSection = "noload",
) -> DeviceRun:
    """Build ``graph`` for ``board`` and run every sequence in the simulator.

    The firmware is the board build: the I/O buffers are in the NOLOAD ``.edgernn_io`` section
    (neither copied nor zeroed by the start-up code), and the simulator writes each sequence
    straight into that RAM before reset, as a debugger would.

    Args:
        graph: the model IR.
        inputs: ``(sequences, steps, features)`` floats or ``(sequences, steps)`` token ids;
            ``sequences`` random ones from ``seed`` (:func:`random_inputs`) when None. The
            float features of a quantized graph are quantized for the harness
            (:func:`edgernn.quant.quantize_inputs`).
        board: board name, profile path or profile.
        variant: code generation variant; default the graph's own
            (:func:`edgernn.quant.graph_variant`).
        opt: optimisation level.
        weights: ``flash`` or ``sram``.
        sequences: number of random sequences when ``inputs`` is None.
        seed: seed of the random sequences.
        stack_bytes: stack reserved by the linker script.
        build_dir: build directory; a temporary one, deleted afterwards, when None.
        max_instructions: instruction budget per sequence.
        io_section: ``noload`` (default, the board build) or ``loaded`` (the I/O section gets a
            zero image at its RAM address, for tools that only write into sections with
            contents); the code is the same either way.

    Returns:
        Outputs, cycles, instructions, per-function cycles, peak stack and sizes.

    Raises:
        HostInputError: the inputs do not fit the model.
        BuildError: the firmware cannot be built (toolchain, compile error, does not fit).
        SimulationError: a simulated run faulted or ran out of budget.
    """
    xs_given = random_inputs(graph, sequences, seed) if inputs is None else np.asarray(inputs)
    variant = graph_variant(graph) if variant is None else variant
    io_dtype = ELEMENT_DTYPES[get_variant(variant).element_type]
    quantized = quantize_inputs(graph, xs_given) if is_quantized(graph) else xs_given
    xs = _as_model_inputs(graph, quantized, io_dtype)
    if len(xs) == 0:
        raise HostInputError(f"{graph.name}: no input sequences to run")
    with tempfile.TemporaryDirectory(prefix=f"edgernn-device-{graph.name}-") as tmp:
        build = build_firmware(
            graph, board, variant=variant, opt=opt, weights=weights,
            build_dir=build_dir if build_dir is not None else tmp, stack_bytes=stack_bytes,
            io_section=io_section,
        )
        results = tuple(
            simulate_sequence(build, x, max_instructions=max_instructions) for x in xs
        )
    raw = np.stack([np.frombuffer(r.outputs[build.output.name], build.output.dtype)
                    for r in results])
    steps, width = graph.sequence_length, graph.output_size
    shape = (len(xs), steps, width) if graph.sequential_output else (len(xs), width)
    raw = raw.reshape(shape).astype(np.dtype(build.output.dtype).newbyteorder("="))
    outputs = dequantize_outputs(graph, raw) if is_quantized(graph) else raw
    functions: Counter[str] = Counter()
    for result in results:
        functions.update(result.function_cycles)
    peak = max((r.peak_stack_bytes for r in results), default=0)
    first = results[0]
    return DeviceRun(
        build=build,
        inputs=xs_given,
        outputs=np.asarray(outputs, dtype=np.float32),
        raw_inputs=xs,
        raw_outputs=raw,
        cycles=tuple(r.region.cycles for r in results),
        instructions=tuple(r.region.instructions for r in results),
        function_cycles=dict(functions.most_common()),
        peak_stack_bytes=peak,
        sizes=build.sizes.with_peak_stack(peak),
        cycle_model=f"{first.cycle_model} {first.cycle_model_version}",
        clock_hz=build.board.clock_hz,
        results=results,
    )
