"""Look-up tables of the integer activations, and their exact integer interpolation.

Sigmoid and tanh map an int16 Q3.12 input (``x = q / 4096``, range [-8, 8)) to an int16 Q0.15
output (``y = q / 32768``) through a 257-entry table of ``f(-8 + i/16)``, ``i = 0..256``::

    u = q + 32768            (0 .. 65535)
    i = u >> 8, f = u & 255  (table index, fraction in 1/256 of a step)
    y = T[i] + (((T[i+1] - T[i]) * f + 128) >> 8)

Entries are ``floor(f(x_i) * 32768 + 0.5)`` clamped to [-32767, 32767] (so ``1 - y`` never
reaches 0 and ``tanh(8)`` fits int16).

The softmax exponential maps a non-positive int32 difference ``d`` in Q.11 (``x = d / 2048``)
to Q0.15 through a 257-entry uint16 table of ``exp(-16 + i/16)`` (``T[256] = 32768 = 1.0``)::

    d < -32768 (x < -16)  -> 0
    u = d + 32768         (0 .. 32768)
    i = u >> 7, f = u & 127
    e = T[256] if i == 256 else T[i] + (((T[i+1] - T[i]) * f + 64) >> 7)

The tables are generated here; the C copies inside ``runtime/edgernn_{sigmoid,tanh}_s16.c`` and
``runtime/edgernn_exp_s32.c`` are checked against :func:`c_table` by the tests, and the kernels
are checked against :func:`lut_q15` / :func:`exp_q15` on every possible input. The Arm paths of
the int8 LSTM and GRU cells read the same sigmoid and tanh values from one-word-per-interval
copies (:func:`packed_table`, ``runtime/edgernn_{sigmoid,tanh}_packed_s8.c``, checked against
:func:`c_packed_table`), equal to :func:`lut_q15` on every input.
"""

from __future__ import annotations

import numpy as np

from edgernn.quant.fixed_point import I64

LUT_ENTRIES = 257
GATE_FRAC_BITS = 12  # gate pre-activations are int16 Q3.12
OUT_FRAC_BITS = 15  # activation outputs are int16 Q0.15
LOGIT_FRAC_BITS = 11  # softmax logits are int32 Q20.11
EXP_MIN_INPUT = -(1 << 15)  # -16.0 in Q.11


def _round_half_up(x: np.ndarray) -> np.ndarray:
    return np.floor(x + 0.5).astype(I64)


def _points() -> np.ndarray:
    return -8.0 + np.arange(LUT_ENTRIES, dtype=np.float64) / 16.0


def sigmoid_table() -> np.ndarray:
    """int16 table of sigmoid(-8 + i/16) in Q0.15."""
    values = _round_half_up(32768.0 / (1.0 + np.exp(-_points())))
    return np.clip(values, -32767, 32767).astype(np.int16)


def tanh_table() -> np.ndarray:
    """int16 table of tanh(-8 + i/16) in Q0.15."""
    return np.clip(_round_half_up(np.tanh(_points()) * 32768.0), -32767, 32767).astype(np.int16)


def exp_table() -> np.ndarray:
    """uint16 table of exp(-16 + i/16) in Q0.15 (the last entry is 32768 = 1.0)."""
    xs = -16.0 + np.arange(LUT_ENTRIES, dtype=np.float64) / 16.0
    return _round_half_up(np.exp(xs) * 32768.0).astype(np.uint16)


TABLES = {"sigmoid": sigmoid_table, "tanh": tanh_table, "exp": exp_table}


def lut_q15(table: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Interpolated table look-up: int16 Q3.12 ``q`` -> Q0.15 (int64 array)."""
    t = np.asarray(table, dtype=I64)
    u = np.asarray(q, dtype=I64) + 32768
    i = u >> 8
    f = u & 255
    t0 = t[i]
    t1 = t[np.minimum(i + 1, LUT_ENTRIES - 1)]
    return t0 + (((t1 - t0) * f + 128) >> 8)


def sigmoid_q15(q: np.ndarray) -> np.ndarray:
    """Integer sigmoid: Q3.12 -> Q0.15."""
    return lut_q15(_SIGMOID, q)


def tanh_q15(q: np.ndarray) -> np.ndarray:
    """Integer tanh: Q3.12 -> Q0.15."""
    return lut_q15(_TANH, q)


def exp_q15(d: np.ndarray) -> np.ndarray:
    """Integer exp of a non-positive Q.11 difference -> Q0.15 (0 below -16)."""
    t = _EXP.astype(I64)
    dd = np.asarray(d, dtype=I64)
    u = np.clip(dd - EXP_MIN_INPUT, 0, 32768)
    i = u >> 7
    f = u & 127
    t0 = t[i]
    t1 = t[np.minimum(i + 1, LUT_ENTRIES - 1)]
    e = np.where(i == LUT_ENTRIES - 1, t[LUT_ENTRIES - 1], t0 + (((t1 - t0) * f + 64) >> 7))
    return np.where(dd < EXP_MIN_INPUT, 0, e).astype(I64)


PACKED_ENTRIES = LUT_ENTRIES - 1  # one word per interval i = 0..255


def packed_table(name: str) -> np.ndarray:
    """The sigmoid or tanh table as one uint32 word per interval, for one-load look-ups.

    Word ``i`` holds ``d = T[i+1] - T[i]`` in its low half and ``b = T[i] - d (i - 128)`` in
    its high half (both int16: ``d`` is in [0, 2045], ``|b| <= 32767``), so with
    ``j = q >> 8 = i - 128`` (arithmetic shift) the interpolation of :func:`lut_q15` becomes
    ``b + ((d q + 128) >> 8)``: ``256 T[i] + d f = 256 b + d q`` because ``q = 256 j + f``.
    The Arm paths of the int8 cells index the word array from its middle with ``q >> 8`` and
    need no separate fraction; :func:`lut_q15_packed` states the formula they compute.
    """
    t = TABLES[name]().astype(I64)
    i = np.arange(PACKED_ENTRIES, dtype=I64)
    d = t[1:] - t[:-1]
    b = t[:-1] - d * (i - 128)
    for half in (d, b):
        if half.min() < -32768 or half.max() > 32767:
            raise ValueError(f"packed {name} table does not fit int16 halves")
    return ((b & 0xFFFF) << 16 | (d & 0xFFFF)).astype(np.uint32)


def lut_q15_packed(words: np.ndarray, q: np.ndarray) -> np.ndarray:
    """The look-up of a :func:`packed_table`: ``b + ((d q + 128) >> 8)`` at ``j = q >> 8``."""
    w = np.asarray(words, dtype=I64)[(np.asarray(q, dtype=I64) >> 8) + 128]
    d = ((w & 0xFFFF) ^ 0x8000) - 0x8000
    b = ((w >> 16) ^ 0x8000) - 0x8000
    return b + ((d * np.asarray(q, dtype=I64) + 128) >> 8)


def c_table(name: str, per_line: int = 12) -> str:
    """The initializer lines of table ``name`` as they appear in the runtime C source."""
    values = [str(int(v)) for v in TABLES[name]()]
    lines = [
        "    " + ", ".join(values[i : i + per_line]) + ","
        for i in range(0, len(values), per_line)
    ]
    return "\n".join(lines)


def c_packed_table(name: str, per_line: int = 6) -> str:
    """The initializer lines of :func:`packed_table` ``name`` as in the runtime C source."""
    values = [f"0x{int(v):08x}u" for v in packed_table(name)]
    lines = [
        "    " + ", ".join(values[i : i + per_line]) + ","
        for i in range(0, len(values), per_line)
    ]
    return "\n".join(lines)


_SIGMOID = sigmoid_table()
_TANH = tanh_table()
_EXP = exp_table()
