"""`edgernn bench` end to end on the smallest model: simulated, stored, cached, reported."""

import json

from edgernn.bench.pipeline import plan_from_args, run_bench
from edgernn.cli.main import main
from edgernn.results import results_list


def test_plan_defaults_to_the_edgemark_suite():
    plan = plan_from_args([])
    assert plan.models == ("simple0", "simple1", "simple2", "shakespeare1", "shakespeare2",
                           "lstm", "gru")
    assert plan.variants == ("float32", "int8")
    assert plan.targets == ("nucleo-l4r5zi",)
    explicit = plan_from_args(["simple0"], variants=["float32"], epochs=2)
    assert explicit.models == ("simple0",) and explicit.training.epochs == 2


def test_bench_measures_stores_reuses_and_reports(tmp_path, capsys):
    db = str(tmp_path / "results.sqlite")
    args = ["bench", "simple0", "--variant", "float32", "--workdir", str(tmp_path / "out"),
            "--db", db, "--sequences", "3", "--epochs", "2", "--json", "--no-progress"]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)
    assert len(first) == 1
    row = first[0]
    assert row["model"] == "simple0" and row["target"] == "nucleo-l4r5zi"
    assert row["parameters"] == 5 and row["edgemark_macs"] == 9
    assert row["max_abs_error"] <= 1e-5
    assert row["cycles"] > 0 and row["instructions"] > 0 and row["exe_ms"] > 0
    assert row["flash_bytes"] == sum(row["flash_breakdown"].values())
    assert row["ram_bytes"] == sum(row["ram_breakdown"].values())
    assert row["env"]["compiler"].startswith("arm-none-eabi-gcc")
    report = (tmp_path / "out" / "report" / "report.md").read_text()
    assert "| Simple 0 | float32 | 5 |" in report

    # Second run: the measurement comes from the cache, with identical metrics.
    assert main(args) == 0
    second = json.loads(capsys.readouterr().out)
    ignore = {"id", "env"}
    assert {k: v for k, v in second[0].items() if k not in ignore} == {
        k: v for k, v in row.items() if k not in ignore
    }
    assert len(results_list(db)) == 2


def test_bench_unknown_variant_is_a_clear_error(tmp_path):
    plan = plan_from_args(["simple0"], variants=["int3"])
    try:
        run_bench(plan, tmp_path, db_path=str(tmp_path / "r.sqlite"), progress=False)
    except Exception as exc:  # noqa: BLE001 - the message is what is checked
        assert "unknown variant 'int3'" in str(exc)
    else:
        raise AssertionError("an unknown variant must fail")


def test_bad_suite_file_is_one_line(tmp_path):
    from edgernn.bench.suite import SuiteError, load_suite

    suite = tmp_path / "mine.yaml"
    suite.write_text("name: mine\nmodels: [simple0]\nvariants: [float32]\ncheck_sequences: 0\n")
    try:
        load_suite(suite)
    except SuiteError as exc:
        assert str(exc).startswith(f"{suite}: check_sequences: Input should be greater than 0")
    else:
        raise AssertionError("check_sequences: 0 must be refused")
    # A suite file given to bench is recognised as a suite, not as a model spec.
    ok = tmp_path / "ok.yaml"
    ok.write_text("name: ok\nmodels: [simple0, gru]\nvariants: [int8]\n")
    plan = plan_from_args([str(ok)])
    assert plan.models == ("simple0", "gru") and plan.variants == ("int8",)
