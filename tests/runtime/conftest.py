"""Fixtures of the C runtime tests: the runtime compiled into a shared library, via ctypes.

The struct mirrors below follow ``src/edgernn/runtime/edgernn_types.h``; a mismatch shows up as
wrong numbers in the cell tests, not as a silent pass.
"""

from __future__ import annotations

import ctypes
import subprocess
from pathlib import Path

import numpy as np
import pytest

from edgernn.runtime import source_files
from edgernn.targets import HOST_CFLAGS, find_compiler

# Stricter than the model build: the runtime must also stay clean for Cortex-M builds, where
# conversions and double promotion cost cycles.
STRICT_CFLAGS = (*HOST_CFLAGS, "-Wconversion", "-Wshadow", "-Wmissing-prototypes",
                 "-Wstrict-prototypes", "-Wcast-qual")

F32P = ctypes.POINTER(ctypes.c_float)


class EmbeddingParams(ctypes.Structure):
    _fields_ = [("vocabulary", ctypes.c_int32), ("dim", ctypes.c_int32), ("table", F32P)]


class DenseParams(ctypes.Structure):
    _fields_ = [("input_size", ctypes.c_int32), ("units", ctypes.c_int32),
                ("activation", ctypes.c_int), ("w", F32P), ("b", F32P)]


class RnnParams(ctypes.Structure):
    _fields_ = [("input_size", ctypes.c_int32), ("units", ctypes.c_int32),
                ("w_x", F32P), ("w_h", F32P), ("b", F32P)]


class LstmParams(RnnParams):
    pass


class GruParams(ctypes.Structure):
    _fields_ = [("input_size", ctypes.c_int32), ("units", ctypes.c_int32),
                ("reset_after", ctypes.c_int32), ("w_x", F32P), ("w_h", F32P),
                ("b_x", F32P), ("b_h", F32P)]


class HState(ctypes.Structure):
    _fields_ = [("h", F32P)]


class HCState(ctypes.Structure):
    _fields_ = [("h", F32P), ("c", F32P)]


def ptr(array: np.ndarray | None):
    """ctypes float pointer into a contiguous float32 array (NULL for None)."""
    if array is None:
        return F32P()
    assert array.dtype == np.float32 and array.flags.c_contiguous
    return array.ctypes.data_as(F32P)


def f32(array) -> np.ndarray:
    """A contiguous float32 copy."""
    return np.ascontiguousarray(array, dtype=np.float32).copy()


class Runtime:
    """The compiled runtime, with argument types declared and the struct mirrors attached."""

    EmbeddingParams = EmbeddingParams
    DenseParams = DenseParams
    RnnParams = RnnParams
    LstmParams = LstmParams
    GruParams = GruParams
    HState = HState
    HCState = HCState
    ptr = staticmethod(ptr)

    def __init__(self, lib: ctypes.CDLL, compiler_output: str) -> None:
        self.lib = lib
        self.compiler_output = compiler_output
        i32, p = ctypes.c_int32, F32P
        sigs = {
            "edgernn_matvec_pair_f32": [p, p, i32, p, p, i32, p, i32, p],
            "edgernn_matvec_f32": [p, p, p, i32, i32, p],
            "edgernn_gates_f32": [p, p, i32, p, p, i32, p, i32, p],
            "edgernn_linear_f32": [p, i32],
            "edgernn_relu_f32": [p, i32],
            "edgernn_sigmoid_f32": [p, i32],
            "edgernn_tanh_f32": [p, i32],
            "edgernn_softmax_f32": [p, i32],
            "edgernn_activation_f32": [ctypes.c_int, p, i32],
            "edgernn_embedding_f32": [ctypes.POINTER(EmbeddingParams), i32, p],
            "edgernn_dense_f32": [ctypes.POINTER(DenseParams), p, p],
            "edgernn_rnn_step_f32": [ctypes.POINTER(RnnParams), ctypes.POINTER(HState), p, p],
            "edgernn_lstm_step_f32": [ctypes.POINTER(LstmParams), ctypes.POINTER(HCState), p, p],
            "edgernn_gru_step_f32": [ctypes.POINTER(GruParams), ctypes.POINTER(HState), p, p],
        }
        for name, argtypes in sigs.items():
            fn = getattr(lib, name)
            fn.argtypes = argtypes
            fn.restype = ctypes.c_int if name == "edgernn_embedding_f32" else None

    def __getattr__(self, name: str):
        return getattr(self.lib, name)


@pytest.fixture(scope="session")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Runtime:
    """Every runtime source compiled with the strict flags into one shared library."""
    out = tmp_path_factory.mktemp("runtime") / "libedgernn_runtime.so"
    command = [find_compiler(), *STRICT_CFLAGS, "-fPIC", "-shared",
               *(str(p) for p in source_files()), "-o", str(out), "-lm"]
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return Runtime(ctypes.CDLL(str(out)), (proc.stdout + proc.stderr).strip())


@pytest.fixture(scope="session")
def runtime_objects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each runtime source compiled on its own to an object file (stem -> path)."""
    out = tmp_path_factory.mktemp("objects")
    sources = source_files()
    proc = subprocess.run([find_compiler(), *STRICT_CFLAGS, "-c", *(str(p) for p in sources)],
                          capture_output=True, text=True, cwd=out, check=False)
    assert proc.returncode == 0 and not proc.stderr.strip(), proc.stderr
    return {p.stem: out / f"{p.stem}.o" for p in sources}
