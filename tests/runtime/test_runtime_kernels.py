"""The C runtime kernels against NumPy and the golden model's cells, on the host via ctypes.

Matrices go to the kernels in the code generator's row-block layout
(:func:`edgernn.codegen.float32.to_row_blocks`). Tolerances: the matrix-vector kernels are
compared bit for bit with a NumPy emulation of their float32 rounding order (one accumulator
per row, columns in order), and with a relative 1e-5 against float64; activations (fast exp,
tests/runtime/test_fast_activations.py) within 1e-6 of NumPy's float32 functions; one cell
step within 1e-5 absolute (the model-level tolerance).
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess

import numpy as np
import pytest

from edgernn.codegen.float32 import FLOAT32, ROW_BLOCK, to_row_blocks
from edgernn.ir.graph import Node, Tensor
from edgernn.ir.kinds import get_kind
from edgernn.reference.activations import ACTIVATIONS
from edgernn.reference.cells import CELLS
from edgernn.runtime import source_files, sources_for
from edgernn.targets import find_compiler

# Declarative plan of the kernel tests: (rows, cols) of the matrix-vector cases ...
MATVEC_SHAPES = [(1, 1), (3, 7), (8, 1), (64, 32), (65, 128), (256, 64), (23, 13)]
# ... and (kind, attrs, input size, seed) of the cell cases.
CELL_CASES = [
    ("rnn", {"units": 1}, 1, 0),
    ("rnn", {"units": 64}, 32, 1),
    ("lstm", {"units": 1}, 1, 2),
    ("lstm", {"units": 64}, 32, 3),
    ("gru", {"units": 1, "reset_after": True}, 1, 4),
    ("gru", {"units": 64, "reset_after": True}, 32, 5),
    ("gru", {"units": 1, "reset_after": False}, 1, 6),
    ("gru", {"units": 64, "reset_after": False}, 32, 7),
    # Projected input (fold_embedding_projection): w_x NULL, the input is gates x units wide.
    ("rnn", {"units": 24, "input_projected": True}, 24, 8),
    ("lstm", {"units": 24, "input_projected": True}, 96, 9),
    ("gru", {"units": 24, "reset_after": True, "input_projected": True}, 72, 10),
    ("gru", {"units": 24, "reset_after": False, "input_projected": True}, 72, 11),
]
ACTIVATION_ENUM = {"linear": 0, "relu": 1, "sigmoid": 2, "tanh": 3, "softmax": 4}
ACTIVATION_ATOL = {"linear": 0.0, "relu": 0.0, "sigmoid": 1e-6, "tanh": 1e-6, "softmax": 1e-6}
STEP_ATOL = 1e-5
STEPS = 5


def f32(array) -> np.ndarray:
    """A contiguous float32 copy."""
    return np.ascontiguousarray(array, dtype=np.float32).copy()


def ptr(array: np.ndarray | None):
    """ctypes float pointer into a float32 array, NULL for None."""
    if array is None:
        return ctypes.POINTER(ctypes.c_float)()
    assert array.dtype == np.float32 and array.flags.c_contiguous
    return array.ctypes.data_as(ctypes.POINTER(ctypes.c_float))


def test_runtime_compiles_without_warnings(runtime) -> None:
    """The whole runtime builds with -Werror plus conversion/prototype warnings, silently."""
    assert runtime.compiler_output == ""


def test_one_public_function_per_file(runtime_objects) -> None:
    """Each edgernn_<op>_<dtype>.c defines exactly the global symbol of its own name."""
    nm = shutil.which("nm")
    if nm is None:
        pytest.skip("nm (binutils) is not installed, cannot list object symbols")
    for stem, obj in runtime_objects.items():
        out = subprocess.run([nm, "-g", "--defined-only", str(obj)], capture_output=True,
                             text=True, check=True).stdout
        symbols = [line.split()[-1] for line in out.splitlines() if line.strip()]
        assert symbols == [stem], f"{obj.name} defines {symbols}"


@pytest.mark.parametrize("function", ["edgernn_embedding_f32", "edgernn_dense_f32",
                                      "edgernn_rnn_step_f32", "edgernn_lstm_step_f32",
                                      "edgernn_gru_step_f32"])
def test_sources_for_is_a_complete_closure(function: str, runtime_objects, tmp_path) -> None:
    """The sources codegen copies for a kernel link on their own with no undefined symbol."""
    objects = [str(runtime_objects[p.stem]) for p in sources_for([function])]
    proc = subprocess.run(
        [find_compiler(), "-shared", "-Wl,--no-undefined", *objects, "-o",
         str(tmp_path / "lib.so"), "-lm"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr


def test_every_source_follows_the_naming_scheme() -> None:
    """File names are edgernn_<op>_<dtype>.c: f32, and s8/s16/s32/w8f32 for the integer kernels."""
    for path in source_files():
        assert path.stem.startswith("edgernn_"), path.name
        assert path.stem.rsplit("_", 1)[1] in {"f32", "s8", "s16", "s32", "w8f32"}, path.name


def sequential_matvec(mats: list[np.ndarray], vecs: list[np.ndarray],
                      bias: np.ndarray | None) -> np.ndarray:
    """The kernels' float32 rounding order in NumPy: per row acc = +0, acc += w * x over the
    columns of each matrix in turn (product rounded, then sum rounded), then + bias."""
    acc = np.zeros(mats[0].shape[0], np.float32)
    for mat, vec in zip(mats, vecs, strict=True):
        for k in range(mat.shape[1]):
            acc = acc + mat[:, k] * vec[k]
    return acc + bias if bias is not None else acc


@pytest.mark.parametrize("rows, cols", MATVEC_SHAPES)
@pytest.mark.parametrize("with_bias", [True, False])
def test_matvec(runtime, rows: int, cols: int, with_bias: bool) -> None:
    rng = np.random.default_rng(rows * 1000 + cols)
    w, x, b = (f32(rng.uniform(-1, 1, size=s)) for s in [(rows, cols), (cols,), (rows,)])
    out = np.zeros(rows, np.float32)
    runtime.edgernn_matvec_f32(ptr(f32(to_row_blocks(w))), ptr(x), ptr(b if with_bias else None),
                               rows, cols, ptr(out))
    assert np.array_equal(out, sequential_matvec([w], [x], b if with_bias else None))
    expected = w.astype(np.float64) @ x + (b if with_bias else 0.0)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("rows, cols", MATVEC_SHAPES)
@pytest.mark.parametrize("cols_b", [0, 1, 9, 64])
def test_matvec_pair(runtime, rows: int, cols: int, cols_b: int) -> None:
    """(A a + B b) + bias in one pass; B may be empty (then its pointers are never read)."""
    rng = np.random.default_rng(rows + cols + cols_b)
    a, x, bm, y, bias = (f32(rng.uniform(-1, 1, size=s)) for s in
                         [(rows, cols), (cols,), (rows, cols_b), (cols_b,), (rows,)])
    out = np.full(rows, np.nan, np.float32)
    runtime.edgernn_matvec_pair_f32(
        ptr(f32(to_row_blocks(a))), ptr(x), cols,
        ptr(f32(to_row_blocks(bm)) if cols_b else None), ptr(y if cols_b else None), cols_b,
        ptr(bias), rows, ptr(out))
    assert np.array_equal(out, sequential_matvec([a, bm], [x, y], bias))
    expected = a.astype(np.float64) @ x + bm.astype(np.float64) @ y + bias
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("rows, n_in, n_h", [(1, 1, 1), (256, 32, 64), (192, 7, 5)])
def test_gates(runtime, rows: int, n_in: int, n_h: int) -> None:
    rng = np.random.default_rng(rows)
    w_x, x, w_h, h, b = (f32(rng.uniform(-1, 1, size=s))
                         for s in [(rows, n_in), (n_in,), (rows, n_h), (n_h,), (rows,)])
    out = np.zeros(rows, np.float32)
    runtime.edgernn_gates_f32(ptr(f32(to_row_blocks(w_x))), ptr(x), n_in,
                              ptr(f32(to_row_blocks(w_h))), ptr(h), n_h, ptr(b), rows, ptr(out))
    assert np.array_equal(out, sequential_matvec([w_x, w_h], [x, h], b))
    expected = w_x.astype(np.float64) @ x + w_h.astype(np.float64) @ h + b
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


def test_row_block_layout_order() -> None:
    """Block of 8 rows column by column, then the leftover rows row-major."""
    w = np.arange(10 * 3, dtype=np.float32).reshape(10, 3)
    flat = to_row_blocks(w)
    assert ROW_BLOCK == 8 and flat.shape == (30,)
    assert list(flat[:8]) == list(w[:8, 0]) and list(flat[8:16]) == list(w[:8, 1])
    assert list(flat[24:]) == list(w[8:].ravel())


def _activation_inputs(name: str) -> np.ndarray:
    """A sweep plus the extremes where a naive implementation overflows or returns NaN."""
    sweep = np.linspace(-30.0, 30.0, 241)
    extremes = [-1e4, -100.0, -88.8, -1e-8, 0.0, 1e-8, 88.8, 100.0, 1e4]
    if name == "softmax":  # one vector, large entries must not overflow
        return f32([-1e4, -3.0, 0.0, 2.5, 80.0, 88.0, 100.0])
    return f32(np.concatenate([sweep, extremes]))


@pytest.mark.parametrize("name", sorted(ACTIVATION_ENUM))
def test_activation_kernel(runtime, name: str) -> None:
    x = _activation_inputs(name)
    data = x.copy()
    getattr(runtime, f"edgernn_{name}_f32")(ptr(data), data.size)
    assert np.all(np.isfinite(data))
    with np.errstate(over="ignore"):  # the golden sigmoid's exp overflows to inf at -1e4
        expected = ACTIVATIONS[name](x)
    np.testing.assert_allclose(data, expected, rtol=0, atol=ACTIVATION_ATOL[name])


@pytest.mark.parametrize("name", sorted(ACTIVATION_ENUM))
def test_activation_dispatch_matches_kernel(runtime, name: str) -> None:
    """edgernn_activation_f32 with the enum value is the named kernel, bit for bit."""
    direct, dispatched = _activation_inputs(name), _activation_inputs(name)
    getattr(runtime, f"edgernn_{name}_f32")(ptr(direct), direct.size)
    runtime.edgernn_activation_f32(ACTIVATION_ENUM[name], ptr(dispatched), dispatched.size)
    assert np.array_equal(direct, dispatched)


def _node(kind: str, attrs: dict, n_in: int, seed: int) -> Node:
    """A node with uniform [-0.5, 0.5) weights and biases in the canonical layout."""
    rng = np.random.default_rng(seed)
    shapes = get_kind(kind).weight_shapes(attrs, n_in)
    weights = {w: Tensor(f32(rng.uniform(-0.5, 0.5, size=s))) for w, s in shapes.items()}
    return Node(name=f"{kind}_t", kind=kind, attrs=attrs, input_size=n_in, weights=weights)


@pytest.mark.parametrize("activation", sorted(ACTIVATION_ENUM))
def test_dense(runtime, activation: str) -> None:
    node = _node("dense", {"units": 17, "activation": activation}, 9, 11)
    x = f32(np.random.default_rng(3).uniform(-2, 2, size=9))
    out = np.zeros(17, np.float32)
    w = f32(to_row_blocks(node.w("w")))
    params = runtime.DenseParams(9, 17, ACTIVATION_ENUM[activation], ptr(w), ptr(node.w("b")))
    runtime.edgernn_dense_f32(ctypes.byref(params), ptr(x), ptr(out))
    expected, _ = CELLS["dense"](node, x[None], {})
    np.testing.assert_allclose(out, expected[0], rtol=0, atol=STEP_ATOL)


def test_embedding_lookup(runtime) -> None:
    table = f32(np.random.default_rng(0).standard_normal((65, 32)))
    params = runtime.EmbeddingParams(65, 32, ptr(table))
    out = np.zeros(32, np.float32)
    for token in (0, 1, 33, 64):
        assert runtime.edgernn_embedding_f32(ctypes.byref(params), token, ptr(out)) == 0
        assert np.array_equal(out, table[token])


@pytest.mark.parametrize("token", [-1, 65, 1 << 30])
def test_embedding_rejects_token_out_of_range(runtime, token: int) -> None:
    table = f32(np.ones((65, 4)))
    params = runtime.EmbeddingParams(65, 4, ptr(table))
    out = np.full(4, 7.0, np.float32)
    assert runtime.edgernn_embedding_f32(ctypes.byref(params), token, ptr(out)) == -1
    assert np.array_equal(out, np.zeros(4, np.float32))


def _cell_call(runtime, node: Node, x: np.ndarray, state: dict[str, np.ndarray]) -> None:
    """One C step of ``node`` updating ``state`` (float32 arrays) in place."""
    units, n_in = node.attrs["units"], node.input_size
    scratch = np.full(6 * units, np.nan, np.float32)  # garbage in scratch must not leak out
    # The weights as the code generator writes them (row blocks; the GRU's in two parts).
    stored = {a.suffix: f32(a.data) for a in FLOAT32.emitters[node.kind].arrays(node)}
    w = {name: ptr(stored[name]) for name in node.weights}
    null = ptr(None)  # w_x and the input-side bias of a projected-input node
    if node.kind == "rnn":
        params = runtime.RnnParams(n_in, units, w.get("w_x", null), w["w_h"], w.get("b", null))
        st = runtime.HState(ptr(state["h"]))
        runtime.edgernn_rnn_step_f32(ctypes.byref(params), ctypes.byref(st), ptr(x), ptr(scratch))
    elif node.kind == "lstm":
        params = runtime.LstmParams(n_in, units, w.get("w_x", null), w["w_h"], w.get("b", null))
        st = runtime.HCState(ptr(state["h"]), ptr(state["c"]))
        runtime.edgernn_lstm_step_f32(ctypes.byref(params), ctypes.byref(st), ptr(x), ptr(scratch))
    else:
        reset_after = node.attrs["reset_after"]
        b_x, b_h = (w.get("b_x", null), w["b_h"]) if reset_after else (w.get("b", null), null)
        params = runtime.GruParams(n_in, units, int(reset_after), w.get("w_x", null), w["w_h"],
                                   b_x, b_h)
        st = runtime.HState(ptr(state["h"]))
        runtime.edgernn_gru_step_f32(ctypes.byref(params), ctypes.byref(st), ptr(x), ptr(scratch))


@pytest.mark.parametrize("kind, attrs, n_in, seed", CELL_CASES,
                         ids=[f"{k}-{a['units']}-{a.get('reset_after', '')}"
                              f"{'-projected' if a.get('input_projected') else ''}-{s}"
                              for k, a, _, s in CELL_CASES])
def test_cell_step_matches_golden_cell(runtime, kind: str, attrs: dict, n_in: int,
                                       seed: int) -> None:
    """Several steps from a random state: the C cell tracks the reference cell."""
    node = _node(kind, attrs, n_in, seed)
    rng = np.random.default_rng(seed + 100)
    sizes = get_kind(kind).state_sizes(attrs)
    ref_state = {name: f32(rng.uniform(-1, 1, size=(1, size))) for name, size in sizes.items()}
    c_state = {name: f32(value[0]) for name, value in ref_state.items()}
    worst = 0.0
    for _ in range(STEPS):
        x = f32(rng.uniform(-1, 1, size=n_in))
        _cell_call(runtime, node, x, c_state)
        _, ref_state = CELLS[kind](node, x[None], ref_state)
        for name in sizes:
            worst = max(worst, float(np.max(np.abs(c_state[name] - ref_state[name][0]))))
    assert worst <= STEP_ATOL, f"max |diff| {worst:.3g}"
