"""Bad specs are refused with one line naming the source, the field and the problem."""

import pytest

from edgernn.errors import SpecError
from edgernn.spec import load_spec, parse_spec, zoo_names

VALID = """
name: m
input: {features: 4}
sequence_length: 10
layers:
  - {type: lstm, units: 8}
  - {type: dense, units: 4, activation: linear}
"""


def test_zoo_has_the_seven_edgemark_models():
    assert zoo_names() == [
        "gru", "lstm", "shakespeare1", "shakespeare2", "simple0", "simple1", "simple2"
    ]
    for name in zoo_names():
        assert load_spec(name).name == name


def test_valid_spec_parses_with_defaults():
    spec = parse_spec(VALID)
    assert spec.layers[0].return_sequences is True
    assert spec.training.dataset == "randomset_seq"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (VALID.replace("type: lstm", "type: conv1d"), "layers.0: unknown layer type 'conv1d'"),
        (VALID.replace("units: 8", "units: 0"), "layers.0.lstm.units: Input should be greater than 0"),
        (VALID.replace("units: 8", "units: eight"), "layers.0.lstm.units: Input should be a valid integer"),
        (VALID.replace("sequence_length: 10\n", ""), "sequence_length: Field required"),
        (VALID.replace("sequence_length: 10", "sequence_length: 10\ncolour: red"), "colour: unknown key"),
        (VALID.replace("units: 8}", "units: 8, dropout: 0.1}"), "layers.0.lstm.dropout: unknown key"),
        (VALID.replace("activation: linear", "activation: swish"), "layers.1.dense.activation: Input should be"),
        (VALID.replace("{features: 4}", "{vocabulary: 65}"), "input: give 'features', or both"),
        ("[1, 2]", "a spec must be a YAML mapping"),
        ("name: [unclosed", "not valid YAML"),
    ],
)
def test_bad_spec_message_names_field_and_problem(text, expected):
    with pytest.raises(SpecError) as info:
        parse_spec(text, source="bad.yaml")
    message = str(info.value)
    assert message.startswith("bad.yaml"), message
    assert expected in message, message
    assert "\n" not in message


def test_dense_before_recurrent_is_refused():
    text = VALID.replace(
        "  - {type: lstm, units: 8}\n  - {type: dense, units: 4, activation: linear}",
        "  - {type: dense, units: 4}\n  - {type: lstm, units: 8}",
    )
    with pytest.raises(SpecError, match="recurrent layers must come first"):
        parse_spec(text, source="bad.yaml")


def test_unknown_model_name_lists_builtins():
    with pytest.raises(SpecError, match="built-in: gru, lstm"):
        load_spec("no_such_model")
