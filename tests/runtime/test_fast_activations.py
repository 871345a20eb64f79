"""Accuracy of the float32 activations built on the runtime's fast exp, on a dense grid.

The kernels replace libm's expf/tanhf with ``edgernn_exp2_inline_f32`` (edgernn_functions.h):
degree-6 polynomial after range reduction. These bounds are the ones docs/codegen.md and the
kernel comments state; each is the measured maximum rounded up a little:

==========  ===========================  =========
function    error against float64        measured
==========  ===========================  =========
exp         relative, x in [-87, 88]     8.0e-8
sigmoid     absolute, x in [-100, 100]   8.9e-8
tanh        absolute, x in [-100, 100]   1.8e-7
softmax     absolute                     < 2e-7
==========  ===========================  =========
"""

from __future__ import annotations

import ctypes
import subprocess

import numpy as np
import pytest

from edgernn.runtime import runtime_dir
from edgernn.targets import HOST_CFLAGS, find_compiler

F32P = ctypes.POINTER(ctypes.c_float)

EXP_REL_BOUND = 1.0e-7
SIGMOID_ABS_BOUND = 1.0e-7
TANH_ABS_BOUND = 2.0e-7
SOFTMAX_ABS_BOUND = 2.0e-7

# A test-only translation unit: the inline exp is not a public kernel, so expose it here.
EXP_SHIM = """
#include "edgernn_functions.h"
void test_exp_f32(float *data, int32_t size);
void test_exp_f32(float *data, int32_t size)
{
    int32_t i;
    for (i = 0; i + 1 < size; i += 2) {
        edgernn_exp2_inline_f32(&data[i], &data[i + 1]);
    }
}
"""


def _grid() -> np.ndarray:
    """Dense uniform grid plus log-spaced small magnitudes of both signs (float32)."""
    small = np.logspace(-12, 0, 20_001)
    return np.concatenate([np.linspace(-20, 20, 2_000_001), np.linspace(-100, 100, 200_001),
                           small, -small]).astype(np.float32)


@pytest.fixture(scope="module")
def exp_shim(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("exp_shim")
    (out / "shim.c").write_text(EXP_SHIM, encoding="utf-8")
    lib = out / "libshim.so"
    proc = subprocess.run([find_compiler(), *HOST_CFLAGS, "-Wconversion", "-fPIC", "-shared", "-I",
                           str(runtime_dir()), str(out / "shim.c"), "-o", str(lib)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and not proc.stderr.strip(), proc.stderr
    shim = ctypes.CDLL(str(lib))
    shim.test_exp_f32.argtypes = [F32P, ctypes.c_int32]
    shim.test_exp_f32.restype = None
    return shim


def _apply(fn, x: np.ndarray) -> np.ndarray:
    data = np.ascontiguousarray(x, dtype=np.float32).copy()
    fn(data.ctypes.data_as(F32P), data.size)
    return data


def test_exp_relative_error(exp_shim) -> None:
    x = np.linspace(-87, 88, 2_000_002).astype(np.float32)
    got = _apply(exp_shim.test_exp_f32, x).astype(np.float64)
    worst = float(np.max(np.abs(got / np.exp(x.astype(np.float64)) - 1)))
    assert worst <= EXP_REL_BOUND, worst


def test_exp_saturates(exp_shim) -> None:
    """Below the float range exactly 0, above it +inf; never NaN for finite input."""
    x = np.array([-1e30, -1e10, -3e6, -1e4, -104, -100, 89, 100, 1e4, 3e6, 1e10, 1e30],
                 np.float32)
    got = _apply(exp_shim.test_exp_f32, x)
    assert np.all(got[:6] == 0.0) and np.all(got[6:] == np.inf)


def test_sigmoid_error(runtime) -> None:
    x = _grid()
    got = _apply(runtime.edgernn_sigmoid_f32, x).astype(np.float64)
    worst = float(np.max(np.abs(got - 1.0 / (1.0 + np.exp(-x.astype(np.float64))))))
    assert worst <= SIGMOID_ABS_BOUND, worst


def test_tanh_error(runtime) -> None:
    x = _grid()
    got = _apply(runtime.edgernn_tanh_f32, x).astype(np.float64)
    worst = float(np.max(np.abs(got - np.tanh(x.astype(np.float64)))))
    assert worst <= TANH_ABS_BOUND, worst


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_saturation_is_exact(runtime, name: str) -> None:
    x = np.array([-1e30, -1e4, -100.0, 100.0, 1e4, 1e30], np.float32)
    got = _apply(getattr(runtime, f"edgernn_{name}_f32"), x)
    low = 0.0 if name == "sigmoid" else -1.0
    assert list(got) == [low, low, low, 1.0, 1.0, 1.0]


def test_odd_sizes_match_even_ones(runtime) -> None:
    """The single leftover element goes through the same arithmetic as the pairs."""
    x = np.linspace(-5, 5, 9).astype(np.float32)
    for name in ("sigmoid", "tanh"):
        fn = getattr(runtime, f"edgernn_{name}_f32")
        assert np.array_equal(_apply(fn, x), _apply(fn, np.append(x, np.float32(0.0)))[:-1])


@pytest.mark.parametrize("size", [1, 2, 7, 65, 256])
def test_softmax_error(runtime, size: int) -> None:
    rng = np.random.default_rng(size)
    for scale in (0.1, 3.0, 30.0):
        x = (rng.standard_normal(size) * scale).astype(np.float32)
        got = _apply(runtime.edgernn_softmax_f32, x).astype(np.float64)
        e = np.exp(x.astype(np.float64) - x.max())
        worst = float(np.max(np.abs(got - e / e.sum())))
        assert worst <= SOFTMAX_ABS_BOUND, (scale, worst)
