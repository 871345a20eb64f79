"""Model spec files: schema, loading, validation and the built-in zoo."""

from edgernn.spec.load import load_spec, parse_spec, resolve_spec_path, spec_hash, zoo_names
from edgernn.spec.schema import ModelSpec

__all__ = ["ModelSpec", "load_spec", "parse_spec", "resolve_spec_path", "spec_hash", "zoo_names"]
