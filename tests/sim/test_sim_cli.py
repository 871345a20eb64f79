"""`edgernn sim` on a hand-written firmware: the command line agrees with a plain unicorn count."""

from __future__ import annotations

import json
import struct
import zlib

from simfw import FW_DIR, build_elf
from test_sim_firmware import _inputs, _plain_unicorn_count

from edgernn.cli.main import main


def test_sim_command_counts_like_plain_unicorn_and_reads_symbols(tmp_path, capsys) -> None:
    elf = build_elf(tmp_path, {"hand_fw.c": (FW_DIR / "hand_fw.c").read_text()})
    inputs = _inputs()
    args = ["sim", str(elf), "--board", "nucleo-l4r5zi", "--json", "--read", "out_crc",
            "--read", f"out_sorted={tmp_path / 'sorted.bin'}"]
    for name, data in inputs.items():
        (tmp_path / f"{name}.bin").write_bytes(data)
        args += ["--write", f"{name}={tmp_path / f'{name}.bin'}"]

    assert main(args) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["instructions"] == _plain_unicorn_count(elf, inputs)
    crc = struct.unpack("<I", bytes.fromhex(record["outputs"]["out_crc"]))[0]
    assert crc == zlib.crc32(inputs["input_bytes"])
    sorted_ints = struct.unpack("<16i", (tmp_path / "sorted.bin").read_bytes())
    assert list(sorted_ints) == sorted(struct.unpack("<16i", inputs["input_ints"]))
    assert record["region"]["marked"] and record["region"]["cycles"] > 0


def test_sim_command_table_output(tmp_path, capsys) -> None:
    elf = build_elf(tmp_path, {"hand_fw.c": (FW_DIR / "hand_fw.c").read_text()})
    assert main(["sim", str(elf)]) == 0
    out = capsys.readouterr().out
    assert "between bkpt #1 and bkpt #2" in out
    assert "crc32" in out and "peak stack" in out


def test_sim_command_errors_are_one_line(tmp_path, capsys) -> None:
    assert main(["sim", str(tmp_path / "missing.elf")]) == 2
    assert "no such firmware file" in capsys.readouterr().err
    bogus = tmp_path / "bogus.elf"
    bogus.write_bytes(b"not an elf at all")
    assert main(["sim", str(bogus)]) == 2
    err = capsys.readouterr().err
    assert "bogus.elf" in err and "Traceback" not in err
    elf = build_elf(tmp_path, {"hand_fw.c": (FW_DIR / "hand_fw.c").read_text()})
    assert main(["sim", str(elf), "--write", "no_such_symbol=" + str(bogus)]) == 2
    assert "no_such_symbol" in capsys.readouterr().err
    assert main(["sim", str(elf), "--max-instructions", "1000"]) == 2
    assert "instruction limit exceeded" in capsys.readouterr().err
