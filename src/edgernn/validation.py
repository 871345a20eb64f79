"""YAML data files (specs, board profiles, suites) into pydantic models, with one-line errors.

Every message names the source, the field and the problem, e.g.
``bad.yaml: layers.0.lstm.units: Input should be greater than 0``.
"""

from __future__ import annotations

from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from edgernn.errors import EdgernnError

ModelT = TypeVar("ModelT", bound=BaseModel)


def _location(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc if not str(part).startswith("function-"))


def describe_validation_error(exc: ValidationError) -> str:
    """``field: problem`` of the first error (and how many more there are)."""
    first = exc.errors()[0]
    field = _location(first["loc"]) or "(top level)"
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown key"
    elif first["type"] == "union_tag_invalid" and isinstance(first.get("input"), dict):
        message = f"unknown layer type {first['input'].get('type')!r}"
    more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
    return f"{field}: {message}{more}"


def parse_yaml_model(
    text: str, model: type[ModelT], source: str, error: type[EdgernnError], what: str
) -> ModelT:
    """Parse YAML ``text`` and validate it as ``model``.

    Args:
        text: The YAML document.
        model: The pydantic model to validate against.
        source: What the text came from (file name), the prefix of every message.
        error: The EdgernnError subclass to raise.
        what: What the document is, for the "must be a mapping" message ("a spec").

    Raises:
        error: not YAML, not a mapping, or invalid; one line naming source, field and problem.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise error(f"{source}{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict):
        raise error(f"{source}: {what} must be a YAML mapping, got {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error(f"{source}: {describe_validation_error(exc)}") from None
