"""Rich tables for `edgernn results list|show|compare`."""

from results_cases import make_record
from rich.console import Console

from edgernn.results import (
    compare_records,
    comparison_table,
    record_fields,
    record_table,
    records_table,
)


def render(table) -> str:
    console = Console(width=250, record=True, color_system=None)
    console.print(table)
    return console.export_text()


def test_list_table_has_one_line_per_record():
    records = [make_record(index=i, id=i + 1) for i in range(3)]
    text = render(records_table(records))
    assert text.count("LSTM") == 3 and "opt=O2,weights=flash" in text and "MSE 0.0835" in text


def test_show_table_lists_every_field_with_its_unit():
    text = render(record_table(make_record(id=9)))
    for info in record_fields():
        assert info.name in text
    assert "flash_breakdown.weights" in text and "27500" in text
    assert "env.compiler" in text and "GOP/s/W" in text
    assert "edgernn_matvec_s8[unrolled]" in text  # markup characters shown, not interpreted


def test_compare_table_shows_delta_and_ratio():
    a, b = make_record(index=0, id=1), make_record(index=10, id=2)
    text = render(comparison_table(compare_records(a, b)))
    assert "ratio = B / A" in text
    line = next(line for line in text.splitlines() if "│" in line and line.split("│")[1].strip() == "cycles")
    assert "6000000" in line and "6010000" in line and "10000" in line and "1.00×" in line
    assert "cycles[main]" in text
