"""Deployment variants the benchmark knows: how to turn the trained float graph into the graph
that is deployed, and how to evaluate the deployed arithmetic on the whole test set.

The task metric of a deployed variant is computed with the golden model of that variant (the
float32 or the integer reference) over the test split: the simulated firmware is shown to agree
with that golden model on the check inputs (float32 within 1e-5, integers bit-exactly), and
simulating every test sequence instruction by instruction would take hours.

The float32 variant deploys the float graph after the default float passes
(:data:`edgernn.passes.FLOAT32_PASSES`: ``fold_embedding_projection``); the benchmark still
counts parameters and MACs on, and compares outputs with, the original float graph
(:mod:`edgernn.bench.pipeline`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from edgernn.data import Dataset
from edgernn.errors import EdgernnError
from edgernn.ir import Graph
from edgernn.passes import FLOAT32_PASSES, run_passes
from edgernn.reference import run_reference


@dataclass(frozen=True)
class DeployVariant:
    """One numeric variant of a deployed model.

    Attributes:
        name: the code generation variant (``float32``, ``int8``, ...).
        prepare: (float graph, calibration inputs) -> the graph to generate code for.
        predict: (deployed graph, inputs) -> float outputs of the variant's golden model.
    """

    name: str
    prepare: Callable[[Graph, np.ndarray], Graph]
    predict: Callable[[Graph, np.ndarray], np.ndarray]


DEPLOY_VARIANTS: dict[str, DeployVariant] = {}


def register_deploy_variant(variant: DeployVariant) -> DeployVariant:
    """Add a variant to the benchmark's registry."""
    DEPLOY_VARIANTS[variant.name] = variant
    return variant


def get_deploy_variant(name: str) -> DeployVariant:
    """The registered variant ``name``; a clear error listing the known ones otherwise."""
    try:
        return DEPLOY_VARIANTS[name]
    except KeyError:
        known = ", ".join(sorted(DEPLOY_VARIANTS))
        raise EdgernnError(f"unknown variant {name!r} (known: {known})") from None


def _float32_prepare(graph: Graph, _calibration: np.ndarray) -> Graph:
    """The float graph after the default float passes (a new graph; ``graph`` is unchanged)."""
    return run_passes(graph, FLOAT32_PASSES)


register_deploy_variant(
    DeployVariant(name="float32", prepare=_float32_prepare, predict=run_reference)
)


def _quantized_predict(qgraph: Graph, xs: np.ndarray) -> np.ndarray:
    """Real-valued outputs of the quantized graph's golden model on float inputs."""
    from edgernn.quant import dequantize_outputs, quantize_inputs
    from edgernn.reference.integer import run_integer_reference

    raw = run_integer_reference(qgraph, quantize_inputs(qgraph, xs))
    return dequantize_outputs(qgraph, raw).astype(np.float32)


def _quantizer(variant: str) -> Callable[[Graph, np.ndarray], Graph]:
    def prepare(graph: Graph, calibration: np.ndarray) -> Graph:
        from edgernn.quant import quantize

        return quantize(graph, variant, calibration)

    return prepare


for _name in ("int8", "int16x8", "int8-weights"):
    register_deploy_variant(
        DeployVariant(name=_name, prepare=_quantizer(_name), predict=_quantized_predict)
    )


def task_metric(
    variant: DeployVariant, graph: Graph, data: Dataset, batch: int = 256
) -> tuple[str, float]:
    """The variant's test-set metric: ``("test_mse", value)`` or ``("test_accuracy", value)``."""
    outputs = np.concatenate(
        [variant.predict(graph, data.x_test[i : i + batch]) for i in range(0, data.n_test, batch)]
    )
    if data.task == "classification":
        return "test_accuracy", float(np.mean(np.argmax(outputs, axis=-1) == data.y_test))
    return "test_mse", float(np.mean((outputs.astype(np.float64) - data.y_test) ** 2))
