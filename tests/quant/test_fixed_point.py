"""Requantization and rounding: exact semantics, edge cases and properties (NumPy side).

The C twins are checked against these functions bit for bit in tests/runtime/test_int_kernels.py.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from edgernn.errors import QuantizationError
from edgernn.quant.fixed_point import (
    INT32_MAX,
    INT32_MIN,
    multiplier_value,
    quantize_multiplier,
    requantize,
    rshift_round,
)

int32s = st.integers(INT32_MIN, INT32_MAX)
multipliers = st.integers(2**30, 2**31 - 1)
shifts = st.integers(-30, 31)


def _exact(acc: int, m: int, s: int) -> int:
    """floor(acc * m / 2^(31+s) + 1/2), saturated: round half up, in exact rationals."""
    value = Fraction(acc * m, 2 ** (31 + s)) + Fraction(1, 2)
    return max(INT32_MIN, min(INT32_MAX, value.__floor__()))


@given(int32s, multipliers, shifts)
def test_requantize_is_round_half_up_of_the_exact_product(acc: int, m: int, s: int) -> None:
    assert int(requantize(acc, m, s)) == _exact(acc, m, s)


@pytest.mark.parametrize("acc, m, s, expected", [
    (3, 2**30, 1, 1),        # 3/4 -> 1
    (2, 2**30, 1, 1),        # 1/2 -> 1 (half up)
    (-2, 2**30, 1, 0),       # -1/2 -> 0 (half up, not away from zero)
    (-3, 2**30, 1, -1),      # -3/4 -> -1
    (-6, 2**30, 1, -1),      # -3/2 -> -1
    (5, 2**30, 0, 3),        # 5/2 -> 3
    (INT32_MAX, 2**31 - 1, -30, INT32_MAX),   # saturates high
    (INT32_MIN, 2**31 - 1, -30, INT32_MIN),   # saturates low
    (0, 2**30, 31, 0),
])
def test_requantize_edge_cases(acc: int, m: int, s: int, expected: int) -> None:
    assert int(requantize(acc, m, s)) == expected


@given(st.floats(min_value=2.0**-32, max_value=2.0**29))
def test_quantize_multiplier_is_normalised_and_accurate(real: float) -> None:
    m, s = quantize_multiplier(real)
    assert 2**30 <= m < 2**31 and -30 <= s <= 31
    assert abs(multiplier_value(m, s) - real) <= real * 2.0**-30


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf"), 2.0**-40, 2.0**31])
def test_quantize_multiplier_rejects_out_of_range(bad: float) -> None:
    with pytest.raises(QuantizationError):
        quantize_multiplier(bad)


@given(st.integers(-(2**40), 2**40), st.integers(0, 20))
def test_rshift_round_is_round_half_up(x: int, n: int) -> None:
    expected = (Fraction(x, 2**n) + Fraction(1, 2)).__floor__() if n else x
    assert int(rshift_round(np.int64(x), n)) == expected
