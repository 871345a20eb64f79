"""Ways a simulated firmware run can fail. All are :class:`edgernn.errors.SimulationError`."""

from __future__ import annotations

from edgernn.errors import SimulationError


class FirmwareFault(SimulationError):
    """The firmware did something the device would fault on, or hit a run limit.

    Attributes:
        pc: Program counter of the offending instruction (or of the block start for limits).
        where: ``pc`` with the enclosing function symbol, e.g. ``0x08000124 (matvec+0x10)``.
    """

    def __init__(self, message: str, pc: int, where: str) -> None:
        super().__init__(message)
        self.pc = pc
        self.where = where


class MemoryFault(FirmwareFault):
    """Read, write or instruction fetch of unmapped memory, or a write to flash.

    Attributes:
        address: The faulting data or fetch address.
        access: ``"read"``, ``"write"``, ``"fetch"`` or ``"write to read-only"``.
    """

    def __init__(self, message: str, pc: int, where: str, address: int, access: str) -> None:
        super().__init__(message, pc, where)
        self.address = address
        self.access = access


class FaultHandlerEntered(FirmwareFault):
    """Control reached a fault handler symbol (HardFault_Handler, Default_Handler, ...)."""


class StackOverflow(FirmwareFault):
    """The stack grew below the stack-limit symbol."""


class CpuException(FirmwareFault):
    """The core raised an exception the simulator does not service (UDF, SVC, FPU disabled)."""


class RunLimitExceeded(FirmwareFault):
    """The instruction, cycle or wall-clock limit ran out: the firmware did not terminate."""
