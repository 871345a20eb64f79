"""`edgernn bench` with an integer variant next to float32: the simulated int8 firmware's
dequantized outputs are compared with the float golden model, and it is faster and smaller."""

import json

from edgernn.cli.main import main


def test_bench_int8_and_float32_end_to_end(tmp_path, capsys):
    args = ["bench", "simple1", "--variant", "int8", "--variant", "float32",
            "--workdir", str(tmp_path / "x"), "--db", str(tmp_path / "x" / "r.sqlite"),
            "--sequences", "2", "--epochs", "2", "--json", "--no-progress"]
    assert main(args) == 0
    rows = {row["variant"]: row for row in json.loads(capsys.readouterr().out)}
    assert set(rows) == {"int8", "float32"}
    int8, float32 = rows["int8"], rows["float32"]
    assert float32["max_abs_error"] <= 1e-5
    # int8 against the float golden model: EdgeMark's error of a quantized model (TFLM: 0.004+)
    assert 0 < int8["error"] < 0.01
    assert int8["task_value"] is not None
    assert int8["cycles"] < 0.7 * float32["cycles"]
    assert int8["flash_bytes"] < 0.5 * float32["flash_bytes"]
    assert int8["ram_bytes"] <= float32["ram_bytes"]
    assert "| Simple 1 | int8 |" in (tmp_path / "x" / "report" / "report.md").read_text()
