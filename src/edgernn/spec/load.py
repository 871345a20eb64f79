"""Reading spec files and resolving model names from the built-in zoo."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

from edgernn.errors import SpecError
from edgernn.spec.schema import ModelSpec
from edgernn.validation import parse_yaml_model

ZOO_PACKAGE = "edgernn.spec.zoo"


def zoo_names() -> list[str]:
    """Names of the specs shipped with edgernn (``simple0`` ... ``gru``)."""
    files = resources.files(ZOO_PACKAGE).iterdir()
    return sorted(f.name[:-5] for f in files if f.name.endswith(".yaml"))


def resolve_spec_path(name_or_path: str | Path) -> Path:
    """Turn a zoo name (``simple1``) or a file path into the path of a spec file."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    zoo_file = resources.files(ZOO_PACKAGE) / f"{name_or_path}.yaml"
    if zoo_file.is_file():
        return Path(str(zoo_file))
    raise SpecError(
        f"{name_or_path}: no such spec file, and not a built-in model "
        f"(built-in: {', '.join(zoo_names())})"
    )


def parse_spec(text: str, source: str = "<spec>") -> ModelSpec:
    """Parse and validate spec YAML text; errors name ``source``, the field and the problem."""
    return parse_yaml_model(text, ModelSpec, source, SpecError, "a spec")


def load_spec(name_or_path: str | Path) -> ModelSpec:
    """Load a spec from a zoo name or a YAML file, validated."""
    path = resolve_spec_path(name_or_path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"{path}: cannot read ({exc})") from None
    return parse_spec(text, source=str(name_or_path))


def spec_hash(spec: ModelSpec) -> str:
    """Short content hash of a spec (provenance headers, caches)."""
    canonical = spec.model_dump_json(exclude_none=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]
