"""Build targets for generated code: the host, and Cortex-M boards (firmware + simulator).

* host: :func:`check_on_host` compiles a model with the system C compiler and compares it with
  the golden model.
* boards: :func:`get_board` reads board profiles (``targets/boards/*.yaml``).
* firmware: :func:`build_firmware` links a model into bare-metal firmware for a board and
  measures its flash and RAM (:class:`SizeReport`).
* device: :func:`run_on_device` runs that firmware in edgernn's Cortex-M4 simulator. It is
  imported on first use (it pulls in the simulator and unicorn).
"""

from typing import Any

from edgernn.targets.boards import (
    BoardError,
    BoardProfile,
    board_names,
    get_board,
    load_board_file,
    parse_board,
    register_board,
)
from edgernn.targets.firmware import (
    FIRMWARE_CFLAGS,
    FIRMWARE_LDFLAGS,
    OPT_LEVELS,
    BufferSymbol,
    FirmwareBuild,
    ToolchainError,
    build_firmware,
    find_arm_toolchain,
    weight_arrays,
)
from edgernn.targets.host import (
    FLOAT_TOLERANCE,
    HOST_CFLAGS,
    HostBuild,
    HostCheck,
    HostInputError,
    build_host,
    check_on_host,
    find_compiler,
    random_inputs,
    reference_steps,
)
from edgernn.targets.sizes import SizeBreakdown, SizeReport, measure_elf

_LAZY = {"DeviceRun", "run_on_device", "simulate_sequence"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from edgernn.targets import device

        return getattr(device, name)
    raise AttributeError(f"module 'edgernn.targets' has no attribute {name!r}")


__all__ = [
    "FIRMWARE_CFLAGS", "FIRMWARE_LDFLAGS", "FLOAT_TOLERANCE", "HOST_CFLAGS", "OPT_LEVELS",
    "BoardError", "BoardProfile", "BufferSymbol", "DeviceRun", "FirmwareBuild", "HostBuild",
    "HostCheck", "HostInputError", "SizeBreakdown", "SizeReport", "ToolchainError",
    "board_names", "build_firmware", "build_host", "check_on_host", "find_arm_toolchain",
    "find_compiler", "get_board", "load_board_file", "measure_elf", "parse_board",
    "random_inputs", "reference_steps", "register_board", "run_on_device",
    "simulate_sequence", "weight_arrays",
]
