"""Fixed-point arithmetic of the integer variants: the one definition NumPy and C share.

Every function here has a C twin in ``runtime/edgernn_fixed_point.h`` (same name without the
``np`` flavour) and they agree bit for bit on every input the kernels can produce. All
arithmetic is on NumPy ``int64`` arrays; results that must fit a narrower C type are saturated
explicitly, never wrapped.

Requantization (docs/quantization.md, "Requantization"): a real multiplier ``m > 0`` is stored as
a normalised Q31 integer ``M`` in ``[2**30, 2**31)`` and a shift ``s`` in ``[-30, 31]`` with
``m ~= M * 2**-(31 + s)``; an int32 accumulator ``a`` maps to::

    requantize(a, M, s) = sat32((a * M + 2**(30 + s)) >> (31 + s))

with ``>>`` an arithmetic (flooring) shift, i.e. round half up (towards +infinity). ``a * M``
needs at most 62 bits, so the int64 arithmetic never overflows. The same rounding is used by
:func:`rshift_round` (``(x + 2**(n-1)) >> n``).
"""

from __future__ import annotations

import math

import numpy as np

from edgernn.errors import QuantizationError

INT8_MIN, INT8_MAX = -128, 127
INT16_MIN, INT16_MAX = -32768, 32767
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
SHIFT_MIN, SHIFT_MAX = -30, 31

I64 = np.int64


def quantize_multiplier(real: float) -> tuple[int, int]:
    """The normalised Q31 multiplier and shift of a positive real multiplier.

    Returns ``(M, s)`` with ``2**30 <= M < 2**31`` and ``real ~= M * 2**-(31 + s)`` (relative
    error at most 2**-31), as gemmlowp/TFLM's ``QuantizeMultiplier`` (mantissa rounded to
    nearest, ties to even).

    Raises:
        QuantizationError: ``real`` is not positive and finite, or outside
            ``[2**-32, 2**30)`` where the shift would leave ``[-30, 31]``.
    """
    if not (math.isfinite(real) and real > 0.0):
        raise QuantizationError(f"requantization multiplier must be positive, got {real!r}")
    mantissa, exponent = math.frexp(real)  # real = mantissa * 2**exponent, 0.5 <= mantissa < 1
    multiplier = round(mantissa * 2**31)
    if multiplier == 2**31:
        multiplier //= 2
        exponent += 1
    shift = -exponent
    if not SHIFT_MIN <= shift <= SHIFT_MAX:
        raise QuantizationError(
            f"requantization multiplier {real:.3g} is out of range [2^-32, 2^30): "
            "a scale is degenerate (check the calibration data)"
        )
    return int(multiplier), int(shift)


def multiplier_value(multiplier: int, shift: int) -> float:
    """The real number a (multiplier, shift) pair stands for."""
    return float(multiplier) * 2.0 ** -(31 + shift)


def saturate(x: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Clamp to ``[lo, hi]`` (int64 result)."""
    return np.clip(np.asarray(x, dtype=I64), lo, hi)


def sat8(x: np.ndarray) -> np.ndarray:
    """Saturate to int8."""
    return saturate(x, INT8_MIN, INT8_MAX)


def sat16(x: np.ndarray) -> np.ndarray:
    """Saturate to int16."""
    return saturate(x, INT16_MIN, INT16_MAX)


def requantize(acc: np.ndarray, multiplier: np.ndarray | int, shift: np.ndarray | int
               ) -> np.ndarray:
    """``sat32((acc * M + 2**(30 + s)) >> (31 + s))`` elementwise (broadcasting M and s).

    ``acc`` must lie in int32; ``M`` in ``[0, 2**31)``; ``s`` in ``[-30, 31]``.
    """
    a = np.asarray(acc, dtype=I64)
    m = np.asarray(multiplier, dtype=I64)
    s = np.asarray(shift, dtype=I64)
    total = 31 + s
    rounded = a * m + np.left_shift(I64(1), total - 1)
    return saturate(np.right_shift(rounded, total), INT32_MIN, INT32_MAX)


def rshift_round(x: np.ndarray, n: int) -> np.ndarray:
    """``(x + 2**(n-1)) >> n`` for ``n >= 1`` (round half up), ``x`` for ``n == 0``."""
    v = np.asarray(x, dtype=I64)
    if n == 0:
        return v
    return np.right_shift(v + (I64(1) << (n - 1)), n)
