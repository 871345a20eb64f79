"""Weight layouts of the integer kernels: rows interleaved in blocks, columns reordered for DSP.

Two layouts: the int16x8 kernel's (:func:`to_dsp_layout`, below) and the int8 kernel's
row-pair layout (:func:`to_pair_layout`, further down).

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


# ---- int8: row pairs packed into int16 halfwords ------------------------------------------------

#: Rows per pass of the int8 kernel: two row pairs share every input load.
PAIR_BLOCK_ROWS = 4
#: Most columns one pass of the int8 DSP kernel sums before unpacking its row-pair sums (the
#: odd row's partial sum must stay below 2^23 in magnitude: 128 * 127 * 512 < 2^23).
PAIR_CHUNK_COLS = 512


def pair_layout_shape(rows: int, cols: int) -> tuple[int, int]:
    """Padded ``(rows, cols)`` of the row-pair layout: both rounded up to even."""
    return rows + rows % 2, cols + cols % 2


def _pair_blocks(padded_rows: int) -> list[tuple[int, int]]:
    """``(first row, rows)`` of each block: blocks of four, then one of two if two are left."""
    blocks = [(r, PAIR_BLOCK_ROWS) for r in range(0, padded_rows - 3, PAIR_BLOCK_ROWS)]
    done = len(blocks) * PAIR_BLOCK_ROWS
    return blocks + ([(done, 2)] if padded_rows > done else [])


def to_pair_layout(w: np.ndarray) -> np.ndarray:
    """The int8 kernel's byte order of a ``(rows, cols)`` int8 matrix (flat int8 array).

    Rows and columns are padded with zeros to even counts. Rows ``2p`` and ``2p + 1`` are packed
    into int16 values ``v = 256 * w[2p + 1, c] + w[2p, c]`` (exact: the low byte of ``v`` is
    ``w[2p, c]``, its high byte ``w[2p + 1, c] - (w[2p, c] < 0)``, in int8 range because weights
    lie in [-127, 127]). Rows go in blocks of four (two row pairs; a last block of one pair
    when two rows are left); inside a block, for each column pair ``(c, c + 1)`` and each of its
    row pairs, one little-endian 32-bit word ``(v[c], v[c + 1])``. The matrix is read strictly
    in order, and every word lines up with the input pair ``(x[c], x[c + 1])``:
    ``SMLAD(word, x)`` sums ``256 * odd-row + even-row`` products and ``SMLAD(SXTB16(word), x)``
    the even row's alone, so two rows take one load, one SXTB16 and two SMLAD per column pair.
    """
    w = np.asarray(w)
    if w.ndim != 2:
        raise ValueError(f"expected a matrix, got shape {w.shape}")
    rows_p, cols_p = pair_layout_shape(*w.shape)
    padded = np.zeros((rows_p, cols_p), dtype=np.int64)
    padded[: w.shape[0], : w.shape[1]] = w
    v = (256 * padded[1::2] + padded[0::2]).astype("<i2")  # (row pairs, cols_p)
    parts = []
    for first, height in _pair_blocks(rows_p):
        block = v[first // 2 : (first + height) // 2]
        parts.append(block.reshape(height // 2, cols_p // 2, 2).transpose(1, 0, 2).ravel())
    flat = np.concatenate(parts) if parts else np.zeros(0, dtype="<i2")
    return np.ascontiguousarray(flat.astype("<i2")).view(np.int8)


def from_pair_layout(flat: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Inverse of :func:`to_pair_layout`: the natural ``(rows, cols)`` int8 matrix."""
    rows_p, cols_p = pair_layout_shape(rows, cols)
    flat = np.ascontiguousarray(np.asarray(flat, dtype=np.int8).ravel())
    if flat.size != rows_p * cols_p:
        raise ValueError(f"{flat.size} bytes cannot hold a {rows}x{cols} matrix in pair layout")
    halves = flat.view("<i2").astype(np.int64)
    v = np.empty((rows_p // 2, cols_p), dtype=np.int64)
    at = 0
    for first, height in _pair_blocks(rows_p):
        size = height // 2 * cols_p
        block = halves[at : at + size].reshape(cols_p // 2, height // 2, 2).transpose(1, 0, 2)
        v[first // 2 : (first + height) // 2] = block.reshape(height // 2, cols_p)
        at += size
    low = ((v & 0xFF) ^ 0x80) - 0x80  # sign-extended low byte: the even row
    out = np.empty((rows_p, cols_p), dtype=np.int64)
    out[0::2], out[1::2] = low, (v - low) >> 8
    return out[:rows, :cols].astype(np.int8)
