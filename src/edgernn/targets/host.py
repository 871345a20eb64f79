"""Host target: compile a generated model with the system C compiler, run it, compare.

:func:`build_host` generates the model's C library plus a small harness (``host_main.c``, from
``targets/templates/host_main.c.j2``) and compiles them with ``gcc -std=c99 -Wall -Wextra
-Werror -pedantic -Wdouble-promotion -O2``. :meth:`HostBuild.run` feeds raw input sequences
through ``NAME_run`` (or ``NAME_step`` step by step) and reads back raw float32 outputs.
:func:`check_on_host` is what ``edgernn check`` calls: host outputs against the golden model
(:func:`edgernn.reference.run_reference`), with the float tolerance of the float32 variant.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import jinja2
import numpy as np

from edgernn import __version__
from edgernn.codegen import GeneratedModel, generate_c, get_variant
from edgernn.errors import BuildError, EdgernnError, VerificationError
from edgernn.ir.bidirectional import needs_whole_sequence
from edgernn.ir.graph import Graph
from edgernn.quant.params import graph_variant, is_quantized, quantize_inputs
from edgernn.reference import ReferenceModel, run_reference
from edgernn.reference.integer import golden_steps, run_integer_reference

# Absolute tolerance of float32 generated code against the float32 golden model.
FLOAT_TOLERANCE = 1e-5

HOST_CFLAGS: tuple[str, ...] = (
    "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-Wdouble-promotion", "-O2",
)

# NumPy dtype of each generated element type (what the harness reads and writes raw).
ELEMENT_DTYPES = {"float": "<f4", "int8_t": "<i1", "int16_t": "<i2"}

RUN_TIMEOUT_S = 120
COMPILE_TIMEOUT_S = 300

Mode = Literal["run", "step"]



class HostInputError(EdgernnError, ValueError):
    """Inputs given to a host run do not fit the model (shape, sequence length, token ids)."""


_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("edgernn.targets", "templates"),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
    autoescape=False,
)


def find_compiler(cc: str | None = None) -> str:
    """Path of the host C compiler: ``cc``, else ``$CC``, else ``gcc`` on PATH.

    Raises:
        BuildError: the compiler cannot be found.
    """
    name = cc or os.environ.get("CC") or "gcc"
    path = shutil.which(name)
    if path is None:
        raise BuildError(f"C compiler {name!r} not found on PATH (install gcc or set CC)")
    return path


def random_inputs(graph: Graph, sequences: int = 10, seed: int = 0) -> np.ndarray:
    """Random check inputs for ``graph``: uniform [-1, 1) features, or uniform token ids.

    Returns:
        ``(sequences, steps, features)`` float32, or ``(sequences, steps)`` int32 token ids.
    """
    rng = np.random.default_rng(seed)
    steps = graph.sequence_length
    if graph.tokens_input:
        vocabulary = int(graph.nodes[0].attrs["vocabulary"])
        return rng.integers(0, vocabulary, size=(sequences, steps)).astype(np.int32)
    return rng.uniform(-1.0, 1.0, size=(sequences, steps, graph.input_size)).astype(np.float32)


def _as_model_inputs(graph: Graph, inputs: np.ndarray, dtype: str = "<f4") -> np.ndarray:
    """Inputs as the harness reads them: (sequences, steps[, features]) in the C element type."""
    xs = np.asarray(inputs)
    steps = graph.sequence_length
    if graph.tokens_input:
        if xs.ndim == 3 and xs.shape[-1] == 1:
            xs = xs[..., 0]
        if xs.ndim != 2 or xs.shape[1] != steps:
            raise HostInputError(
                f"{graph.name}: token inputs must have shape (sequences, {steps}), got {xs.shape}"
            )
        if not np.all(xs == np.round(xs)):
            raise HostInputError(f"{graph.name}: token ids must be integers")
        return np.ascontiguousarray(xs, dtype="<i4")
    if xs.ndim != 3 or xs.shape[1:] != (steps, graph.input_size):
        raise HostInputError(
            f"{graph.name}: inputs must have shape (sequences, {steps}, {graph.input_size}), "
            f"got {xs.shape}"
        )
    if np.dtype(dtype).kind == "i":
        info = np.iinfo(dtype)
        if not np.all(xs == np.round(xs)) or xs.min() < info.min or xs.max() > info.max:
            raise HostInputError(
                f"{graph.name}: inputs of a quantized model must be {info.dtype} values "
                "(see edgernn.quant.quantize_inputs)"
            )
    return np.ascontiguousarray(xs, dtype=dtype)


@dataclass(frozen=True)
class HostBuild:
    """A compiled host harness of one generated model.

    Attributes:
        graph: the model it was built from.
        model: the generated C library.
        build_dir: directory holding the harness, the library (``src/``) and the executable.
        executable: the compiled harness.
        compiler_output: everything the compiler printed (empty for a clean build).
    """

    graph: Graph
    model: GeneratedModel
    build_dir: Path
    executable: Path
    compiler_output: str

    def run(self, inputs: np.ndarray, mode: Mode = "run") -> np.ndarray:
        """Run sequences through the compiled model.

        Args:
            inputs: ``(sequences, steps, features)`` floats, or ``(sequences, steps)`` token ids;
                ``steps`` must be the model's sequence length.
            mode: ``"run"`` calls ``NAME_run`` per sequence; ``"step"`` resets and calls
                ``NAME_step`` for every step and returns every step's output.

        Returns:
            ``(sequences, steps, outputs)``, or ``(sequences, outputs)`` for ``run`` on a
            model that outputs only the last step (same shapes as the golden model); float32,
            or the raw int8/int16 outputs of an ``int8``/``int16x8`` model (whose inputs are
            quantized values, :func:`edgernn.quant.quantize_inputs`).

        Raises:
            HostInputError: the inputs do not fit the model.
            BuildError: the harness failed (e.g. a token id out of range).
        """
        dtype = ELEMENT_DTYPES[get_variant(self.model.variant).element_type]
        xs = _as_model_inputs(self.graph, inputs, dtype)
        sequences = xs.shape[0]
        with tempfile.TemporaryDirectory(prefix="run-", dir=self.build_dir) as tmp:
            in_file, out_file = Path(tmp) / "inputs.bin", Path(tmp) / "outputs.bin"
            in_file.write_bytes(xs.tobytes())
            try:
                proc = subprocess.run(
                    [str(self.executable), mode, str(in_file), str(out_file)],
                    capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=False,
                )
            except subprocess.TimeoutExpired:
                raise BuildError(
                    f"host run of {self.graph.name} timed out after {RUN_TIMEOUT_S} s"
                ) from None
            if proc.returncode != 0:
                message = proc.stderr.strip().splitlines()
                detail = message[-1] if message else "no message"
                raise BuildError(
                    f"host run of {self.graph.name} failed (exit {proc.returncode}): {detail}"
                )
            raw = np.fromfile(out_file, dtype=dtype)
        steps, width = self.graph.sequence_length, self.graph.output_size
        if mode == "step" or self.graph.sequential_output:
            shape: tuple[int, ...] = (sequences, steps, width)
        else:
            shape = (sequences, width)
        if raw.size != int(np.prod(shape)):
            raise BuildError(
                f"host run of {self.graph.name}: expected {int(np.prod(shape))} output values, "
                f"got {raw.size}"
            )
        return raw.reshape(shape).astype(np.dtype(dtype).newbyteorder("="))


def build_host(
    graph: Graph,
    build_dir: str | Path | None = None,
    variant: str = "float32",
    cc: str | None = None,
    extra_cflags: tuple[str, ...] = (),
) -> HostBuild:
    """Generate ``graph``'s C library and compile it with a host harness.

    Args:
        graph: the model IR.
        build_dir: where to build (created; the library goes to ``build_dir/src``); a fresh
            temporary directory when None (left in place for the caller to inspect or delete).
        variant: code generation variant.
        cc: C compiler (default ``$CC`` or ``gcc``).
        extra_cflags: flags appended to :data:`HOST_CFLAGS`.

    Returns:
        The build; call :meth:`HostBuild.run` to execute it.

    Raises:
        BuildError: unsupported model or variant, compiler missing, or compilation failed (the
            message carries the compiler's first error lines).
    """
    compiler = find_compiler(cc)
    root = Path(tempfile.mkdtemp(prefix=f"edgernn-host-{graph.name}-")) if build_dir is None \
        else Path(build_dir)
    root.mkdir(parents=True, exist_ok=True)
    model = generate_c(graph, root / "src", variant=variant)
    element_type = get_variant(variant).element_type
    # float32 keeps its harness file; other variants use the typed harness below (to move into
    # targets/templates once the targets work settles).
    template = _ENV.get_template("host_main.c.j2") if variant == "float32" else \
        _ENV.from_string(_TYPED_HARNESS)
    harness = template.render(
        name=model.name, macro=model.name.upper(), version=__version__,
        spec_hash=model.spec_hash, weights_hash=model.weights_hash,
        tokens_input=model.tokens_input, io_type=element_type, variant=variant,
    )
    main_file = root / "host_main.c"
    main_file.write_text(harness, encoding="utf-8")
    executable = root / f"{model.name}_host"
    command = [
        compiler, *HOST_CFLAGS, *extra_cflags, "-I", str(model.out_dir), str(main_file),
        *(str(p) for p in model.c_sources), "-o", str(executable), "-lm",
    ]
    try:
        proc = subprocess.run(
            command, capture_output=True, text=True, timeout=COMPILE_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        raise BuildError(f"compiling {graph.name} timed out after {COMPILE_TIMEOUT_S} s") from None
    output = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0:
        errors = [line for line in output.splitlines() if "error" in line] or output.splitlines()
        summary = errors[0] if errors else f"exit code {proc.returncode}"
        raise BuildError(f"compiling {graph.name} for the host failed: {summary}")
    return HostBuild(
        graph=graph, model=model, build_dir=root, executable=executable, compiler_output=output
    )


def reference_steps(graph: Graph, inputs: np.ndarray) -> np.ndarray:
    """Golden outputs of every time step, ``(sequences, steps, outputs)``, from zero state.

    Unlike :func:`run_reference` this keeps every step even when the model outputs only the
    last one; it is what ``NAME_step`` must produce step by step. A quantized graph takes
    quantized inputs and uses the integer golden model.
    """
    if is_quantized(graph):
        return golden_steps(graph, inputs)
    xs = np.asarray(inputs)
    if xs.ndim == 2:
        xs = xs[..., None]
    ref = ReferenceModel(graph, batch=xs.shape[0])
    return np.stack([ref.step(xs[:, t]) for t in range(xs.shape[1])], axis=1)


def _max_abs_diff(a: np.ndarray, b: np.ndarray) -> float:
    if a.shape != b.shape:
        return float("inf")
    return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)), initial=0.0))


@dataclass(frozen=True)
class HostCheck:
    """Outcome of :func:`check_on_host`.

    Attributes:
        model: model name.
        variant: code generation variant checked.
        inputs: the check sequences.
        outputs: host ``NAME_run`` outputs (same shape as ``reference``).
        reference: golden model outputs (:func:`run_reference`).
        step_outputs: host ``NAME_step`` outputs of every step (no values for a model with a
            bidirectional layer, which has no streaming API: its step error is 0).
        run_max_abs_error: max |outputs - reference|.
        step_max_abs_error: max |step_outputs - golden step outputs|.
        tolerance: the absolute tolerance applied.
        compiler_output: compiler messages (empty for a clean build).
    """

    model: str
    variant: str
    inputs: np.ndarray
    outputs: np.ndarray
    reference: np.ndarray
    step_outputs: np.ndarray
    run_max_abs_error: float
    step_max_abs_error: float
    tolerance: float
    compiler_output: str

    @property
    def max_abs_error(self) -> float:
        """Worst absolute error over both APIs (NaN counts as failure)."""
        return max(self.run_max_abs_error, self.step_max_abs_error)

    @property
    def passed(self) -> bool:
        """True when both APIs agree with the golden model within the tolerance."""
        return bool(self.max_abs_error <= self.tolerance)

    def raise_if_failed(self) -> None:
        """Raise VerificationError with the figures when the check did not pass."""
        if not self.passed:
            raise VerificationError(
                f"{self.model} ({self.variant}) on the host differs from the golden model: "
                f"max |diff| {self.max_abs_error:.3g} > tolerance {self.tolerance:g} "
                f"(run {self.run_max_abs_error:.3g}, step {self.step_max_abs_error:.3g})"
            )


def check_on_host(
    graph: Graph,
    inputs: np.ndarray | None = None,
    *,
    sequences: int = 10,
    seed: int = 0,
    tolerance: float | None = None,
    variant: str | None = None,
    build_dir: str | Path | None = None,
) -> HostCheck:
    """Build ``graph`` for the host, run it through both APIs and compare with the golden model.

    Args:
        graph: the model IR.
        inputs: check sequences (see :meth:`HostBuild.run`); ``sequences`` random ones drawn
            from ``seed`` by :func:`random_inputs` when None.
        sequences: number of random sequences when ``inputs`` is None.
        seed: seed of the random sequences.
        tolerance: absolute tolerance; default 1e-5 for float outputs and 0 (bit-exact) for
            ``int8``/``int16x8``, whose outputs are compared as integers.
        variant: code generation variant; default the graph's own (``float32`` unless it was
            quantized). A quantized graph's float inputs are quantized first
            (:func:`edgernn.quant.quantize_inputs`) and compared with the integer golden model
            (:func:`edgernn.reference.integer.run_integer_reference`).
        build_dir: build directory; a temporary one, deleted afterwards, when None.

    Returns:
        The outputs, the reference and the errors; ``passed`` / ``raise_if_failed()`` judge.

    Raises:
        BuildError: the model cannot be generated, compiled or run on the host.
    """
    xs = random_inputs(graph, sequences, seed) if inputs is None else np.asarray(inputs)
    variant = graph_variant(graph) if variant is None else variant
    if is_quantized(graph):
        xs = quantize_inputs(graph, xs)
    if tolerance is None:
        integer = ELEMENT_DTYPES[get_variant(variant).element_type] != "<f4"
        tolerance = 0.0 if integer else FLOAT_TOLERANCE
    with tempfile.TemporaryDirectory(prefix=f"edgernn-check-{graph.name}-") as tmp:
        build = build_host(graph, build_dir if build_dir is not None else tmp, variant=variant)
        outputs = build.run(xs, "run")
        # a bidirectional layer has no streaming API (NAME_step returns EDGERNN_NEEDS_SEQUENCE)
        whole = needs_whole_sequence(graph)
        step_outputs = outputs[:, :0] if whole else build.run(xs, "step")
    golden = run_integer_reference if is_quantized(graph) else run_reference
    reference = golden(graph, xs)
    return HostCheck(
        model=graph.name,
        variant=variant,
        inputs=xs,
        outputs=outputs,
        reference=reference,
        step_outputs=step_outputs,
        run_max_abs_error=_max_abs_diff(outputs, reference),
        step_max_abs_error=0.0 if whole else _max_abs_diff(step_outputs,
                                                           reference_steps(graph, xs)),
        tolerance=tolerance,
        compiler_output=build.compiler_output,
    )


# Harness of the non-float32 variants: as targets/templates/host_main.c.j2 with the model's
# element type for inputs and outputs (raw values in host byte order).
_TYPED_HARNESS = """\
/*
 * host_main.c - host harness of the generated model {{ name }} ({{ variant }}).
 *
 * Generated by edgernn {{ version }}; do not edit, regenerate instead.
 * Model: {{ name }} (spec hash {{ spec_hash }}, weights hash {{ weights_hash }})
 *
 * Usage: host_main run|step INPUT_FILE OUTPUT_FILE
{% set in_type = "int32_t" if tokens_input else io_type %}
 * INPUT_FILE holds whole sequences back to back, each {{ macro }}_RUN_INPUT_SIZE raw
 * {{ in_type }} values; outputs are raw {{ io_type }} values, as host_main.c.j2.
 */
#include <stdio.h>
#include <string.h>

#include "{{ name }}.h"

static {{ in_type }} inputs[{{ macro }}_RUN_INPUT_SIZE];
static {{ io_type }} outputs[{{ macro }}_SEQUENCE_LENGTH * {{ macro }}_OUTPUT_SIZE];

static edgernn_status run_steps(void)
{
    int32_t t;
    {{ name }}_reset();
    for (t = 0; t < {{ macro }}_SEQUENCE_LENGTH; ++t) {
{% if tokens_input %}
        const edgernn_status status = {{ name }}_step(inputs[t],
{% else %}
        const edgernn_status status = {{ name }}_step(inputs + (size_t)t * {{ macro }}_INPUT_SIZE,
{% endif %}
                                                     outputs + (size_t)t * {{ macro }}_OUTPUT_SIZE);
        if (status != EDGERNN_OK) {
            return status;
        }
    }
    return EDGERNN_OK;
}

int main(int argc, char **argv)
{
    FILE *in;
    FILE *out;
    int step_mode;
    long sequence = 0;
    int code = 0;
    if (argc != 4 || (strcmp(argv[1], "run") != 0 && strcmp(argv[1], "step") != 0)) {
        fprintf(stderr, "usage: %s run|step INPUT_FILE OUTPUT_FILE\\n", argv[0]);
        return 2;
    }
    step_mode = strcmp(argv[1], "step") == 0;
    in = fopen(argv[2], "rb");
    if (in == NULL) {
        fprintf(stderr, "cannot open %s\\n", argv[2]);
        return 2;
    }
    out = fopen(argv[3], "wb");
    if (out == NULL) {
        fprintf(stderr, "cannot create %s\\n", argv[3]);
        fclose(in);
        return 2;
    }
    {{ name }}_init();
    while (fread(inputs, sizeof(inputs[0]), {{ macro }}_RUN_INPUT_SIZE, in) ==
           {{ macro }}_RUN_INPUT_SIZE) {
        const size_t count = step_mode
            ? (size_t){{ macro }}_SEQUENCE_LENGTH * {{ macro }}_OUTPUT_SIZE
            : (size_t){{ macro }}_RUN_OUTPUT_SIZE;
        const edgernn_status status = step_mode ? run_steps() : {{ name }}_run(inputs, outputs);
        if (status != EDGERNN_OK) {
            fprintf(stderr, "sequence %ld: {{ name }} returned status %d\\n", sequence,
                    (int)status);
            code = 3;
            break;
        }
        if (fwrite(outputs, sizeof(outputs[0]), count, out) != count) {
            fprintf(stderr, "cannot write %s\\n", argv[3]);
            code = 2;
            break;
        }
        ++sequence;
    }
    fclose(in);
    if (fclose(out) != 0 && code == 0) {
        code = 2;
    }
    return code;
}
"""
