"""The DSP weight layout: exact byte order and lossless round trips (property tests)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from edgernn.quant.layout import from_dsp_layout, to_dsp_layout


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
