"""The report from a fixed set of 14 records: tables, TFLM ratios, plots, HTML embedding."""

import base64
import re
import struct

import pytest
from report_cases import make_records

from edgernn.bench.tflm_reference import load_tflm_reference
from edgernn.report import write_report, write_report_from_db
from edgernn.report.content import RESULT_COLUMNS
from edgernn.results import ResultsError, model_display_name, store_records

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PLOTS = ("params_macs", "error", "exe_time", "flash", "ram")


def parse_markdown_tables(text: str) -> list[list[dict[str, str]]]:
    """Every Markdown table of ``text`` as a list of {header: cell} rows."""
    tables, lines = [], text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("| ") and i + 1 < len(lines) and re.match(r"^\| [-: |]+\|$", lines[i + 1]):
            headers = [h.strip() for h in lines[i].strip("|").split(" | ")]
            rows, i = [], i + 2
            while i < len(lines) and lines[i].startswith("| "):
                cells = [c.strip() for c in lines[i].strip()[1:-1].split(" | ")]
                assert len(cells) == len(headers), lines[i]
                rows.append(dict(zip(headers, cells, strict=True)))
                i += 1
            tables.append(rows)
        else:
            i += 1
    return tables


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    records = make_records()
    paths = write_report(records, out)
    return paths, records, paths.markdown.read_text(encoding="utf-8")


def find_table(text: str, first_header: str, contains: str) -> list[dict[str, str]]:
    return next(t for t in parse_markdown_tables(text) if t and contains in t[0])


def test_results_table_has_fourteen_complete_rows_in_edgemark_order(report):
    _, records, text = report
    rows = find_table(text, "Model", "GOP/s/W")
    assert len(rows) == 14
    expected_headers = ["Model", "Variant", "Parameters", "MACs", "EdgeMark MACs", "Error",
                        "Exe (ms)", "Flash (kB)", "RAM (kB)"]
    assert list(rows[0])[:9] == expected_headers
    assert list(rows[0])[2:] == [c[0] for c in RESULT_COLUMNS]
    for row in rows:
        assert all(cell and cell != "—" for cell in row.values()), row
    assert [(r["Model"], r["Variant"]) for r in rows[:4]] == [
        ("Simple 0", "float32"), ("Simple 0", "int8"), ("Simple 1", "float32"), ("Simple 1", "int8")]
    assert rows[-1]["Model"] == "GRU"
    by_key = {(r.model, r.variant): r for r in records}
    lstm = next(r for r in rows if r["Model"] == "LSTM" and r["Variant"] == "int8")
    record = by_key[("lstm", "int8")]
    assert int(lstm["Cycles"]) == record.cycles
    assert float(lstm["Exe (ms)"]) == pytest.approx(record.cycles / 120e6 * 1e3, rel=1e-3)
    assert float(lstm["Flash (kB)"]) == pytest.approx(record.flash_bytes / 1024, abs=0.05)
    assert float(lstm["Δ vs float (%)"]) == pytest.approx(-(0.0835 - 0.0833) / 0.0833 * 100, abs=0.005)
    assert lstm["Task metric"] == "MSE 0.0835"


def test_tflm_ratios_are_computed_from_the_published_figures(report):
    _, records, text = report
    reference = load_tflm_reference()
    rows = find_table(text, "Model", "Speed-up (TFLM/edgernn)")
    assert len(rows) == 14
    names = {model_display_name(r.model): r.model for r in records}
    by_key = {(r.model, r.variant): r for r in records}
    checked = 0
    for row in rows:
        model, variant = names[row["Model"]], row["Variant"]
        figure, record = reference.get(model, variant), by_key[(model, variant)]
        if figure.out_of_memory:
            assert row["TFLM Exe (ms)"] == "out of memory"
            assert row["Speed-up (TFLM/edgernn)"] == "—"
            continue
        speed_up = float(row["Speed-up (TFLM/edgernn)"].rstrip("×"))
        assert speed_up == pytest.approx(figure.exe_ms / record.exe_ms, abs=0.006)
        flash = float(row["Flash ratio (TFLM/edgernn)"].rstrip("×"))
        assert flash == pytest.approx(figure.flash_kb * 1024 / record.flash_bytes, abs=0.006)
        ram = float(row["RAM ratio (TFLM/edgernn)"].rstrip("×"))
        assert ram == pytest.approx(figure.ram_kb * 1024 / record.ram_bytes, abs=0.006)
        assert float(row["TFLM Exe (ms)"]) == pytest.approx(figure.exe_ms, rel=1e-3)
        checked += 1
    assert checked == 13


def test_simple2_float32_shows_tflm_out_of_memory_and_simple1_int8_its_note(report):
    _, _, text = report
    assert "Simple 2 float32 — TFLM: out of memory." in text
    simple1 = next(r for r in find_table(text, "Model", "Speed-up (TFLM/edgernn)")
                   if r["Model"] == "Simple 1" and r["Variant"] == "int8")
    note = simple1["Note"].strip("[]")
    assert re.search(rf"^\[{note}\] Simple 1 int8: .*129\.6 ms", text, re.MULTILINE)


def test_function_breakdown_lists_top_functions_and_the_rest(report):
    _, records, text = report
    assert "### LSTM · int8" in text
    section = text.split("### LSTM · int8")[1].split("###")[0]
    (rows,) = parse_markdown_tables(section)
    assert len(rows) == 11 and rows[-1]["Function"] == "(2 other functions)"
    lstm = next(r for r in records if (r.model, r.variant) == ("lstm", "int8"))
    assert sum(int(r["Cycles"]) for r in rows) == lstm.cycles
    assert float(rows[0]["Share (%)"]) == pytest.approx(50.0, abs=0.1)


def test_environment_block(report):
    _, _, text = report
    (rows,) = [t for t in parse_markdown_tables(text) if t and "Cycle model" in t[0]]
    assert rows == [{
        "Records": "14", "edgernn": "0.1.0", "Commit": "0123456789ab",
        "Compiler": "arm-none-eabi-gcc 13.2.1",
        "Flags": "-O2 -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard",
        "Cycle model": "cortex-m4f 1", "Host": "ci (Linux x86_64, Python 3.11.7)",
        "Measured (UTC)": "2026-01-15T10:00:00Z – 2026-01-15T10:13:00Z",
    }]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_plots_are_valid_pngs_referenced_by_markdown_and_embedded_in_html(report):
    paths, _, text = report
    html = paths.html.read_text(encoding="utf-8")
    embedded = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert sorted(paths.plots) == sorted(PLOTS) and len(embedded) == len(PLOTS)
    for name in PLOTS:
        data = paths.plots[name].read_bytes()
        width, height = png_size(data)
        assert 600 <= width <= 2000 and 300 <= height <= 1000
        assert 10_000 < len(data) < 500_000
        assert f"](plots/{name}.png)" in text
        assert base64.b64encode(data).decode() in embedded
    # Self-contained: nothing fetched from elsewhere.
    assert not re.search(r'(src|href)="(?!data:)', html)
    # The same tables as the Markdown: results and TFLM comparison rows, the out-of-memory note.
    assert html.count("<td class=\"l\">Simple 2</td><td class=\"l\">float32</td>") == 2
    assert "Simple 2 float32 — TFLM: out of memory." in html


def test_input_order_does_not_change_the_report(report, tmp_path):
    paths, records, text = report
    again = write_report(sorted(records, key=lambda r: r.content_key), tmp_path)
    assert again.markdown.read_text(encoding="utf-8") == text
    for name in PLOTS:
        assert again.plots[name].read_bytes() == paths.plots[name].read_bytes()


def test_report_without_reference_and_from_the_database(tmp_path):
    records = [r for r in make_records() if r.model in ("simple1", "gru")]
    paths = write_report(records, tmp_path / "plain", tflm=None)
    text = paths.markdown.read_text(encoding="utf-8")
    assert "No published figures were given." in text and "Speed-up" not in text
    db = tmp_path / "r.sqlite"
    store_records(records + [records[0]], db=db)  # a re-measurement: only the newest is reported
    from_db = write_report_from_db(tmp_path / "db", db=db)
    rows = find_table(from_db.markdown.read_text(encoding="utf-8"), "Model", "GOP/s/W")
    assert len(rows) == 4
    with pytest.raises(ResultsError, match="no records"):
        write_report([], tmp_path / "empty")


def test_records_off_the_reference_board_are_not_compared(tmp_path):
    records = make_records()[:2]
    for record in records:
        record.target = "host"
    text = write_report(records, tmp_path).markdown.read_text(encoding="utf-8")
    assert "No record was measured on the NUCLEO-L4R5ZI" in text
