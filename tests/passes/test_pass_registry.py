"""The pass registry and runner: named passes, validation after each, provenance in metadata."""

from __future__ import annotations

import copy

import pytest

from edgernn.errors import EdgernnError, PassError
from edgernn.ir import Graph, build_graph
from edgernn.passes import PASSES, Pass, get_pass, register_pass, run_passes
from edgernn.spec import load_spec


def _graph() -> Graph:
    return build_graph(load_spec("shakespeare1"), seed=0)


def test_registered_passes_have_names_and_descriptions() -> None:
    item = get_pass("fold_embedding_projection")
    assert item.name == "fold_embedding_projection" and item.description
    with pytest.raises(PassError, match=r"unknown pass 'nope' \(known: .*fold_embedding"):
        run_passes(_graph(), ["nope"])
    assert issubclass(PassError, EdgernnError)  # printed by the CLI as one line
    with pytest.raises(ValueError, match="registered twice"):
        register_pass("fold_embedding_projection", "again")(lambda graph: graph)


def test_a_pass_that_breaks_an_invariant_fails_naming_itself(monkeypatch) -> None:
    def break_widths(graph: Graph) -> Graph:
        out = copy.deepcopy(graph)
        out.nodes[1].input_size += 1
        return out

    monkeypatch.setitem(PASSES, "break_widths", Pass("break_widths", "test", break_widths))
    with pytest.raises(PassError, match="after pass break_widths: node rnn_0: input size 65 != previous output 64"):
        run_passes(_graph(), ["fold_embedding_projection", "break_widths"])


def test_a_pass_must_return_a_new_graph(monkeypatch) -> None:
    monkeypatch.setitem(PASSES, "same", Pass("same", "test", lambda graph: graph))
    with pytest.raises(PassError, match="returned its input"):
        run_passes(_graph(), ["same"])


def test_no_passes_gives_an_equal_copy() -> None:
    graph = _graph()
    out = run_passes(graph, [])
    assert out is not graph and out.nodes[0] is not graph.nodes[0]
    assert "passes" not in out.metadata
