"""Activation tables: their values, interpolation accuracy and monotonicity."""

from __future__ import annotations

import numpy as np
import pytest

from edgernn.quant.lut import (
    TABLES,
    exp_q15,
    exp_table,
    lut_q15,
    lut_q15_packed,
    packed_table,
    sigmoid_q15,
    sigmoid_table,
    tanh_q15,
    tanh_table,
)

ALL_Q312 = np.arange(-32768, 32768, dtype=np.int64)


def test_table_entries_are_the_rounded_function() -> None:
    xs = -8.0 + np.arange(257) / 16.0
    assert np.array_equal(sigmoid_table(), np.floor(32768 / (1 + np.exp(-xs)) + 0.5))
    assert np.array_equal(tanh_table(), np.clip(np.floor(np.tanh(xs) * 32768 + 0.5), -32767, 32767))
    assert exp_table()[256] == 32768 and exp_table()[0] == round(np.exp(-16) * 32768)


def test_interpolated_sigmoid_and_tanh_over_every_input() -> None:
    x = ALL_Q312 / 4096.0
    sig = sigmoid_q15(ALL_Q312) / 32768.0
    tanh = tanh_q15(ALL_Q312) / 32768.0
    assert np.max(np.abs(sig - 1 / (1 + np.exp(-x)))) < 4e-4  # 2^-15 + interpolation error
    assert np.max(np.abs(tanh - np.tanh(x))) < 1.2e-3
    assert np.all(np.diff(sig) >= 0) and np.all(np.diff(tanh) >= 0)
    assert tanh_q15(np.int64(0)) == 0 and sigmoid_q15(np.int64(0)) == 16384


def test_exp_over_its_range() -> None:
    d = np.arange(-40000, 1, dtype=np.int64)
    e = exp_q15(d)
    assert np.all(e[d < -32768] == 0)
    inside = d >= -32768
    # linear interpolation with step 1/16: error <= (1/16)^2 / 8 * exp(x) + rounding
    assert np.max(np.abs(e[inside] / 32768.0 - np.exp(d[inside] / 2048.0))) < 5.2e-4
    assert np.all(np.diff(e) >= 0) and e[-1] == 32768


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_packed_table_gives_the_table_values_on_every_input(name: str) -> None:
    """The one-word-per-interval tables of the Arm cell loops: same values as lut_q15."""
    words = packed_table(name)
    table = TABLES[name]().astype(np.int64)
    assert words.dtype == np.uint32 and words.shape == (256,)
    d = ((words.astype(np.int64) & 0xFFFF) ^ 0x8000) - 0x8000
    assert np.array_equal(d, table[1:] - table[:-1])  # the low half is the step
    assert np.array_equal(lut_q15_packed(words, ALL_Q312), lut_q15(table, ALL_Q312))
