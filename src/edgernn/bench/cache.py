"""Content keys: a trained model or a measurement is reused when everything it depends on is equal.

The key of a measurement covers the trained weights, the variant, the board profile, the build
options, the check inputs, the toolchain version and a fingerprint of edgernn's own code
(kernels, templates, simulator, passes), so any change that could move a figure re-measures.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

import edgernn

_CODE_SUFFIXES = {".py", ".c", ".h", ".j2", ".yaml"}
# The parts of edgernn whose code can move a measured figure (not the CLI, report or database).
_MEASURING_PACKAGES = (
    "ir", "passes", "reference", "quant", "codegen", "runtime", "targets", "sim",
)
_MEASURING_FILES = ("bench/variants.py", "results/metrics.py")


def digest(payload: Any) -> str:
    """SHA-256 (hex) of a JSON-serialisable payload with sorted keys."""
    text = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def array_digest(*arrays: np.ndarray) -> str:
    """SHA-256 of arrays' dtypes, shapes and bytes."""
    h = hashlib.sha256()
    for array in arrays:
        a = np.ascontiguousarray(array)
        h.update(f"{a.dtype.str}{a.shape}".encode())
        h.update(a.tobytes())
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 over the source files that measure (kernels, templates, passes, simulator)."""
    root = Path(edgernn.__file__).resolve().parent
    paths = [root / f for f in _MEASURING_FILES]
    for package in _MEASURING_PACKAGES:
        paths.extend((root / package).rglob("*"))
    h = hashlib.sha256()
    for path in sorted(paths):
        if path.suffix in _CODE_SUFFIXES and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()
