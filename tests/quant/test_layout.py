"""The DSP weight layouts: exact byte order and lossless round trips (property tests)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from edgernn.quant.layout import (
    from_dsp_layout,
    from_pair_layout,
    pair_layout_shape,
    to_dsp_layout,
    to_pair_layout,
)


def test_block_of_four_rows_with_a_tail_column() -> None:
    w = np.arange(6 * 5).reshape(6, 5)
    flat = to_dsp_layout(w, 4)
    # rows 0..3, group 0 in (0, 2, 1, 3) order, row after row; then column 4 of rows 0..3
    assert flat[:16].tolist() == [0, 2, 1, 3, 5, 7, 6, 8, 10, 12, 11, 13, 15, 17, 16, 18]
    assert flat[16:20].tolist() == [4, 9, 14, 19]
    # leftover rows 4 and 5: one-row blocks
    assert flat[20:].tolist() == [20, 22, 21, 23, 24, 25, 27, 26, 28, 29]


@given(hnp.arrays(np.int8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=23)),
       st.sampled_from([1, 2, 4]))
def test_round_trip_and_permutation(w: np.ndarray, block: int) -> None:
    flat = to_dsp_layout(w, block)
    assert flat.shape == (w.size,) and flat.dtype == w.dtype
    assert sorted(flat.tolist()) == sorted(w.ravel().tolist())
    assert np.array_equal(from_dsp_layout(flat, *w.shape, block), w)


def test_pair_layout_packs_row_pairs_into_halfwords() -> None:
    w = np.arange(1, 5 * 3 + 1).reshape(5, 3).astype(np.int8)
    w[0, 0] = -5  # a negative even-row weight borrows from the odd row's byte
    halves = to_pair_layout(w).view("<i2")
    v = lambda r, c: 256 * int(w[r + 1, c] if r + 1 < 5 else 0) + int(w[r, c])  # noqa: E731
    # block of rows 0-3: column pair (0, 1) for row pairs 0 and 1, then column pair (2, pad)
    assert halves[:8].tolist() == [v(0, 0), v(0, 1), v(2, 0), v(2, 1), v(0, 2), 0, v(2, 2), 0]
    # row 4 and a zero row 5: a last block of one row pair
    assert halves[8:].tolist() == [w[4, 0], w[4, 1], w[4, 2], 0]
    assert to_pair_layout(w)[:2].tolist() == [-5, 4 - 1]  # low byte w[0, 0], high w[1, 0] - 1


@given(hnp.arrays(np.int8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=23),
                  elements=st.integers(-127, 127)))
def test_pair_layout_round_trip(w: np.ndarray) -> None:
    flat = to_pair_layout(w)
    rows_p, cols_p = pair_layout_shape(*w.shape)
    assert flat.dtype == np.int8 and flat.size == rows_p * cols_p
    assert np.array_equal(from_pair_layout(flat, *w.shape), w)
