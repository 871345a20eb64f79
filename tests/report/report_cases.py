"""A fixed, synthetic record set for the report tests: the seven EdgeMark models × float32, int8."""

from __future__ import annotations

from edgernn.results import BenchRecord, Environment

TARGET = "nucleo-l4r5zi"
CLOCK_HZ = 120_000_000
RUN_CURRENT_MA = 12.5
SUPPLY_V = 3.3

# model: (parameters, matrix MACs, EdgeMark MACs, task metric, float value, int8 value, weights kB)
MODELS: dict[str, tuple[int, int, int, str, float, float]] = {
    "simple0": (5, 8, 9, "test_mse", 0.0841, 0.0843),
    "simple1": (8288, 819200, 827200, "test_mse", 0.0836, 0.0839),
    "simple2": (32960, 3276800, 3292800, "test_mse", 0.0840, 0.0842),
    "shakespeare1": (12513, 1040000, 1056300, "test_accuracy", 0.512, 0.505),
    "shakespeare2": (37249, 3289600, 3321900, "test_accuracy", 0.556, 0.549),
    "lstm": (26912, 2662400, 2702400, "test_mse", 0.0833, 0.0835),
    "gru": (20896, 2048000, 2094400, "test_mse", 0.0834, 0.0838),
}
# variant: (cycles per matrix MAC, bytes per parameter, EdgeMark error)
VARIANTS: dict[str, tuple[float, int, float]] = {
    "float32": (3.5, 4, 2.5e-7),
    "int8": (2.25, 1, 0.0042),
}

ENV = dict(
    edgernn_version="0.1.0",
    git_commit="0123456789abcdef0123456789abcdef01234567",
    compiler="arm-none-eabi-gcc 13.2.1",
    compiler_flags="-O2 -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard",
    cycle_model="cortex-m4f 1",
    host="ci (Linux x86_64, Python 3.11.7)",
)

FUNCTIONS = ["edgernn_matvec", "edgernn_step", "edgernn_tanh", "edgernn_sigmoid",
             "edgernn_dense", "edgernn_add", "edgernn_mul", "edgernn_copy", "edgernn_quant",
             "edgernn_dequant", "main", "Reset_Handler"]


def make_records() -> list[BenchRecord]:
    """Fourteen complete records with fixed timestamps, in a scrambled order."""
    records = []
    minute = 0
    for variant, (cpm, width, error) in VARIANTS.items():
        for model, (params, macs, em_macs, metric, float_value, int8_value) in MODELS.items():
            cycles = round(macs * cpm) + 4000
            weights = params * width
            flash = {"weights": weights, "kernels": 3000 + 100 * width, "model": 1200,
                     "harness": 2400, "library": 5100}
            ram = {"data": 120, "bss": 600 + 64 * width * 4, "stack": 900}
            count = 12 if model == "lstm" else 4
            shares = [cycles // (2 ** (i + 1)) for i in range(count)]
            shares[-1] += cycles - sum(shares)
            records.append(BenchRecord(
                model=model, variant=variant, target=TARGET,
                options={"opt": "O2", "weights": "flash"},
                parameters=params, macs=macs, edgemark_macs=em_macs,
                error=error, max_abs_error=error * 3,
                task_metric=metric,
                task_value=float_value if variant == "float32" else int8_value,
                float_task_value=float_value,
                cycles=cycles, clock_hz=CLOCK_HZ, instructions=round(cycles * 0.8),
                flash_breakdown=flash, ram_breakdown=ram,
                run_current_ma=RUN_CURRENT_MA, supply_v=SUPPLY_V,
                function_cycles=dict(zip(FUNCTIONS[:count], shares, strict=True)),
                env=Environment(**ENV, timestamp=f"2026-01-15T10:{minute:02d}:00Z"),
                content_key=f"{model}-{variant}-key",
            ))
            minute += 1
    return records[::-1]
