"""The registry of IR passes and the runner that validates after each one.

A pass is a function ``Graph -> Graph`` that returns a new graph and leaves its input alone.
Passes register under a name; :func:`run_passes` applies named passes in order, runs
:func:`edgernn.ir.validate_graph` after each (so a broken invariant fails at the pass that broke
it, naming the pass) and records the names in ``graph.metadata["passes"]``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from edgernn.errors import ModelFileError, PassError
from edgernn.ir.graph import Graph, validate_graph

GraphPass = Callable[[Graph], Graph]

#: Key of ``graph.metadata`` listing the passes applied, in order.
PASSES_METADATA = "passes"


@dataclass(frozen=True)
class Pass:
    """One registered pass.

    Attributes:
        name: registry key (``fold_embedding_projection``).
        description: one line for docs and error messages.
        run: the transformation; returns a new graph, never modifies its argument.
    """

    name: str
    description: str
    run: GraphPass


PASSES: dict[str, Pass] = {}


def register_pass(name: str, description: str) -> Callable[[GraphPass], GraphPass]:
    """Decorator: register ``fn`` as the pass ``name`` (one registration per name)."""

    def wrap(fn: GraphPass) -> GraphPass:
        if name in PASSES:
            raise ValueError(f"pass {name!r} registered twice")
        PASSES[name] = Pass(name=name, description=description, run=fn)
        return fn

    return wrap


def get_pass(name: str) -> Pass:
    """The registered pass ``name``; PassError listing the known ones otherwise."""
    try:
        return PASSES[name]
    except KeyError:
        raise PassError(
            f"unknown pass {name!r} (known: {', '.join(sorted(PASSES))})"
        ) from None


def run_passes(graph: Graph, names: Iterable[str]) -> Graph:
    """Apply the passes ``names`` in order, validating the graph after each.

    Args:
        graph: the input graph (validated first; not modified).
        names: registered pass names.

    Returns:
        A new graph; ``metadata["passes"]`` lists every pass applied to it so far.

    Raises:
        PassError: an unknown pass, a pass that refuses the graph, or a pass whose output
            fails validation (the message names the pass).
    """
    passes = [get_pass(name) for name in names]
    validate_graph(graph)
    current = graph
    for item in passes:
        result = item.run(current)
        if result is current or result.nodes is current.nodes:
            raise PassError(f"pass {item.name} returned its input instead of a new graph")
        try:
            validate_graph(result)
        except ModelFileError as exc:
            raise PassError(f"after pass {item.name}: {exc}") from exc
        metadata = copy.deepcopy(result.metadata)
        metadata[PASSES_METADATA] = [*metadata.get(PASSES_METADATA, []), item.name]
        current = Graph(spec=result.spec, nodes=result.nodes, metadata=metadata)
    if current is graph:
        current = copy.deepcopy(graph)
    return current
