"""The hand-written C runtime: kernel sources and their dependency closure.

Every kernel lives in ``edgernn_<op>_<dtype>.c`` and defines exactly the public function of that
name, so the sources a set of functions needs are found by following the ``edgernn_*`` names used
in each file (no hand-kept dependency table to drift). Headers are always all included.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

_IDENTIFIER = re.compile(r"\b(edgernn_[a-z0-9_]+)\b")
_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)


def runtime_dir() -> Path:
    """Directory holding the runtime ``.c`` and ``.h`` files."""
    return Path(str(resources.files(__name__)))


def header_files() -> list[Path]:
    """Every runtime header, sorted by name."""
    return sorted(runtime_dir().glob("*.h"))


def source_files() -> list[Path]:
    """Every runtime source file, sorted by name."""
    return sorted(runtime_dir().glob("*.c"))


@cache
def _calls(function: str) -> frozenset[str]:
    """Runtime functions referenced (called or taken by address) in the source of ``function``."""
    text = _COMMENT.sub(" ", (runtime_dir() / f"{function}.c").read_text(encoding="utf-8"))
    names = {m.group(1) for m in _IDENTIFIER.finditer(text)} - {function}
    return frozenset(n for n in names if (runtime_dir() / f"{n}.c").is_file())


def sources_for(functions: list[str] | set[str] | tuple[str, ...]) -> list[Path]:
    """Source files implementing ``functions`` and everything they call, sorted by name.

    Args:
        functions: public kernel names, e.g. ``["edgernn_lstm_step_f32"]``.

    Raises:
        KeyError: a function has no source file in the runtime.
    """
    todo = list(functions)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if not (runtime_dir() / f"{name}.c").is_file():
            raise KeyError(f"no runtime source for {name!r}")
        seen.add(name)
        todo.extend(_calls(name))
    return [runtime_dir() / f"{name}.c" for name in sorted(seen)]
