"""Weight layout of the integer kernels: rows interleaved in blocks, columns reordered for DSP.

The s8/s16 matrix-vector kernels compute ``block_rows`` outputs per pass (4 for the int8
kernel, 2 for the int16x8 one whose 64-bit sums need two registers each) and read the weights
with one pointer walking forward, so the inner loop needs no per-row pointers:

* rows are taken in blocks of ``block_rows``; the ``rows % block_rows`` rows left at the end
  form blocks of one row;
* inside a block of ``b`` rows, each full group of four columns ``g`` stores, row after row,
  the four bytes ``(w[4g], w[4g+2], w[4g+1], w[4g+3])``; then each of the ``cols % 4`` trailing
  columns stores its ``b`` values, row after row;
* block ``k`` of full height starts at byte ``k * block_rows * cols``; the matrix takes
  ``rows * cols`` bytes, no padding.

Why the byte order: the input is int16, read as pairs ``(x0, x1), (x2, x3)`` by 32-bit loads.
``SXTB16(w)`` sign-extends bytes 0 and 2 of a word and ``SXTB16(ROR(w, 8))`` bytes 1 and 3, so
the stored ``(w0, w2, w1, w3)`` yields ``(w0, w1)`` and ``(w2, w3)``, lane for lane with the
inputs, and two ``SMLAD`` (``SMLALD``) do four MACs. The portable C path reads the same bytes.
"""

from __future__ import annotations

import numpy as np

_GROUP_ORDER = np.array([0, 2, 1, 3])

BLOCK_ROWS = {"int8": 4, "int16x8": 2}


def _block_order(b: int, cols: int) -> np.ndarray:
    """Storage order of a block of ``b`` rows as (row, col) flat indices into the block."""
    full = cols - cols % 4
    rows = np.arange(b)
    order = []
    for g in range(0, full, 4):
        cols_g = g + _GROUP_ORDER
        order.append((rows[:, None] * cols + cols_g[None, :]).ravel())
    for c in range(full, cols):
        order.append(rows * cols + c)
    return np.concatenate(order) if order else np.zeros(0, dtype=np.int64)


def _permutation(rows: int, cols: int, block_rows: int) -> np.ndarray:
    """Stored position -> flat index of the natural ``(rows, cols)`` matrix."""
    full_blocks = rows // block_rows
    parts = [k * block_rows * cols + _block_order(block_rows, cols) for k in range(full_blocks)]
    parts += [r * cols + _block_order(1, cols) for r in range(full_blocks * block_rows, rows)]
    return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)


def to_dsp_layout(w: np.ndarray, block_rows: int) -> np.ndarray:
    """The kernels' byte order of a ``(rows, cols)`` matrix, as a flat array of the same dtype."""
    w = np.asarray(w)
    if w.ndim != 2 or block_rows < 1:
        raise ValueError(f"expected a matrix and block_rows >= 1, got {w.shape}, {block_rows}")
    return np.ascontiguousarray(w.ravel()[_permutation(*w.shape, block_rows)])


def from_dsp_layout(flat: np.ndarray, rows: int, cols: int, block_rows: int) -> np.ndarray:
    """Inverse of :func:`to_dsp_layout`: the natural ``(rows, cols)`` matrix."""
    flat = np.asarray(flat).ravel()
    if flat.size != rows * cols:
        raise ValueError(f"{flat.size} values cannot hold a {rows}x{cols} matrix")
    out = np.empty(rows * cols, dtype=flat.dtype)
    out[_permutation(rows, cols, block_rows)] = flat
    return out.reshape(rows, cols)
