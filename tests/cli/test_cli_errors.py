"""User errors reach the command line as one readable line with exit code 2, no traceback."""

import json
import subprocess
import sys

import pytest

from edgernn.cli.main import main


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """Run the real console entry point in a subprocess (what a user sees)."""
    return subprocess.run(
        [sys.executable, "-m", "edgernn.cli.main", *args], capture_output=True, text=True,
        check=False,
    )


def test_info_reports_edgemark_counts(capsys):
    assert main(["info", "lstm", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["parameters"] == 26912
    assert doc["edgemark_macs"] == 2702400
    assert [layer["kind"] for layer in doc["layers"]] == ["lstm", "dense"]


def test_bad_spec_file_is_one_line_exit_2(tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text("name: m\ninput: {features: 4}\nsequence_length: 5\n"
                    "layers:\n  - {type: attention, units: 4}\n")
    proc = run_cli("info", str(spec))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(spec) in lines[0] and "layers.0" in lines[0] and "attention" in lines[0]


def test_corrupt_run_directory_is_one_line_exit_2(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    (run / "graph.yaml").write_text("format_version: 1\nspec: {name: x}\n")
    proc = run_cli("generate", str(run), "-o", str(tmp_path / "c"))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "corrupt run directory" in proc.stderr
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize("command", ["info", "train", "generate", "check", "bench"])
def test_every_command_has_help(command, capsys):
    assert main([command, "--help"]) == 0
    assert "Usage" in capsys.readouterr().out


def test_missing_argument_is_usage_error():
    assert main(["info"]) == 2


FIXTURES = __import__("pathlib").Path(__file__).parents[1] / "importers" / "fixtures" / "tf215"


def test_import_command_writes_a_checkable_run(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["import", str(FIXTURES / "lstm.h5"), "-o", str(run)]) == 0
    assert "26912 parameters" in capsys.readouterr().out
    assert main(["check", str(run)]) == 0
    assert "max |C - golden|" in capsys.readouterr().out


def test_import_command_truncated_file_is_one_line_exit_2(tmp_path):
    truncated = tmp_path / "model.keras"
    truncated.write_bytes((FIXTURES / "gru.keras").read_bytes()[:500])
    proc = run_cli("import", str(truncated), "-o", str(tmp_path / "run"))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "model.keras" in proc.stderr
    assert not (tmp_path / "run").exists()
