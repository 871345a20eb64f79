"""Run any bare-metal Cortex-M ELF on a board profile's simulated memory (``edgernn sim``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from edgernn.errors import SimulationError
from edgernn.targets.boards import BoardProfile, get_board


def simulate_elf(
    elf: str | Path,
    board: str | Path | BoardProfile = "nucleo-l4r5zi",
    *,
    writes: Mapping[str, bytes] | None = None,
    reads: Iterable[str] = (),
    max_instructions: int = 2_000_000_000,
    timeout_s: float = 600.0,
):
    """Simulate ``elf`` from its reset vector on ``board``'s memory map, timing and cycle model.

    Args:
        elf: Path of a bare-metal Cortex-M ELF (vector table at the start of flash).
        board: Board name, profile file, or profile.
        writes: Symbol name -> bytes written before the run.
        reads: Symbols whose bytes are read back after the run.
        max_instructions: Instruction budget; a firmware exceeding it ends with an error.
        timeout_s: Wall-clock budget of the run.

    Returns:
        The :class:`edgernn.sim.SimResult` of the run.
    """
    from edgernn.sim import simulate

    path = Path(elf)
    if not path.is_file():
        raise SimulationError(f"{path}: no such firmware file")
    profile = get_board(board)
    return simulate(
        path,
        profile.memory_map(),
        inputs=dict(writes or {}),
        outputs=list(reads),
        cycle_model=profile.cycle_model,
        memory_timing=profile.memory_timing(),
        max_instructions=max_instructions,
        timeout_s=timeout_s,
    )
