"""``survey_costs``: the survey's Table 3 formulas equal the IR's weights and biases and the
operations the golden model's cells perform, for every layer form; the documented GRU
differences are exactly the bias terms (docs/counting.md)."""

from __future__ import annotations

import json

import pytest

from edgernn.cli.main import main
from edgernn.ir import build_graph
from edgernn.ir.cost import measure_cell_ops, survey_costs
from edgernn.spec.schema import ModelSpec

M, N, P = 5, 8, 3

AGREEING = {
    "rnn": {"type": "rnn", "units": N},
    "lstm": {"type": "lstm", "units": N},
    "lstm_peephole": {"type": "lstm", "units": N, "peephole": "full"},
    "lstm_peephole_diagonal": {"type": "lstm", "units": N, "peephole": "diagonal"},
    "lstm_projection": {"type": "lstm", "units": N, "projection": P},
    "lstm_diagonal_projection": {"type": "lstm", "units": N, "peephole": "diagonal",
                                 "projection": P},
    "lstm_full_projection": {"type": "lstm", "units": N, "peephole": "full", "projection": P},
}

# Table 3, written out for m = 5, n = 8, p = 3 (multiplications, additions, nonlinear,
# weights, biases): the survey's rows, not the code's formulas.
TABLE3 = {
    "lstm": (4 * N * N + 4 * N * M + 3 * N, 4 * N * N + 4 * N * M + 5 * N, 5 * N,
             4 * N * N + 4 * N * M, 4 * N),
    "lstm_peephole": (7 * N * N + 4 * N * M + 3 * N, 7 * N * N + 4 * N * M + 5 * N, 5 * N,
                      7 * N * N + 4 * N * M, 4 * N),
    "lstm_peephole_diagonal": (4 * N * N + 4 * N * M + 6 * N, 4 * N * N + 4 * N * M + 8 * N,
                               5 * N, 4 * N * N + 4 * N * M + 3 * N, 4 * N),
    "lstm_projection": (4 * N * P + 4 * N * M + 3 * N + N * P,
                        4 * N * P + 4 * N * M + 5 * N + N * P, 5 * N,
                        4 * N * P + 4 * N * M + N * P, 4 * N),
    "lstm_diagonal_projection": (4 * N * P + 4 * N * M + 6 * N + N * P,
                                 4 * N * P + 4 * N * M + 8 * N + N * P, 5 * N,
                                 4 * N * P + 4 * N * M + 3 * N + N * P, 4 * N),
    "gru": (3 * N * N + 3 * N * M + 3 * N, 3 * N * N + 3 * N * M + 2 * N, 3 * N,
            3 * N * N + 3 * N * M, 0),
}
QUANTITIES = ("multiplications", "additions", "nonlinear", "weights", "biases")


def _graph(layer: dict, head: str = "softmax"):
    spec = ModelSpec.model_validate({
        "name": "cost", "input": {"features": M}, "sequence_length": 11,
        "layers": [layer, {"type": "dense", "units": 4, "activation": head}],
    })
    return build_graph(spec)


@pytest.mark.parametrize("name", sorted(AGREEING))
def test_formula_equals_ir_and_golden_counts(name):
    costs = survey_costs(_graph(AGREEING[name]))
    assert costs.disagreements == []
    layer = costs.layers[0]
    if name in TABLE3:
        assert tuple(layer.get(q).survey for q in QUANTITIES) == TABLE3[name]
    for q in layer.quantities:
        assert q.survey == q.measured, (name, q)


@pytest.mark.parametrize("head", ["linear", "softmax", "tanh", "relu", "sigmoid"])
def test_dense_counts(head):
    dense = survey_costs(_graph(AGREEING["rnn"], head)).layers[1]
    o, m = 4, N
    assert [dense.get(q).measured for q in QUANTITIES] == [
        o * m, o * m + o, 0 if head == "linear" else o, o * m, o]
    assert all(q.agrees for q in dense.quantities)


@pytest.mark.parametrize(("reset_after", "extra_adds", "biases"),
                         [(True, 9 * N, 6 * N), (False, 6 * N, 3 * N)])
def test_gru_differs_by_its_biases_only(reset_after, extra_adds, biases):
    layer = survey_costs(_graph({"type": "gru", "units": N, "reset_after": reset_after}))
    gru = layer.layers[0]
    assert tuple(gru.get(q).survey for q in QUANTITIES) == TABLE3["gru"]
    for q in ("multiplications", "nonlinear", "weights"):
        assert gru.get(q).agrees
    assert gru.get("additions").measured - gru.get("additions").survey == extra_adds
    assert gru.get("biases").measured == biases
    assert gru.get("biases").note and gru.get("additions").note


def test_counting_does_not_change_the_cells():
    """The instrumented run restores the golden model's activations."""
    from edgernn.reference import cells
    from edgernn.reference.activations import ACTIVATIONS, sigmoid

    measure_cell_ops(_graph(AGREEING["lstm"]).nodes[1])
    assert cells.sigmoid is sigmoid and cells.ACTIVATIONS is ACTIVATIONS


def test_ir_op_counts_are_consistent_with_the_measurement():
    """kinds.op_counts (MACs + elementwise) describe the same work: MACs are the matrix part of
    the multiplications; elementwise = the other multiplications and additions plus the one add
    per gate row that joins the input and recurrent sums (free in the survey's convention)."""
    from edgernn.ir.kinds import get_kind

    for name in ("lstm", "lstm_peephole", "lstm_peephole_diagonal", "lstm_diagonal_projection"):
        node = _graph(AGREEING[name]).nodes[0]
        ops = get_kind(node.kind).op_counts(node.attrs, node.input_size)
        tally = measure_cell_ops(node)
        # Wx x + Wh h per gate row, and a full peephole's P c into i, f, o
        joins = 4 * N + (3 * N if node.attrs.get("peephole") == "full" else 0)
        assert ops.nonlinear == tally.nonlinear
        assert ops.elementwise == (tally.multiplications - ops.macs) + \
            (tally.additions - ops.macs) + joins, name


def test_cli_cost_json(capsys):
    assert main(["cost", "lstm", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["sequence_length"] == 100
    lstm = doc["layers"][0]
    assert lstm["row"] == "LSTM"
    assert lstm["weights"]["measured"] == 4 * 64 * 64 + 4 * 64 * 32
    assert lstm["multiplications"]["measured_per_sequence"] == \
        100 * lstm["multiplications"]["measured"]
    assert doc["total"]["biases"]["measured"] == 4 * 64 + 32


def test_cli_cost_table(capsys):
    assert main(["cost", "gru"]) == 0
    out = capsys.readouterr().out
    assert "GRU" in out and "DIFFERS" in out
