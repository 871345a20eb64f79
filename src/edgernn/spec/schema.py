"""Pydantic schema of a model spec file (YAML).

A spec describes one model: its input, sequence length, a stack of recurrent layers followed by
dense layers applied at every time step, and optionally how to train it. Example::

    name: simple1
    input: {features: 32}
    sequence_length: 100
    layers:
      - {type: rnn, units: 64}
      - {type: dense, units: 32, activation: linear}
    training: {dataset: randomset_seq, epochs: 10}
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, model_validator

Activation = Literal["linear", "relu", "sigmoid", "tanh", "softmax"]


class _Strict(BaseModel):
    """Base: unknown keys are errors, values are not coerced between types."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class InputSpec(_Strict):
    """Model input: a feature vector per step, or a token id per step looked up in an embedding."""

    features: PositiveInt | None = None
    vocabulary: PositiveInt | None = None
    embedding: PositiveInt | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> InputSpec:
        if self.features is not None and (self.vocabulary or self.embedding):
            raise ValueError("give either 'features' or 'vocabulary' + 'embedding', not both")
        if self.features is None and (self.vocabulary is None or self.embedding is None):
            raise ValueError("give 'features', or both 'vocabulary' and 'embedding'")
        return self

    @property
    def is_tokens(self) -> bool:
        """True when the input is a token id per step (embedding lookup)."""
        return self.features is None


class _LayerSpec(_Strict):
    """Base of the layer specs: the IR layer kind a layer becomes (``edgernn.ir.kinds``)."""

    @property
    def ir_kind(self) -> str:
        """Name of the registered IR layer kind of this layer (its ``type`` unless overridden)."""
        return self.type  # type: ignore[attr-defined]

    def ir_attrs(self) -> dict:
        """The IR node attributes of this layer: its fields but ``type``, unset ones left out."""
        return self.model_dump(exclude={"type"}, exclude_none=True)


class RnnLayerSpec(_LayerSpec):
    """Elman recurrent layer with tanh: h = tanh(W x + U h + b)."""

    type: Literal["rnn"]
    units: PositiveInt
    return_sequences: bool = True


class LstmLayerSpec(_LayerSpec):
    """LSTM layer (sigmoid gates, tanh cell and output activations).

    ``peephole`` adds connections from the cell state to the gates (survey Section III-B2):
    ``diagonal`` (vectors ``p_i``, ``p_f``, ``p_o``; the widely used form) or ``full``
    (``units x units`` matrices); ``i`` and ``f`` see ``c(t-1)``, ``o`` sees ``c(t)``.
    ``projection: p`` adds a projection layer (survey Section III-B4, Sak et al. 2014):
    ``h(t) = W_p (o * tanh(c(t)))`` with ``p < units`` values, which is both the layer's output
    and the recurrent input of the next step. Either makes the layer the IR kind ``lstmp``.
    """

    type: Literal["lstm"]
    units: PositiveInt
    return_sequences: bool = True
    peephole: Literal["diagonal", "full"] | None = None
    projection: PositiveInt | None = None

    @model_validator(mode="after")
    def _projection_smaller(self) -> LstmLayerSpec:
        if self.projection is not None and self.projection >= self.units:
            raise ValueError(
                f"projection ({self.projection}) must be smaller than units ({self.units}): "
                "a projection layer exists to shrink the recurrent state"
            )
        return self

    @property
    def ir_kind(self) -> str:
        """``lstmp`` with a peephole or a projection, else ``lstm``."""
        return "lstm" if self.peephole is None and self.projection is None else "lstmp"


class GruLayerSpec(_LayerSpec):
    """GRU layer; ``reset_after`` selects Keras' default (True, as PyTorch) or the original form."""

    type: Literal["gru"]
    units: PositiveInt
    reset_after: bool = True
    return_sequences: bool = True


class QrnnLayerSpec(_LayerSpec):
    """Quasi-RNN with fo-pooling (Bradbury et al. 2017; survey Section III-B6).

    ``z, f, o = tanh, σ, σ`` of a masked convolution of width ``kernel_size`` over the inputs
    ``x(t-k+1) .. x(t)`` (zeros before the start), ``c = f c + (1-f) z``, ``h = o c``.
    ``window``: time steps whose input convolutions the generated ``NAME_run`` computes as one
    matrix-matrix product (1: step by step); it changes speed, never results. Only a first
    layer reading the model's features knows its next inputs: there it defaults to
    :data:`DEFAULT_WINDOW`, elsewhere it must be 1 (the default).
    """

    type: Literal["qrnn"]
    units: PositiveInt
    kernel_size: PositiveInt = 2
    window: PositiveInt = 1
    return_sequences: bool = True


class SruLayerSpec(_LayerSpec):
    """Simple Recurrent Unit in the survey's form (Lei et al. 2018; survey Section III-B6).

    ``f = σ(W_f x + v_f c + b_f)``, ``r = σ(W_r x + v_r c + b_r)``, ``c = f c + (1-f) W x``,
    ``h = r c + (1-r) x``. With an input size other than ``units`` the highway is projected
    (Lei et al.): ``h = r c + (1-r) W_hw x``, ``W_hw`` a fourth block of input rows without
    bias; equal sizes keep ``x`` itself. ``window`` as for QRNN.
    """

    type: Literal["sru"]
    units: PositiveInt
    window: PositiveInt = 1
    return_sequences: bool = True


class DenseLayerSpec(_LayerSpec):
    """Fully connected layer applied at every time step."""

    type: Literal["dense"]
    units: PositiveInt
    activation: Activation = "linear"


RecurrentLayerSpec = Annotated[
    RnnLayerSpec | LstmLayerSpec | GruLayerSpec | QrnnLayerSpec | SruLayerSpec,
    Field(discriminator="type"),
]


class BidirectionalLayerSpec(_LayerSpec):
    """A recurrent layer run over the sequence forwards and backwards (survey Section III-B5).

    ``layer`` is any recurrent layer, ``qrnn`` and ``sru`` with ``window: 1`` (its
    ``return_sequences`` is the wrapper's, as in Keras);
    the backward copy has its own weights and reads the sequence from the last step to the
    first. ``merge: concat`` puts the forward outputs before the backward ones (twice the
    width); ``sum`` adds them. With ``return_sequences: false`` the output is the forward
    layer's last step and the backward layer's last step (the first input step), as Keras.
    The IR kind is ``bidirectional`` (docs/ir.md); a model with one only has a whole-sequence
    C API (``NAME_run``).
    """

    type: Literal["bidirectional"]
    layer: RecurrentLayerSpec
    merge: Literal["concat", "sum"] = "concat"

    @model_validator(mode="after")
    def _window_1(self) -> BidirectionalLayerSpec:
        # the wrapper's NAME_run steps both directions one step at a time (model_seq.c.j2):
        # a qrnn/sru inside it computes its input side per step (window 1)
        window = getattr(self.layer, "window", 1)
        if window != 1:
            raise ValueError(
                f"window: {window}: a {self.layer.type} layer inside bidirectional runs step "
                "by step (window 1)"
            )
        return self

    @property
    def return_sequences(self) -> bool:
        """The wrapped layer's ``return_sequences``."""
        return self.layer.return_sequences

    def ir_attrs(self) -> dict:
        """``merge``, ``return_sequences`` and the wrapped layer as ``{kind, attrs}``."""
        return {
            "merge": self.merge,
            "return_sequences": self.layer.return_sequences,
            "layer": {"kind": self.layer.ir_kind, "attrs": self.layer.ir_attrs()},
        }


LayerSpec = Annotated[
    RnnLayerSpec | LstmLayerSpec | GruLayerSpec | QrnnLayerSpec | SruLayerSpec
    | BidirectionalLayerSpec | DenseLayerSpec,
    Field(discriminator="type"),
]
RECURRENT_TYPES = ("rnn", "lstm", "gru", "qrnn", "sru", "bidirectional")
WINDOWED_TYPES = ("qrnn", "sru")
#: Default ``window`` of a first ``qrnn``/``sru`` layer reading the model's features.
DEFAULT_WINDOW = 4


class TrainingSpec(_Strict):
    """How ``edgernn train`` trains the model; every field has a default."""

    dataset: str = "randomset_seq"
    samples: PositiveInt = 1000
    test_fraction: float = Field(default=0.2, gt=0.0, lt=1.0)
    epochs: PositiveInt = 10
    batch_size: PositiveInt = 32
    learning_rate: float = Field(default=1e-3, gt=0.0)
    seed: int = 42


class ModelSpec(_Strict):
    """A whole model spec file."""

    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    description: str = ""
    input: InputSpec
    sequence_length: PositiveInt
    layers: list[LayerSpec] = Field(min_length=1)
    training: TrainingSpec = TrainingSpec()

    @model_validator(mode="after")
    def _layer_order(self) -> ModelSpec:
        recurrent = [i for i, lay in enumerate(self.layers) if lay.type in RECURRENT_TYPES]
        if not recurrent:
            raise ValueError(
                "layers: at least one recurrent layer (rnn, lstm, gru, bidirectional) is needed"
            )
        if recurrent != list(range(len(recurrent))):
            raise ValueError("layers: recurrent layers must come first, then dense layers")
        for i in recurrent[:-1]:
            if not self.layers[i].return_sequences:
                raise ValueError(
                    f"layers.{i}: only the last recurrent layer may set return_sequences: false"
                )
        return self

    @model_validator(mode="before")
    @classmethod
    def _default_window(cls, data: Any) -> Any:
        layers = data.get("layers") if isinstance(data, dict) else None
        if not isinstance(layers, list) or not layers or not isinstance(layers[0], dict):
            return data
        first = layers[0]
        features = isinstance(data.get("input"), dict) and "features" in data["input"]
        if first.get("type") in WINDOWED_TYPES and features and "window" not in first:
            return {**data, "layers": [{**first, "window": DEFAULT_WINDOW}, *layers[1:]]}
        return data

    @model_validator(mode="after")
    def _window_reads_model_input(self) -> ModelSpec:
        for i, layer in enumerate(self.layers):
            window = getattr(layer, "window", 1)
            if window > 1 and (i > 0 or self.input.is_tokens):
                raise ValueError(
                    f"layers.{i}: window: {window} needs the layer to read the model's features "
                    "(the first layer): other layers get their next inputs one step at a time"
                )
        return self
