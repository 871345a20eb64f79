"""Integer runtime kernels against the NumPy specification, bit for bit, on the host via ctypes.

The fixed-point helpers (static inline in edgernn_fixed_point.h) are reached through a small
shim compiled with the kernels. The Arm DSP paths are compiled for a Cortex-M4 with -Werror;
their bit-exactness is by construction (exact integer sums; see edgernn_matvec_s8.c) until the
simulator runs them.
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from conftest import STRICT_CFLAGS

from edgernn.quant.fixed_point import requantize, rshift_round
from edgernn.quant.layout import BLOCK_ROWS, to_dsp_layout, to_pair_layout
from edgernn.quant.lut import exp_q15, sigmoid_q15, tanh_q15
from edgernn.runtime import runtime_dir, source_files, sources_for
from edgernn.targets import find_compiler

# Declarative plan: (rows, cols) of the matrix-vector cases (odd sizes, tails, leftover rows).
MATVEC_SHAPES = [(1, 1), (3, 5), (4, 4), (5, 7), (7, 3), (9, 33), (64, 32), (65, 128),
                 (6, 1030)]
INTEGER_KERNELS = [p.stem for p in source_files()
                   if p.stem.rsplit("_", 1)[1] in {"s8", "s16", "s32", "w8f32"}]
ARM_FLAGS = ("-mcpu=cortex-m4", "-mthumb", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard", "-O2",
             "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-Wconversion", "-Wshadow",
             "-Wdouble-promotion", "-c")

SHIM = r"""
#include "edgernn_fixed_point.h"
#include "edgernn_functions_int.h"
void t_requantize(const int32_t *acc, const int32_t *m, const int32_t *s, int32_t *out, int32_t n);
void t_rshift(const int32_t *x, int32_t shift, int32_t *out, int32_t n);
void t_lut_packed(int32_t tanh, const int16_t *x, int16_t *out, int32_t n);
void t_requantize(const int32_t *acc, const int32_t *m, const int32_t *s, int32_t *out, int32_t n)
{
    int32_t i;
    for (i = 0; i < n; ++i) {
        out[i] = edgernn_requantize(acc[i], m[i], s[i]);
    }
}
void t_rshift(const int32_t *x, int32_t shift, int32_t *out, int32_t n)
{
    int32_t i;
    for (i = 0; i < n; ++i) {
        out[i] = edgernn_rshift_round(x[i], shift);
    }
}
void t_lut_packed(int32_t tanh, const int16_t *x, int16_t *out, int32_t n)
{
    const uint32_t *table = tanh ? edgernn_tanh_packed_s8 : edgernn_sigmoid_packed_s8;
    int32_t i;
    for (i = 0; i < n; ++i) {
        out[i] = (int16_t)edgernn_lut_q15_packed(table, x[i]);
    }
}
"""


def _p(array: np.ndarray | None) -> ctypes.c_void_p:
    if array is None:
        return ctypes.c_void_p()
    assert array.flags.c_contiguous
    return ctypes.c_void_p(array.ctypes.data)


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> ctypes.CDLL:
    """The integer kernels (and what they call) plus the shim, built with the strict flags."""
    out = tmp_path_factory.mktemp("intlib")
    shim = out / "shim.c"
    shim.write_text(SHIM)
    sources = [str(p) for p in sources_for(INTEGER_KERNELS)]
    proc = subprocess.run(
        [find_compiler(), *STRICT_CFLAGS, "-fPIC", "-shared", "-I", str(runtime_dir()),
         str(shim), *sources, "-o", str(out / "libint.so"), "-lm"],
        capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and not proc.stderr.strip(), proc.stderr
    library = ctypes.CDLL(str(out / "libint.so"))
    library.edgernn_exp_s32.restype = ctypes.c_int32
    library.edgernn_exp_s32.argtypes = [ctypes.c_int32]
    return library


def test_requantize_matches_numpy_including_edges(lib) -> None:
    rng = np.random.default_rng(0)
    n = 20000
    acc = np.concatenate([rng.integers(-2**31, 2**31, n // 2), rng.integers(-300, 300, n // 2)])
    acc[:4] = [2**31 - 1, -2**31, 0, -1]
    m = rng.integers(2**30, 2**31, n)
    s = rng.integers(-30, 32, n)
    acc, m, s = (np.ascontiguousarray(a, dtype=np.int32) for a in (acc, m, s))
    out = np.zeros(n, np.int32)
    lib.t_requantize(_p(acc), _p(m), _p(s), _p(out), ctypes.c_int32(n))
    assert np.array_equal(out, requantize(acc, m, s))


@pytest.mark.parametrize("shift", [0, 1, 7, 15, 30])
def test_rshift_round_matches_numpy(lib, shift: int) -> None:
    x = np.ascontiguousarray(np.random.default_rng(shift).integers(-2**31, 2**31, 5000),
                             dtype=np.int32)
    x[:3] = [-1, 1, -(1 << max(shift - 1, 0))]
    out = np.zeros_like(x)
    lib.t_rshift(_p(x), ctypes.c_int32(shift), _p(out), ctypes.c_int32(x.size))
    assert np.array_equal(out, rshift_round(x, shift))


@pytest.mark.parametrize("name, reference", [("sigmoid", sigmoid_q15), ("tanh", tanh_q15)])
def test_lut_activation_on_every_input(lib, name: str, reference) -> None:
    x = np.arange(-32768, 32768, dtype=np.int16)
    out = np.zeros_like(x)
    getattr(lib, f"edgernn_{name}_s16")(_p(x), _p(out), ctypes.c_int32(x.size))
    assert np.array_equal(out.astype(np.int64), reference(x))
    inplace = x.copy()
    getattr(lib, f"edgernn_{name}_s16")(_p(inplace), _p(inplace), ctypes.c_int32(x.size))
    assert np.array_equal(inplace, out)


def test_runtime_tables_are_the_generated_ones() -> None:
    """The const tables pasted into the C sources are exactly edgernn.quant.lut's."""
    from edgernn.quant.lut import c_packed_table, c_table
    for name, fname in (("sigmoid", "edgernn_sigmoid_table_s16.c"),
                        ("tanh", "edgernn_tanh_table_s16.c"),
                        ("exp", "edgernn_exp_table_s32.c")):
        assert c_table(name) in (runtime_dir() / fname).read_text(), fname
    for name in ("sigmoid", "tanh"):
        fname = f"edgernn_{name}_packed_s8.c"
        assert c_packed_table(name) in (runtime_dir() / fname).read_text(), fname


@pytest.mark.parametrize("name, reference", [("sigmoid", sigmoid_q15), ("tanh", tanh_q15)])
def test_packed_lut_on_every_input(lib, name: str, reference) -> None:
    """edgernn_lut_q15_packed (the formula of the Arm cell loops) equals the table look-up."""
    x = np.arange(-32768, 32768, dtype=np.int16)
    out = np.zeros_like(x)
    lib.t_lut_packed(ctypes.c_int32(name == "tanh"), _p(x), _p(out), ctypes.c_int32(x.size))
    assert np.array_equal(out.astype(np.int64), reference(x))


def test_exp_on_every_relevant_input(lib) -> None:
    d = np.arange(-33000, 1, dtype=np.int64)
    got = np.array([lib.edgernn_exp_s32(int(v)) for v in d[::7]])
    assert np.array_equal(got, exp_q15(d[::7]))


@pytest.mark.parametrize("dtype", ["int8", "int16"])
@pytest.mark.parametrize("size", [1, 3, 65])
def test_softmax_matches_specification(lib, dtype: str, size: int) -> None:
    rng = np.random.default_rng(size)
    logits = np.ascontiguousarray(rng.integers(-40000, 40000, size), dtype=np.int32)
    if size > 2:
        logits[:2] = [2**31 - 1, -2**31]  # extreme differences must not overflow
    out = np.zeros(size, dtype)
    scratch = logits.copy()  # the kernel overwrites the logits with the exps
    getattr(lib, f"edgernn_softmax_{'s8' if dtype == 'int8' else 's16'}")(
        _p(scratch), ctypes.c_int32(size), _p(out))
    e = exp_q15(logits.astype(np.int64) - logits.max())
    total = e.sum()
    if dtype == "int8":
        expected = np.minimum((e * 256 + total // 2) // total - 128, 127)
    else:
        expected = np.minimum((e * 32768 + total // 2) // total, 32767)
    assert np.array_equal(out.astype(np.int64), expected)
    assert abs(((out.astype(np.float64) + (128 if dtype == "int8" else 0))
                / (256 if dtype == "int8" else 32768)).sum() - 1.0) < 0.02 * size ** 0.5


@pytest.mark.parametrize("with_bias", [True, False])
@pytest.mark.parametrize("rows, cols", MATVEC_SHAPES)
def test_matvec_s8_and_s16_in_the_dsp_layout(lib, rows: int, cols: int, with_bias: bool) -> None:
    rng = np.random.default_rng(rows * 100 + cols)
    w = rng.integers(-127, 128, size=(rows, cols)).astype(np.int8)
    bias = rng.integers(-2**20, 2**20, rows).astype(np.int32) if with_bias else None
    for kernel, variant, lo, hi in (("s8", "int8", -128, 128), ("s16", "int16x8", -32768, 32768)):
        x = np.ascontiguousarray(rng.integers(lo, hi, cols), dtype=np.int16)
        flat = to_pair_layout(w) if kernel == "s8" else to_dsp_layout(w, BLOCK_ROWS[variant])
        out = np.zeros(rows, np.int32)
        expected = w.astype(np.int64) @ x.astype(np.int64) + (0 if bias is None else bias)
        if kernel == "s8":
            lib.edgernn_matvec_s8(_p(flat), _p(x), _p(bias), ctypes.c_int32(rows),
                                  ctypes.c_int32(cols), _p(out))
            assert np.array_equal(out, expected)
        else:
            for acc_shift in (0, 3):
                lib.edgernn_matvec_s16(_p(flat), _p(x), _p(bias), ctypes.c_int32(rows),
                                       ctypes.c_int32(cols), ctypes.c_int32(acc_shift), _p(out))
                assert np.array_equal(out, rshift_round(expected, acc_shift))


@pytest.mark.parametrize("with_bias", [True, False])
@pytest.mark.parametrize("rows, cols", MATVEC_SHAPES)
def test_matmul2_s8_equals_two_matvecs(lib, rows: int, cols: int, with_bias: bool) -> None:
    """Two time steps through edgernn_widen2_s8 + edgernn_matmul2_s8 give W x0 + b, W x1 + b."""
    rng = np.random.default_rng(rows * 1000 + cols)
    w = rng.integers(-127, 128, size=(rows, cols)).astype(np.int8)
    bias = rng.integers(-2**20, 2**20, rows).astype(np.int32) if with_bias else None
    xs = np.ascontiguousarray(rng.integers(-128, 128, (2, cols)), dtype=np.int8)
    flat = to_pair_layout(w)
    vec2 = np.full(4 * ((cols + 1) // 2), 12345, np.int16)  # the padding must be written
    lib.edgernn_widen2_s8(_p(xs[0]), _p(xs[1]), ctypes.c_int32(cols), _p(vec2))
    pairs = vec2.reshape(-1, 2, 2)
    padded = np.zeros((2, 2 * pairs.shape[0]), np.int64)
    padded[:, :cols] = xs
    assert np.array_equal(pairs[:, 0].ravel(), padded[0])
    assert np.array_equal(pairs[:, 1].ravel(), padded[1])
    out0, out1 = np.zeros(rows, np.int32), np.zeros(rows, np.int32)
    lib.edgernn_matmul2_s8(_p(flat), _p(vec2), _p(bias), ctypes.c_int32(rows),
                           ctypes.c_int32(cols), _p(out0), _p(out1))
    expected = xs.astype(np.int64) @ w.astype(np.int64).T + (0 if bias is None else bias)
    assert np.array_equal(out0, expected[0])
    assert np.array_equal(out1, expected[1])


@pytest.fixture(scope="module")
def arm_gcc() -> str:
    path = shutil.which("arm-none-eabi-gcc")
    if path is None:
        pytest.skip("arm-none-eabi-gcc is not installed (scripts install the Arm toolchain)")
    return path


@pytest.mark.parametrize("path", ["dsp", "portable"])
def test_integer_kernels_compile_for_cortex_m4(arm_gcc: str, tmp_path: Path, path: str) -> None:
    """Every integer kernel builds for a Cortex-M4F with -Werror, with and without the DSP path."""
    extra = ["-DEDGERNN_NO_DSP"] if path == "portable" else []
    sources = [str(p) for p in sources_for(INTEGER_KERNELS)]
    proc = subprocess.run([arm_gcc, *ARM_FLAGS, *extra, *sources], cwd=tmp_path,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and not proc.stderr.strip(), proc.stderr
    objdump = shutil.which("arm-none-eabi-objdump")
    if objdump is None:
        return
    for kernel, mac in (("edgernn_matvec_s8", "smlad"), ("edgernn_matvec_s16", "smlald")):
        text = subprocess.run([objdump, "-d", str(tmp_path / f"{kernel}.o")],
                              capture_output=True, text=True, check=True).stdout
        uses_dsp = f"\t{mac}\t" in text and "sxtb16" in text
        assert uses_dsp == (path == "dsp"), kernel
        if path == "dsp" and kernel == "edgernn_matvec_s16":
            assert "ror #8" in text  # the rotation is folded into SXTB16
