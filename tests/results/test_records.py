"""Result records: derived metrics filled in, units on every field, validation, round trip."""

import pytest
from results_cases import make_record

from edgernn.results import BenchRecord, Environment, ResultsError, options_key, record_fields


def test_derived_metrics_are_computed_from_the_measured_inputs():
    record = make_record(cycles=6_000_000)
    assert record.exe_ms == pytest.approx(50.0)  # 6e6 cycles at 120 MHz
    assert record.cycles_per_mac == pytest.approx(6_000_000 / 2_662_400)
    assert record.task_change_pct == pytest.approx(-(0.0835 - 0.0833) / 0.0833 * 100)
    assert record.energy_uj == pytest.approx(12.5 * 3.3 * 50.0)
    assert record.gops == pytest.approx(2 * 2_662_400 / 0.05 / 1e9)
    assert record.gops_per_w == pytest.approx(record.gops / (12.5e-3 * 3.3))
    assert record.flash_bytes == 27500 + 3600 + 1100 + 2300 + 5000  # totals from the parts
    assert record.ram_bytes == 120 + 1400 + 880


def test_explicit_values_are_kept_and_missing_inputs_leave_metrics_empty():
    record = make_record(cycles=None, clock_hz=None, exe_ms=12.0, run_current_ma=None)
    assert record.exe_ms == 12.0 and record.cycles_per_mac is None
    assert record.energy_uj is None and record.gops_per_w is None
    assert record.gops == pytest.approx(2 * 2_662_400 / 0.012 / 1e9)


def test_float_variant_is_its_own_baseline():
    record = make_record(variant="float32", task_value=0.08, float_task_value=None)
    assert record.float_task_value == 0.08 and record.task_change_pct == 0.0


def test_every_field_documents_its_unit():
    infos = {info.name: info for info in record_fields()}
    assert infos["exe_ms"].unit == "ms" and infos["energy_uj"].unit == "µJ"
    assert infos["gops"].unit == "GOP/s" and infos["flash_bytes"].unit == "bytes"
    for info in infos.values():
        assert info.doc and info.kind in ("int", "float", "str", "json")
        if info.kind in ("int", "float") and info.name not in ("id",):
            assert info.unit, f"{info.name} has no unit"


def test_options_key_is_canonical():
    assert options_key({"weights": "flash", "opt": "O2"}) == "opt=O2,weights=flash"
    assert options_key({"lto": True, "opt": 3}) == "lto=true,opt=3"
    assert options_key({}) == "default"
    assert make_record().options_key == "opt=O2,weights=flash"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"variant": "int4"}, "unknown variant"),
        ({"model": ""}, "model must be"),
        ({"flash_bytes": 1000}, "flash_breakdown sums to"),
        ({"cycles": -5}, "negative"),
        ({"cycles": 1.5}, "must be an integer"),
        ({"error": float("nan")}, "error is nan"),
        ({"task_metric": "bleu"}, "unknown task metric"),
        ({"options": {"opt": ["O2"]}}, "not a scalar"),
        ({"function_cycles": {"main": -1}}, "function_cycles"),
    ],
)
def test_invalid_records_are_user_errors(overrides, message):
    with pytest.raises(ResultsError, match=message):
        make_record(**overrides)


def test_timestamps_must_be_utc_iso():
    with pytest.raises(ResultsError, match="not in UTC"):
        make_record(timestamp="2026-02-01T12:00:00+02:00")
    with pytest.raises(ResultsError, match="not ISO 8601"):
        make_record(timestamp="yesterday")


def test_dict_round_trip():
    record = make_record(index=3)
    assert BenchRecord.from_dict(record.to_dict()) == record
    with pytest.raises(ResultsError, match="unknown record fields: colour"):
        BenchRecord.from_dict({**record.to_dict(), "colour": "red"})


def test_environment_capture_names_version_host_and_time():
    env = Environment.capture(compiler="gcc 13", compiler_flags="-O2", cycle_model="m4 1")
    assert env.edgernn_version and env.host and env.timestamp.endswith("Z")
    assert env.compiler == "gcc 13" and env.cycle_model == "m4 1"
