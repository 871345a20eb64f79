"""NumPy golden model: the specification every generated kernel is compared against."""

from edgernn.reference.cells import CELLS, register_cell
from edgernn.reference.model import ReferenceModel, run_reference

__all__ = ["CELLS", "ReferenceModel", "register_cell", "run_reference"]
