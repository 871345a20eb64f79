"""Build tiny test firmware for the simulator tests with the real GNU Arm toolchain.

Everything is built in a per-test temporary directory, so tests can run in parallel. A missing
toolchain is a test *failure* with instructions, never a skip: the project's setup installs it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from edgernn.sim import MemoryMap

FW_DIR = Path(__file__).parent / "fw"
LINKER_SCRIPT = FW_DIR / "sim_test.ld"
STARTUP = FW_DIR / "startup.S"
CPU_FLAGS = ["-mcpu=cortex-m4", "-mthumb", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard"]

#: The memory of the test linker script.
TEST_MEMORY = MemoryMap(
    flash_base=0x0800_0000, flash_size=256 * 1024, sram_base=0x2000_0000, sram_size=64 * 1024
)


def gcc() -> str:
    """Path of arm-none-eabi-gcc, failing the test when it is missing."""
    path = shutil.which("arm-none-eabi-gcc")
    if path is None:
        pytest.fail(
            "arm-none-eabi-gcc not found on PATH: the simulator tests need the GNU Arm "
            "toolchain (Debian/Ubuntu: apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi)"
        )
    return path


def build_elf(workdir: Path, sources: dict[str, str], *, opt: str = "-O2",
              startup: bool = True, memory: MemoryMap = TEST_MEMORY) -> Path:
    """Compile and link sources (file name -> text) with the test startup and linker script.

    ``memory`` resizes the linker script's FLASH and RAM (bases stay 0x08000000/0x20000000).
    """
    script = LINKER_SCRIPT.read_text()
    script = script.replace("LENGTH = 256K", f"LENGTH = {memory.flash_size // 1024}K")
    script = script.replace("LENGTH = 64K", f"LENGTH = {memory.sram_size // 1024}K")
    linker_script = workdir / "link.ld"
    linker_script.write_text(script)
    paths = []
    for name, text in sources.items():
        path = workdir / name
        path.write_text(text)
        paths.append(str(path))
    if startup:
        paths.insert(0, str(STARTUP))
    elf = workdir / "fw.elf"
    cmd = [gcc(), *CPU_FLAGS, opt, "-g", "-ffreestanding", "-nostdlib", "-nostartfiles",
           "-T", str(linker_script), *paths, "-o", str(elf)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        pytest.fail(f"test firmware failed to build:\n{' '.join(cmd)}\n{proc.stderr}")
    return elf


_SNIPPET = """\
    .syntax unified
    .cpu cortex-m4
    .fpu fpv4-sp-d16
    .thumb

    .data
    .balign 8
    .global buf0
    .type buf0, %object
buf0:                         /* buf0[0] holds the address of buf0 (for pointer chasing) */
    .word buf0, 11, 22, 33, 44, 55, 66, 77, 88, 99, 110, 121, target_word, 0, 0, 0
    .size buf0, 64
    .bss
    .balign 8
    .global buf1
    .type buf1, %object
buf1:
    .space 64
    .size buf1, 64

    .section .rodata
    .balign 8
floats:
    .float 1.5, 2.0, -3.0, 4.25, 0.5, 8.0, 9.0, 10.0

    .text
    .global main
    .type main, %function
    .thumb_func
main:
    push {{r4-r11, lr}}
    vpush {{s16-s19}}
    ldr r0, =floats
    vldmia r0, {{s0-s7}}
    ldr r0, =buf0
    ldr r1, =buf1
    movs r2, #2
    movs r3, #3
    movs r4, #4
    movs r5, #5
    movs r6, #6
    movs r7, #7
{setup}
    .balign 4
    bkpt #1
{body}
    bkpt #2
    vpop {{s16-s19}}
    pop {{r4-r11, pc}}
    .ltorg
    .size main, .-main
{extra}
"""


def snippet_elf(workdir: Path, body: str, *, setup: str = "", extra: str = "") -> Path:
    """Firmware whose ``bkpt #1`` .. ``bkpt #2`` region is the assembly ``body``.

    On entry to the region: r0 = buf0 (SRAM, initialised words, buf0[0] = &buf0,
    buf0[12] = address of ``target_word`` if ``extra`` defines it), r1 = buf1 (SRAM, zeroed),
    r2..r7 = 2..7, s0..s7 = 1.5, 2.0, -3.0, 4.25, 0.5, 8.0, 9.0, 10.0.
    """
    if "target_word" not in extra:
        extra += "\n    .text\n    .type target_word, %function\n    .thumb_func\n" \
                 "target_word:\n    bx lr\n    .size target_word, .-target_word\n"
    text = _SNIPPET.format(setup=setup, body=body, extra=extra)
    return build_elf(workdir, {"snippet.S": text})


_MATVEC_C = """\
/* Synthetic recurrent-layer workload: y = W x with W (N x N floats) const in flash, repeated
   STEPS times with x <- 0.5 y, as a recurrent cell reuses its weights every time step. */
#define N {n}
#define STEPS {steps}
extern const float W[N * N];
float x[N] = {{1.0f}};
float y[N];

__attribute__((noinline)) void matvec(const float *w, const float *xv, float *yv, int n)
{{
    for (int i = 0; i < n; i++) {{
        float acc = 0.0f;
        const float *row = w + i * n;
        for (int j = 0; j < n; j++) acc += row[j] * xv[j];
        yv[i] = acc;
    }}
}}

int main(void)
{{
    __asm volatile("bkpt #1");
    for (int t = 0; t < STEPS; t++) {{
        matvec(W, x, y, N);
        for (int i = 0; i < N; i++) x[i] = 0.5f * y[i];
    }}
    __asm volatile("bkpt #2");
    return 0;
}}
"""

_WEIGHTS_S = """\
    .section .rodata
    .balign 8
    .global W
    .type W, %object
W:
    .incbin "{path}"
    .size W, . - W
"""


def matvec_elf(workdir: Path, n: int, steps: int, weights: bytes,
               memory: MemoryMap = TEST_MEMORY) -> Path:
    """The flash-weights matrix-vector firmware (n * n float32 weights given as bytes)."""
    assert len(weights) == 4 * n * n
    bin_path = workdir / "weights.bin"
    bin_path.write_bytes(weights)
    return build_elf(workdir, {
        "matvec.c": _MATVEC_C.format(n=n, steps=steps),
        "weights.S": _WEIGHTS_S.format(path=bin_path),
    }, memory=memory)


#: STM32L4+ flash at 120 MHz (RM0432: 5 wait states; ART: prefetch, 32 x 32-byte instruction
#: lines, 8 x 32-byte data lines, 64-bit flash reads). See docs/cycle-model.md.
L4PLUS_120MHZ = {
    "flash_wait_states": 5,
    "flash_word_bytes": 8,
    "prefetch": True,
    "icache": {"lines": 32, "line_bytes": 32},
    "dcache": {"lines": 8, "line_bytes": 32},
}
