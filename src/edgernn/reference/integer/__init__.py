"""Integer golden model: the bit-exact specification of the int8 and int16x8 kernels."""

from edgernn.reference.integer import lstmp as _lstmp  # noqa: F401  (registers the lstmp cell)
from edgernn.reference.integer.cells import INTEGER_CELLS, register_integer_cell
from edgernn.reference.integer.model import (
    IntegerReferenceModel,
    golden_steps,
    run_integer_reference,
)

__all__ = [
    "INTEGER_CELLS", "IntegerReferenceModel", "golden_steps", "register_integer_cell",
    "run_integer_reference",
]
