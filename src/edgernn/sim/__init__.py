"""Instruction-level Cortex-M simulation with a documented cycle model (docs/cycle-model.md).

Typical use (a board profile supplies the memory map, timing and model name)::

    from edgernn.sim import MemoryMap, MemoryTiming, simulate

    result = simulate("model.elf", MemoryMap(flash_base=0x0800_0000, flash_size=2 << 20,
                                             sram_base=0x2000_0000, sram_size=640 << 10),
                      memory_timing=MemoryTiming(flash_wait_states=5, prefetch=True),
                      inputs={"input_buffer": x.tobytes()}, outputs=["output_buffer"])
    result.region.cycles, result.function_cycles, result.peak_stack_bytes
"""

from edgernn.sim.cycles import (
    CYCLE_MODEL_VERSION,
    BlockTiming,
    CortexM4Model,
    CycleModel,
    InsnTiming,
    cycle_model_names,
    divide_cycles,
    get_cycle_model,
    register_cycle_model,
)
from edgernn.sim.elf import ElfImage, Symbol
from edgernn.sim.faults import (
    CpuException,
    FaultHandlerEntered,
    FirmwareFault,
    MemoryFault,
    RunLimitExceeded,
    StackOverflow,
)
from edgernn.sim.flash import FlashModel, FlashStats
from edgernn.sim.memory import CacheConfig, MemoryMap, MemoryRegion, MemoryTiming
from edgernn.sim.simulator import (
    BSS_BOUND_SYMBOLS,
    FAULT_HANDLER_SYMBOLS,
    REGION_END_MARKER,
    REGION_START_MARKER,
    STACK_LIMIT_SYMBOLS,
    RegionStats,
    SimResult,
    Simulator,
    simulate,
)

__all__ = [
    "BSS_BOUND_SYMBOLS",
    "CYCLE_MODEL_VERSION",
    "FAULT_HANDLER_SYMBOLS",
    "REGION_END_MARKER",
    "REGION_START_MARKER",
    "STACK_LIMIT_SYMBOLS",
    "BlockTiming",
    "CacheConfig",
    "CortexM4Model",
    "CpuException",
    "CycleModel",
    "ElfImage",
    "FaultHandlerEntered",
    "FirmwareFault",
    "FlashModel",
    "FlashStats",
    "InsnTiming",
    "MemoryFault",
    "MemoryMap",
    "MemoryRegion",
    "MemoryTiming",
    "RegionStats",
    "RunLimitExceeded",
    "SimResult",
    "Simulator",
    "StackOverflow",
    "Symbol",
    "cycle_model_names",
    "divide_cycles",
    "get_cycle_model",
    "register_cycle_model",
    "simulate",
]
