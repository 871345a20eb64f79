"""Bring your own model: import trained Keras, PyTorch and ONNX recurrent models into the IR.

:func:`load` picks the importer registered for the source (by object type for an in-memory
PyTorch module, else by file suffix, else by the file's leading bytes) and returns a validated
:class:`edgernn.ir.Graph`; :func:`import_to_run` also writes it as a run directory that every
later command reads. Formats register themselves in :data:`IMPORTERS` (see
:func:`register_importer`); docs/importers.md lists what each supports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from edgernn.errors import ModelFileError
from edgernn.importers import keras_format, onnx_format, torch_module  # noqa: F401 (registers)
from edgernn.importers.base import (
    IMPORTERS,
    Importer,
    ModelImportError,
    register_importer,
)
from edgernn.ir.graph import Graph
from edgernn.runs import DEFAULT_CHECK_SEQUENCES, random_check_inputs, save_run

__all__ = [
    "IMPORTERS", "Importer", "ModelImportError", "find_importer", "import_to_run", "load",
    "register_importer",
]


def find_importer(source: Any, format: str | None = None) -> Importer:
    """The registered importer for ``source`` (a path or an in-memory model).

    Args:
        source: a file path, or an object such as a ``torch.nn.Module``.
        format: force a format by its registered name instead of guessing.

    Raises:
        ModelImportError: unknown ``format`` or no importer accepts ``source``.
        ModelFileError: ``source`` is a path that does not exist.
    """
    if format is not None:
        if format not in IMPORTERS:
            raise ModelImportError(
                f"unknown model format {format!r} (known: {', '.join(IMPORTERS)})"
            )
        return IMPORTERS[format]
    if not isinstance(source, str | Path):
        for importer in IMPORTERS.values():
            if importer.accepts is not None and importer.accepts(source):
                return importer
        raise ModelImportError(
            f"cannot import a {type(source).__name__}: give a model file path or a "
            "torch.nn.Module"
        )
    path = Path(source)
    if not path.is_file():
        raise ModelFileError(f"{path}: no such model file")
    suffix = path.suffix.lower()
    for importer in IMPORTERS.values():
        if suffix in importer.suffixes:
            return importer
    with path.open("rb") as handle:
        head = handle.read(16)
    for importer in IMPORTERS.values():
        if importer.magic is not None and head.startswith(importer.magic):
            return importer
    known = ", ".join(f"{s} ({i.name})" for i in IMPORTERS.values() for s in i.suffixes)
    raise ModelImportError(f"{path.name}: unknown model file type {suffix or '(no suffix)'} "
                           f"(known: {known})")


def load(
    path_or_module: Any,
    *,
    example_input_shape: tuple[int, ...] | None = None,
    name: str | None = None,
    sequence_length: int | None = None,
    format: str | None = None,
    **options: Any,
) -> Graph:
    """Import a trained model into the IR.

    Args:
        path_or_module: a ``.keras``, ``.h5`` or ``.onnx`` file, a ``torch.nn.Module``, or a
            ``.pt``/``.pth`` state dict (with ``module=`` giving the architecture).
        example_input_shape: PyTorch only: the shape of one input batch, e.g. ``(1, 100, 32)``
            (``(batch, steps)`` of token ids for an embedding model; steps first when the
            recurrent layers are not ``batch_first``).
        name: the model's name (a C identifier is derived from it); by default the model's
            own name or the file name.
        sequence_length: time steps per inference, required when the model leaves them open.
        format: force a registered format (``keras``, ``keras-h5``, ``onnx``, ``torch``).
        **options: format-specific options (``module=`` for a PyTorch state dict).

    Returns:
        The validated graph, with ``metadata["imported_from"]`` naming the source.

    Raises:
        ModelFileError: the file is missing, corrupt, truncated or incomplete.
        ModelImportError: the model holds layers or operators edgernn cannot express; the
            message lists each of them and what is supported.
    """
    importer = find_importer(path_or_module, format)
    return importer.load(
        path_or_module,
        example_input_shape=example_input_shape,
        name=name,
        sequence_length=sequence_length,
        **options,
    )


def import_to_run(
    path_or_module: Any,
    run_dir: str | Path,
    *,
    check_sequences: int = DEFAULT_CHECK_SEQUENCES,
    seed: int = 0,
    **load_options: Any,
) -> tuple[Graph, Path]:
    """Import a model (see :func:`load`) and write it as a run directory.

    The run gets ``check_sequences`` seeded random check inputs (uniform [0, 1) features or
    random token ids), since an imported model comes without its test data.

    Returns:
        The graph and the run directory written.
    """
    graph = load(path_or_module, **load_options)
    inputs = random_check_inputs(graph, check_sequences, seed=seed)
    return graph, save_run(graph, run_dir, inputs)
