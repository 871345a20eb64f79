"""What every importer shares: the registry, the error type, and the chain builder.

An importer reads one framework's model and describes it to a :class:`ChainBuilder` layer by
layer (embedding, recurrent layers, dense layers, activations, "take the last step"), already
converted to the canonical weight layout of :mod:`edgernn.ir.kinds`. The builder checks that the
layers form a model the IR can express (see :mod:`edgernn.spec.schema`), collects everything it
cannot express so that one error lists all of it, and builds a validated :class:`Graph`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from edgernn.errors import EdgernnError
from edgernn.ir.build import node_plan
from edgernn.ir.graph import Graph, Node, Tensor, validate_graph
from edgernn.spec.schema import RECURRENT_TYPES, ModelSpec

F32 = np.float32


class ModelImportError(EdgernnError):
    """A model file or module is readable but holds something edgernn cannot express.

    Corrupt, truncated or incomplete files raise :class:`edgernn.errors.ModelFileError` instead.
    """


@dataclass(frozen=True)
class Importer:
    """One registered model format.

    Attributes:
        name: format name (``keras``, ``keras-h5``, ``onnx``, ``torch``).
        description: one line for documentation and error messages.
        suffixes: file name endings this format is chosen for (lower case, with the dot).
        load: ``(source, **options) -> Graph``; ``source`` is a path, or an object for
            in-memory formats.
        accepts: for in-memory formats, ``(obj) -> bool``; None for file-only formats.
        magic: leading bytes identifying a file of this format whatever its name.
    """

    name: str
    description: str
    suffixes: tuple[str, ...]
    load: Callable[..., Graph]
    accepts: Callable[[Any], bool] | None = None
    magic: bytes | None = None


IMPORTERS: dict[str, Importer] = {}


def register_importer(importer: Importer) -> Importer:
    """Add a format to the registry (one call per format, at import)."""
    if importer.name in IMPORTERS:
        raise ValueError(f"importer {importer.name!r} registered twice")
    IMPORTERS[importer.name] = importer
    return importer


def c_identifier(text: str, fallback: str = "imported") -> str:
    """``text`` made into a C identifier usable as a model name."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", text).strip("_") or fallback
    return f"m_{name}" if name[0].isdigit() else name


@dataclass
class _Layer:
    kind: str
    attrs: dict[str, Any]
    weights: dict[str, np.ndarray]
    origin: str


@dataclass
class ChainBuilder:
    """Collects the layers of an imported model and builds its IR graph.

    Importers call :meth:`unsupported` for each thing they cannot import and carry on, so the
    final :meth:`build` reports every problem in one :class:`ModelImportError`.

    Attributes:
        source: what is imported (a file name or a module class), for messages.
        supported: the list of supported layers/operators, quoted in the error message.
    """

    source: str
    supported: str
    features: int | None = None
    vocabulary: int | None = None
    layers: list[_Layer] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    last_step: bool = False

    # -- problems -----------------------------------------------------------------------------

    def unsupported(self, where: str, what: str) -> None:
        """Record that ``where`` (a layer/operator with its position) holds ``what``."""
        self.problems.append(f"{where}: {what}")

    def fail(self) -> None:
        """Raise the collected problems, if any, as one ModelImportError."""
        if self.problems:
            listed = "; ".join(self.problems)
            raise ModelImportError(
                f"{self.source}: cannot import {len(self.problems)} unsupported "
                f"item{'s' if len(self.problems) > 1 else ''}: {listed}. "
                f"Supported: {self.supported}"
            )

    # -- layers -------------------------------------------------------------------------------

    @property
    def _has_recurrent(self) -> bool:
        return any(layer.kind != "dense" and layer.kind != "embedding" for layer in self.layers)

    @property
    def recurrent_count(self) -> int:
        """Number of recurrent layers added so far."""
        return sum(layer.kind in RECURRENT_TYPES for layer in self.layers)

    @property
    def last_recurrent_bidirectional(self) -> bool:
        """True when the last recurrent layer added is a bidirectional wrapper."""
        recurrent = [layer for layer in self.layers if layer.kind in RECURRENT_TYPES]
        return bool(recurrent) and recurrent[-1].kind == "bidirectional"

    @staticmethod
    def _output_width(attrs: dict[str, Any]) -> int:
        """Output width of a layer from its spec attributes (an LSTM projection, a wrapper)."""
        if "layer" in attrs:  # bidirectional
            inner = ChainBuilder._output_width(attrs["layer"])
            return 2 * inner if attrs.get("merge", "concat") == "concat" else inner
        return int(attrs.get("projection") or attrs["units"])

    @property
    def width(self) -> int | None:
        """Width of the current output (None before the first layer of a feature input)."""
        for layer in reversed(self.layers):
            if layer.kind == "embedding":
                return layer.weights["table"].shape[1]
            if "units" in layer.attrs or "layer" in layer.attrs:
                return self._output_width(layer.attrs)
        return self.features

    def add_embedding(self, table: np.ndarray, origin: str) -> None:
        """An embedding table ``(vocabulary, dim)``; must be the first layer."""
        if self.layers:
            self.unsupported(origin, "an embedding is only supported as the first layer")
            return
        self.vocabulary = int(table.shape[0])
        self.layers.append(
            _Layer("embedding", {"vocabulary": self.vocabulary, "dim": int(table.shape[1])},
                   {"table": table}, origin)
        )

    def add_recurrent(
        self, kind: str, weights: dict[str, np.ndarray], origin: str, **attrs: Any
    ) -> None:
        """A recurrent layer (``rnn``, ``lstm``, ``gru``) in the canonical layout.

        Its input width is taken from ``weights["w_x"]``; ``return_sequences`` defaults to True
        and is switched off by :meth:`take_last_step`. An LSTM with peepholes or a projection
        passes ``units`` (and ``peephole``, ``projection``) in ``attrs`` and the ``lstmp``
        weights (its ``w_h`` has ``projection`` columns).
        """
        self._add_recurrent(kind, weights, origin, attrs)

    def add_bidirectional(
        self, kind: str, forward: dict[str, np.ndarray], backward: dict[str, np.ndarray],
        origin: str, merge: str = "concat", **attrs: Any
    ) -> None:
        """A bidirectional wrapper of a recurrent ``kind`` (attributes as :meth:`add_recurrent`);
        ``forward``/``backward`` are the two directions' canonical weights."""
        weights = {f"fw_{k}": v for k, v in forward.items()}
        weights |= {f"bw_{k}": v for k, v in backward.items()}
        self._add_recurrent(kind, weights, origin, attrs, merge=merge)

    def _add_recurrent(self, kind: str, weights: dict[str, np.ndarray], origin: str,
                       attrs: dict[str, Any], merge: str | None = None) -> None:
        if self.last_step:
            self.unsupported(origin, "a recurrent layer after the time axis was reduced to its "
                             "last step (only the last recurrent layer may return one step)")
            return
        if any(layer.kind == "dense" for layer in self.layers):
            self.unsupported(origin, "a recurrent layer after a dense layer (dense layers must "
                             "follow the recurrent layers)")
            return
        w_x = weights["w_x"] if merge is None else weights["fw_w_x"]
        w_h = weights["w_h"] if merge is None else weights["fw_w_h"]
        n_in = int(w_x.shape[1])
        # after another problem the chain's widths are unknown: skip the follow-on mismatch
        if self.width is not None and n_in != self.width and not self.problems:
            self.unsupported(origin, f"input width {n_in} != previous output {self.width}")
            return
        if not self.layers and self.features is None:
            self.features = n_in
        layer_attrs = {"units": int(w_h.shape[1]), **attrs, "return_sequences": True}
        if merge is None:
            self.layers.append(_Layer(kind, layer_attrs, weights, origin))
            return
        wrapped = {"type": kind, **layer_attrs}
        self.layers.append(_Layer("bidirectional", {"layer": wrapped, "merge": merge}, weights,
                                  origin))

    def add_dense(self, w: np.ndarray, b: np.ndarray | None, origin: str) -> None:
        """A dense layer ``w`` ``(out, in)``, bias ``b`` (zeros when None), linear for now."""
        if not self._has_recurrent:
            self.unsupported(origin, "a dense layer before the first recurrent layer (the IR "
                             "applies dense layers after the recurrent ones)")
            return
        if self.width is not None and w.shape[1] != self.width and not self.problems:
            self.unsupported(origin, f"input width {w.shape[1]} != previous output {self.width}")
            return
        bias = np.zeros(w.shape[0], dtype=F32) if b is None else b
        self.layers.append(
            _Layer("dense", {"units": int(w.shape[0]), "activation": "linear"},
                   {"w": w, "b": bias}, origin)
        )

    def add_bias(self, b: np.ndarray, origin: str) -> None:
        """Add ``b`` (broadcast to the width) to the bias of the preceding linear dense layer."""
        last = self.layers[-1] if self.layers else None
        if last is None or last.kind != "dense" or last.attrs["activation"] != "linear":
            self.unsupported(origin, "an addition that is not the bias of a dense layer")
            return
        values = np.asarray(b, dtype=F32).reshape(-1)
        if values.size not in (1, last.attrs["units"]):
            self.unsupported(origin, f"a bias of {values.size} values for width "
                             f"{last.attrs['units']}")
            return
        last.weights["b"] = (last.weights["b"] + values).astype(F32)

    def set_activation(self, activation: str, origin: str) -> None:
        """Apply ``activation`` to the preceding dense layer (which must still be linear)."""
        last = self.layers[-1] if self.layers else None
        if activation == "linear":
            return
        if last is None or last.kind != "dense":
            self.unsupported(origin, f"activation {activation} not directly after a dense layer")
            return
        if last.attrs["activation"] != "linear":
            self.unsupported(origin, f"activation {activation} after activation "
                             f"{last.attrs['activation']}")
            return
        last.attrs["activation"] = activation

    def take_last_step(self, origin: str) -> None:
        """Keep only the last time step of the output (``return_sequences=False``).

        Dense layers act on each step independently, so taking the last step after them is the
        same as taking it after the last recurrent layer.
        """
        recurrent = [layer for layer in self.layers if layer.kind in RECURRENT_TYPES]
        if not recurrent:
            self.unsupported(origin, "taking the last time step before any recurrent layer")
            return
        if self.last_step:
            self.unsupported(origin, "taking the last time step twice")
            return
        self.last_step = True
        last = recurrent[-1].attrs
        (last["layer"] if "layer" in last else last)["return_sequences"] = False

    # -- the graph ----------------------------------------------------------------------------

    def build(
        self, name: str, sequence_length: int | None, metadata: dict[str, Any] | None = None
    ) -> Graph:
        """The validated IR graph of the collected layers.

        Raises:
            ModelImportError: something unsupported was recorded, there is no recurrent layer,
                or the sequence length is unknown.
        """
        if not self._has_recurrent and not self.problems:
            self.unsupported("model", "no recurrent layer (SimpleRNN/RNN, LSTM or GRU)")
        self.fail()
        if sequence_length is None:
            raise ModelImportError(
                f"{self.source}: the model does not fix its sequence length; pass "
                "sequence_length= (CLI: --sequence-length)"
            )
        first = self.layers[0]
        if first.kind == "embedding":
            model_input = {"vocabulary": first.attrs["vocabulary"], "embedding": first.attrs["dim"]}
            body = self.layers[1:]
        else:
            model_input = {"features": int(self.features)}
            body = self.layers
        doc = {
            "name": c_identifier(name),
            "description": f"imported from {self.source}",
            "input": model_input,
            "sequence_length": int(sequence_length),
            "layers": [{"type": layer.kind, **layer.attrs} for layer in body],
        }
        try:
            spec = ModelSpec.model_validate(doc)
        except ValidationError as exc:
            detail = "; ".join(err["msg"] for err in exc.errors())
            raise ModelImportError(f"{self.source}: not expressible as an edgernn model: "
                                   f"{detail}") from None
        nodes = []
        for (node_name, kind, attrs, n_in), layer in zip(node_plan(spec), self.layers,
                                                         strict=True):
            weights = {
                k: Tensor(np.ascontiguousarray(v, dtype=F32)) for k, v in layer.weights.items()
            }
            nodes.append(Node(name=node_name, kind=kind, attrs=attrs, input_size=n_in,
                              weights=weights))
        graph = Graph(spec=spec, nodes=nodes, metadata=dict(metadata or {}))
        graph.metadata.setdefault("imported_layers", [layer.origin for layer in self.layers])
        validate_graph(graph)
        return graph


def source_name(source: Any) -> str:
    """Short name of a path or object, for messages."""
    if isinstance(source, str | Path):
        return Path(source).name
    return type(source).__name__


def resolve_sequence_length(
    source: str, from_model: int | None, requested: int | None
) -> int | None:
    """The sequence length: the model's own, or ``requested`` when the model leaves it open.

    Raises:
        ModelImportError: both are given and differ.
    """
    if from_model is not None and requested is not None and int(from_model) != int(requested):
        raise ModelImportError(
            f"{source}: the model fixes the sequence length to {from_model}, but "
            f"sequence_length={requested} was requested"
        )
    return int(from_model) if from_model is not None else requested
