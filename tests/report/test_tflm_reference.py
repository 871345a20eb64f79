"""The packaged copy of TFLM's published EdgeMark figures."""

import pytest

from edgernn.bench.tflm_reference import load_tflm_reference, parse_tflm_reference
from edgernn.errors import EdgernnError

PUBLISHED_PARAMETERS = {
    "simple0": 5, "simple1": 8288, "simple2": 32960, "shakespeare1": 12513,
    "shakespeare2": 37249, "lstm": 26912, "gru": 20896,
}


def test_fourteen_entries_seven_models_two_variants():
    reference = load_tflm_reference()
    assert (reference.board, reference.clock_hz, reference.framework) == ("NUCLEO-L4R5ZI", 120_000_000, "TFLM")
    assert len(reference.figures) == 14
    for model, parameters in PUBLISHED_PARAMETERS.items():
        for variant in ("float32", "int8"):
            assert reference.get(model, variant).parameters == parameters
    assert reference.get("lstm", "int16x8") is None


def test_published_figures_and_their_remarks():
    reference = load_tflm_reference()
    lstm = reference.get("lstm", "int8")
    assert (lstm.macs, lstm.error, lstm.exe_ms, lstm.flash_kb, lstm.ram_kb) == (
        2702400, 0.013989, 565.3515, 769.8203125, 258.359375)
    assert lstm.flash_bytes == 788296 and lstm.ram_bytes == 264560
    simple2 = reference.get("simple2", "float32")
    assert simple2.out_of_memory and simple2.exe_ms is None and simple2.flash_kb is None
    simple1 = reference.get("simple1", "int8")
    assert simple1.exe_ms == reference.get("simple2", "int8").exe_ms == 292.9049
    assert simple1.alt_exe_ms == 129.6 and "copy error" in simple1.note
    assert sum(f.out_of_memory for f in reference.figures) == 1


def test_target_names_match_the_board_loosely():
    reference = load_tflm_reference()
    assert reference.matches_target("nucleo-l4r5zi") and reference.matches_target("NUCLEO_L4R5ZI")
    assert not reference.matches_target("host") and not reference.matches_target("nucleo-f746zg")


@pytest.mark.parametrize(
    "figures",
    [
        "[{model: a, variant: int8, parameters: 1, macs: 1}]",
        "[{model: a, variant: int8, parameters: 1, macs: 1, out_of_memory: true, exe_ms: 1.0}]",
        "[{model: a, variant: int8, parameters: 1, macs: 1, error: 0, exe_ms: 1, flash_kb: 1, ram_kb: 1, speed: 2}]",
    ],
)
def test_malformed_reference_files_are_user_errors(figures):
    text = f"source: s\nframework: F\nboard: B\ncpu: C\nclock_hz: 1\nfigures: {figures}\n"
    with pytest.raises(EdgernnError, match="invalid TFLM reference figures"):
        parse_tflm_reference(text)
