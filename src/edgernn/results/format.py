"""Number formatting shared by the Rich tables and the report (fixed, locale-free)."""

from __future__ import annotations

MISSING = "—"
KIB = 1024  # EdgeMark's kB are 1024 bytes (110.4375 kB = 113 088 bytes).


def fmt_int(value: int | float | None) -> str:
    """An integer count (``8288``), or the missing mark."""
    return MISSING if value is None else f"{round(value)}"


def fmt_sig(value: float | None, digits: int = 4) -> str:
    """A value to ``digits`` significant digits (``0.1072``, ``377.2``, ``1.2e-07``)."""
    if value is None:
        return MISSING
    if value == 0:
        return "0"
    return f"{value:.{digits}g}"


def fmt_fixed(value: float | None, decimals: int = 1) -> str:
    """A value with a fixed number of decimals (``110.4``)."""
    return MISSING if value is None else f"{value:.{decimals}f}"


def fmt_kb(num_bytes: int | float | None, decimals: int = 1) -> str:
    """Bytes as kB of 1024 bytes with fixed decimals (EdgeMark's unit)."""
    return MISSING if num_bytes is None else f"{num_bytes / KIB:.{decimals}f}"


def fmt_signed_pct(value: float | None, decimals: int = 2) -> str:
    """A signed percentage without the % sign (``+1.25``, ``-0.40``)."""
    return MISSING if value is None else f"{value:+.{decimals}f}"


def fmt_ratio(value: float | None) -> str:
    """A ratio as ``2.35×``."""
    return MISSING if value is None else f"{value:.2f}×"
