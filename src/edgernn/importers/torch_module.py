"""PyTorch models: an ``nn.Module`` traced with ``torch.fx``, or a saved state dict.

The module's ``forward`` is traced symbolically (``torch.fx.symbolic_trace``), so what is
imported is what ``forward`` really computes, in its real order, not the order the submodules
were declared in. Each traced call is handled by a registered handler:

* modules (:data:`TORCH_MODULES`, keyed by class): ``nn.Embedding``, ``nn.RNN`` (tanh),
  ``nn.LSTM`` (``proj_size`` too: ``lstmp``), ``nn.GRU`` (any ``num_layers``, ``batch_first``
  either way, ``bidirectional`` too: a ``bidirectional`` node per layer, its output sequence
  only; no initial state given), ``nn.Linear``, ``nn.ReLU``/``Sigmoid``/``Tanh``/``Softmax``,
  ``nn.Dropout``/``nn.Identity`` (no-ops at inference), and ``nn.Sequential`` containers of
  these (traced through);
* functions (:data:`TORCH_FUNCTIONS`): ``torch.relu/sigmoid/tanh/softmax``, their
  ``torch.nn.functional`` forms, ``F.dropout``, and indexing (``out[:, -1]``, ``h_n[-1]``,
  ``rnn(x)[0]``);
* tensor methods (:data:`TORCH_METHODS`): ``relu``, ``sigmoid``, ``tanh``, ``softmax``,
  ``contiguous``, ``squeeze(0)`` of a one-layer ``h_n``.

Layout conversions: PyTorch's matrices are already ``(outputs, inputs)``; the two biases of
``nn.RNN``/``nn.LSTM`` are summed; ``nn.GRU``'s gate blocks ``r, z, n`` are reordered to
``z, r, n`` and its biases become ``b_x``/``b_h`` (``reset_after``). After building the graph
the importer runs the module and the golden model on a random example input and refuses the
import if they disagree, so a ``forward`` doing something the handlers did not see cannot slip
through.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from edgernn.errors import ModelFileError
from edgernn.importers.base import (
    F32,
    ChainBuilder,
    Importer,
    ModelImportError,
    register_importer,
    resolve_sequence_length,
)
from edgernn.importers.symbolic import (
    BROKEN,
    Broken,
    Sym,
    SymTuple,
    normalize_axis,
    pick_state,
    to_reference_layout,
)
from edgernn.ir.graph import Graph

SUPPORTED = (
    "nn.Embedding, nn.RNN (tanh), nn.LSTM (proj_size too), nn.GRU (bidirectional too: its "
    "output sequence; any num_layers, batch_first either way, zero initial state), nn.Linear, "
    "nn.ReLU/Sigmoid/Tanh/"
    "Softmax and their torch/F functions, nn.Dropout/nn.Identity, nn.Sequential of these, "
    "indexing out[:, -1], rnn(x)[0] and h_n[-1]"
)
# Largest difference between the module's outputs and the imported graph's (float32).
CHECK_TOLERANCE = 1e-4


@dataclass
class TraceContext:
    """State of one import while the traced graph is walked."""

    builder: ChainBuilder
    example_input_shape: tuple[int, ...] | None
    roles: dict[str, str] = field(default_factory=dict)
    batch_first: bool | None = None
    index: int = 0
    where: str = ""

    def refuse(self, what: str) -> Broken:
        """Record ``what`` as unsupported at the current node; return the broken marker."""
        self.builder.unsupported(self.where, what)
        return BROKEN

    def resolve_input(self, sym: Sym, batch_first: bool) -> Sym:
        """Tell which model-input axes are batch and time, at the first recurrent layer."""
        order = ("B", "T") if batch_first else ("T", "B")
        if not self.roles:
            self.batch_first = batch_first
            for label, role in zip(sym.axes[:2], order, strict=True):
                if label.startswith("x"):
                    self.roles[label] = role
        return sym.with_axes(tuple(self.roles.get(a, a) for a in sym.axes[:2]) + ("F",))


ModuleHandler = Callable[[TraceContext, Any, list[Any], dict[str, Any]], Any]
FunctionHandler = Callable[[TraceContext, list[Any], dict[str, Any]], Any]
TORCH_MODULES: dict[type, ModuleHandler] = {}
TORCH_FUNCTIONS: dict[Any, FunctionHandler] = {}
TORCH_METHODS: dict[str, FunctionHandler] = {}
# Handlers called even when their input is broken, to report their own settings too.
RECURRENT_MODULES: set[type] = set()


def _numpy(tensor: Any) -> np.ndarray:
    return tensor.detach().cpu().numpy().astype(F32, copy=True)


def _register_modules() -> None:
    """Fill the registries (imports torch, so runs on first use, not at package import)."""
    if TORCH_MODULES:
        return
    import torch
    import torch.nn.functional as F
    from torch import nn

    def modules(*classes: type) -> Callable[[ModuleHandler], ModuleHandler]:
        def wrap(fn: ModuleHandler) -> ModuleHandler:
            for cls in classes:
                TORCH_MODULES[cls] = fn
            return fn

        return wrap

    def functions(*targets: Any) -> Callable[[FunctionHandler], FunctionHandler]:
        def wrap(fn: FunctionHandler) -> FunctionHandler:
            for target in targets:
                TORCH_FUNCTIONS[target] = fn
            return fn

        return wrap

    def methods(*names: str) -> Callable[[FunctionHandler], FunctionHandler]:
        def wrap(fn: FunctionHandler) -> FunctionHandler:
            for name in names:
                TORCH_METHODS[name] = fn
            return fn

        return wrap

    @modules(nn.Dropout, nn.Identity)
    def _identity(ctx: TraceContext, module: Any, args: list, kwargs: dict) -> Any:
        return args[0]

    @modules(nn.Embedding)
    def _embedding(ctx: TraceContext, module: Any, args: list, kwargs: dict) -> Any:
        x = args[0]
        if not isinstance(x, Sym) or x.width is not None:
            return ctx.refuse("an embedding is only supported on the model input")
        if module.max_norm is not None:
            return ctx.refuse("max_norm (renormalizing lookups)")
        ctx.builder.add_embedding(_numpy(module.weight), ctx.where)
        return x.with_axes(x.axes[:2] + ("F",), width=module.embedding_dim)

    RECURRENT_MODULES.update((nn.RNN, nn.LSTM, nn.GRU))

    @modules(nn.RNN, nn.LSTM, nn.GRU)
    def _recurrent(ctx: TraceContext, module: Any, args: list, kwargs: dict) -> Any:
        x = args[0]
        initial = [a for a in list(args[1:]) + list(kwargs.values()) if a is not None]
        problems = []
        if isinstance(module, nn.RNN) and module.nonlinearity != "tanh":
            problems.append(f"nonlinearity={module.nonlinearity} (only tanh)")
        if initial:
            problems.append("an initial state is passed (only the zero initial state)")
        for problem in problems:
            ctx.refuse(problem)
        if problems or isinstance(x, Broken):
            return BROKEN
        if not isinstance(x, Sym) or len(x.axes) != 3 or x.tag != "data" or "T" in x.axes[2:]:
            return ctx.refuse("input is not a (batch, time, features) sequence")
        if x.width is None and x.axes[0].startswith("x"):
            x = x.with_axes(x.axes, width=module.input_size)
        x = ctx.resolve_input(x, module.batch_first)
        expected = ("B", "T", "F") if module.batch_first else ("T", "B", "F")
        if x.axes != expected:
            return ctx.refuse(f"input axes {x.axes}, expected {expected}")
        kind = {nn.RNN: "rnn", nn.LSTM: "lstm", nn.GRU: "gru"}[type(module)]
        hidden = module.hidden_size
        proj = int(getattr(module, "proj_size", 0) or 0)
        attrs: dict[str, Any] = {"reset_after": True} if kind == "gru" else {}
        if proj:  # LSTMP: w_h is (4 hidden, proj), weight_hr (proj, hidden) is w_p
            attrs = {"units": hidden, "projection": proj}
        for layer in range(module.num_layers):
            origin = ctx.where if module.num_layers == 1 else f"{ctx.where} layer {layer}"
            halves = [_layer_weights(module, kind, f"l{layer}", proj)]
            if module.bidirectional:
                halves.append(_layer_weights(module, kind, f"l{layer}_reverse", proj))
                ctx.builder.add_bidirectional(kind, halves[0], halves[1], origin, **attrs)
            else:
                ctx.builder.add_recurrent(kind, halves[0], origin, **attrs)
        width = (proj or hidden) * (2 if module.bidirectional else 1)
        out = x.with_axes(expected, width=width)
        count = ctx.builder.recurrent_count
        # final states of a bidirectional module: no stack entry can be picked (refused)
        ids = () if module.bidirectional else tuple(range(count - module.num_layers, count))
        h_n = Sym(("L", "B", "F"), width=proj or hidden, tag="state", stack=ids)
        if kind == "lstm":
            c_n = Sym(("L", "B", "F"), width=hidden, tag="cell", stack=ids)
            return SymTuple((out, SymTuple((h_n, c_n))))
        return SymTuple((out, h_n))

    def _layer_weights(module: Any, kind: str, suffix: str, proj: int) -> dict[str, np.ndarray]:
        """Canonical weights of one layer (``l0``) or reverse direction (``l0_reverse``)."""
        w_x = _numpy(getattr(module, f"weight_ih_{suffix}"))
        w_h = _numpy(getattr(module, f"weight_hh_{suffix}"))
        rows = w_h.shape[0]
        if module.bias:
            b_ih = _numpy(getattr(module, f"bias_ih_{suffix}"))
            b_hh = _numpy(getattr(module, f"bias_hh_{suffix}"))
        else:
            b_ih = b_hh = np.zeros(rows, F32)
        if kind == "gru":
            swap = _swap_rz(module.hidden_size)
            return {"w_x": w_x[swap], "w_h": w_h[swap], "b_x": b_ih[swap], "b_h": b_hh[swap]}
        weights = {"w_x": w_x, "w_h": w_h, "b": b_ih + b_hh}
        if proj:
            weights["w_p"] = _numpy(getattr(module, f"weight_hr_{suffix}"))
        return weights

    @modules(nn.Linear)
    def _linear(ctx: TraceContext, module: Any, args: list, kwargs: dict) -> Any:
        x = args[0]
        if not isinstance(x, Sym) or x.tag != "data" or x.axes[-1] != "F":
            return ctx.refuse("a linear layer not on the features of a sequence")
        bias = _numpy(module.bias) if module.bias is not None else None
        ctx.builder.add_dense(_numpy(module.weight), bias, ctx.where)
        return x.with_axes(x.axes, width=module.out_features)

    def _activate(ctx: TraceContext, x: Any, activation: str, dim: Any = -1) -> Any:
        if not isinstance(x, Sym) or x.tag != "data":
            return ctx.refuse(f"{activation} on something other than a dense layer's output")
        if activation == "softmax" and (
            dim is None or normalize_axis(int(dim), len(x.axes)) != len(x.axes) - 1
        ):
            return ctx.refuse(f"softmax over dim={dim} (only the feature axis, dim=-1)")
        ctx.builder.set_activation(activation, ctx.where)
        return x

    for cls, act in ((nn.ReLU, "relu"), (nn.Sigmoid, "sigmoid"), (nn.Tanh, "tanh")):
        TORCH_MODULES[cls] = (lambda a: lambda ctx, m, args, kw: _activate(ctx, args[0], a))(act)

    @modules(nn.Softmax)
    def _softmax_module(ctx: TraceContext, module: Any, args: list, kwargs: dict) -> Any:
        return _activate(ctx, args[0], "softmax", module.dim)

    for targets, act in (((torch.relu, F.relu), "relu"), ((torch.sigmoid, F.sigmoid), "sigmoid"),
                         ((torch.tanh, F.tanh), "tanh")):
        for target in targets:
            TORCH_FUNCTIONS[target] = (lambda a: lambda ctx, args, kw: _activate(
                ctx, args[0], a))(act)
        TORCH_METHODS[act] = TORCH_FUNCTIONS[targets[0]]

    @functions(torch.softmax, F.softmax)
    @methods("softmax")
    def _softmax(ctx: TraceContext, args: list, kwargs: dict) -> Any:
        dim = args[1] if len(args) > 1 else kwargs.get("dim")
        return _activate(ctx, args[0], "softmax", dim)

    @functions(F.dropout)
    @methods("contiguous")
    def _pass(ctx: TraceContext, args: list, kwargs: dict) -> Any:
        return args[0]

    @methods("squeeze")
    def _squeeze(ctx: TraceContext, args: list, kwargs: dict) -> Any:
        x = args[0]
        dim = args[1] if len(args) > 1 else kwargs.get("dim")
        if isinstance(x, Sym) and x.tag == "state" and len(x.stack) == 1 and dim in (0, -3):
            return pick_state(ctx.builder, ctx.where, x, 0) or BROKEN
        return ctx.refuse("squeeze other than h_n.squeeze(0) of a one-layer recurrent module")

    @functions(operator.getitem)
    def _getitem(ctx: TraceContext, args: list, kwargs: dict) -> Any:
        value, index = args[0], args[1]
        if isinstance(value, SymTuple):
            if isinstance(index, int) and -len(value.items) <= index < len(value.items):
                return value.items[index]
            return ctx.refuse(f"tuple index {index!r}")
        if not isinstance(value, Sym):
            return ctx.refuse("indexing something that is not a tensor")
        return _index(ctx, value, index if isinstance(index, tuple) else (index,))


def _swap_rz(units: int) -> np.ndarray:
    """Row order turning PyTorch's GRU blocks ``r, z, n`` into canonical ``z, r, n``."""
    rows = np.arange(3 * units)
    return np.concatenate([rows[units : 2 * units], rows[:units], rows[2 * units :]])


def _index(ctx: TraceContext, value: Sym, index: tuple) -> Any:
    """``value[index]`` for the supported cases: last time step, last layer's state, batch 0."""
    if value.tag == "cell":
        return ctx.refuse("the LSTM's final cell state c_n (only outputs and h_n)")
    axes = list(value.axes)
    if Ellipsis in index:
        position = index.index(Ellipsis)
        fill = len(axes) - (len(index) - 1)
        index = index[:position] + (slice(None),) * fill + index[position + 1 :]
    if len(index) > len(axes):
        return ctx.refuse(f"index {index!r} has more entries than axes {tuple(axes)}")
    keep: list[str] = []
    tag, stack = value.tag, value.stack
    for axis, item in zip(axes, list(index) + [slice(None)] * (len(axes) - len(index)),
                          strict=True):
        if item == slice(None):
            keep.append(axis)
            continue
        if not isinstance(item, int):
            return ctx.refuse(f"index {item!r} on axis {axis} (only ':' and a last-element index)")
        if axis == "T":
            if item != -1:
                return ctx.refuse(f"time step {item} (only the last, -1)")
            if ctx.builder.last_recurrent_bidirectional:
                return ctx.refuse("the last step of a bidirectional module's output (PyTorch's "
                                  "out[:, -1] holds the backward direction after one step; the "
                                  "IR's last-step form is Keras', the backward direction's "
                                  "last output)")
            ctx.builder.take_last_step(ctx.where)
        elif axis == "L":
            if pick_state(ctx.builder, ctx.where, value, item) is None:
                return BROKEN
            tag, stack = "data", ()
        elif axis == "B":
            if item != 0:
                return ctx.refuse(f"batch entry {item}")
        else:
            return ctx.refuse(f"index {item} on axis {axis}")
    return value.with_axes(tuple(keep), tag=tag, stack=stack)


def _walk(gm: Any, ctx: TraceContext) -> Any:
    """Interpret the traced graph symbolically; returns the output's symbolic value."""
    from torch import fx

    modules = dict(gm.named_modules())
    env: dict[Any, Any] = {}
    inputs = 0
    for index, node in enumerate(gm.graph.nodes):
        ctx.index = index

        def value(arg: Any) -> Any:
            return fx.node.map_arg(arg, lambda n: env[n])

        if node.op == "placeholder":
            if inputs and node.args and node.args[0] is None:  # optional argument left None
                env[node] = None
                continue
            inputs += 1
            if inputs > 1:
                ctx.where = f"input '{node.target}'"
                env[node] = ctx.refuse("more than one model input")
                continue
            shape = ctx.example_input_shape
            rank = len(shape) if shape is not None else 3
            env[node] = Sym(tuple(f"x{i}" for i in range(rank)), tokens=rank == 2)
            continue
        if node.op == "output":
            return value(node.args[0])
        if node.op == "get_attr":
            ctx.where = f"node {index} '{node.target}' (get_attr)"
            env[node] = ctx.refuse("a parameter or buffer used directly in forward")
            continue
        args, kwargs = list(value(node.args)), dict(value(node.kwargs))
        module = None
        if node.op == "call_module":
            module = modules[node.target]
            ctx.where = f"node {index} '{node.target}' ({type(module).__name__})"
            handler = TORCH_MODULES.get(type(module))
        elif node.op == "call_function":
            label = getattr(node.target, "__name__", str(node.target))
            ctx.where = f"node {index} '{node.name}' ({label})"
            handler = TORCH_FUNCTIONS.get(node.target)
        else:  # call_method
            ctx.where = f"node {index} '{node.name}' (.{node.target}())"
            handler = TORCH_METHODS.get(node.target)
        broken = any(isinstance(a, Broken) for a in args + list(kwargs.values()))
        if handler is None:  # reported even after an earlier problem: every one is listed
            env[node] = ctx.refuse("not supported")
        elif broken and type(module) not in RECURRENT_MODULES:
            env[node] = BROKEN
        elif module is not None:
            env[node] = handler(ctx, module, args, kwargs)
        else:
            env[node] = handler(ctx, args, kwargs)
    raise ModelImportError("traced graph has no output")


def _check_against_module(module: Any, graph: Graph, ctx: TraceContext, out: Sym,
                          source: str) -> float:
    """Run the module and the golden model on one random input; return the max |difference|."""
    import torch

    from edgernn.reference import run_reference

    rng = np.random.default_rng(0)
    steps = graph.sequence_length
    batch = 2
    if ctx.example_input_shape is not None:
        shape = list(ctx.example_input_shape)
        roles = [ctx.roles.get(f"x{i}", "F") for i in range(len(shape))]
        shape[roles.index("T")] = steps
    else:
        roles = ["B", "T"] if ctx.batch_first else ["T", "B"]
        shape = [batch, steps] if ctx.batch_first else [steps, batch]
        if not graph.tokens_input:
            roles.append("F")
            shape.append(graph.input_size)
    if graph.tokens_input:
        xs = rng.integers(0, graph.nodes[0].attrs["vocabulary"], size=shape)
        x_torch = torch.from_numpy(xs.astype(np.int64))
    else:
        xs = rng.uniform(-1.0, 1.0, size=shape).astype(F32)
        x_torch = torch.from_numpy(xs)
    was_training = module.training
    module.eval()
    try:
        with torch.no_grad():
            ys = module(x_torch)
    except Exception as exc:  # noqa: BLE001 - a user's forward can raise anything
        raise ModelImportError(f"{source}: running the module on an example input of shape "
                               f"{tuple(shape)} failed ({type(exc).__name__}: {exc})") from None
    finally:
        module.train(was_training)
    ys = to_reference_layout(out, ys.detach().cpu().numpy().astype(F32))
    order = [roles.index(r) for r in ("B", "T", "F") if r in roles]
    ref = run_reference(graph, np.transpose(xs, order))
    if ref.shape != ys.shape:
        raise ModelImportError(f"{source}: the module's output shape {ys.shape} differs from the "
                               f"imported model's {ref.shape}")
    return float(np.max(np.abs(ref - ys)))


def load_torch_module(module: Any, *, example_input_shape: tuple[int, ...] | None = None,
                      name: str | None = None, sequence_length: int | None = None,
                      check: bool = True, **_: Any) -> Graph:
    """Import an ``nn.Module`` by tracing its ``forward`` with ``torch.fx``.

    Args:
        module: the model.
        example_input_shape: shape of one input batch, ``(batch, steps, features)`` (time
            first if the recurrent layers are not ``batch_first``; ``(batch, steps)`` token
            ids for an embedding model). Gives the sequence length.
        name: model name (default: the module's class name).
        sequence_length: time steps, when ``example_input_shape`` is not given.
        check: run the module and the imported graph on a random input and refuse the import
            if they differ by more than 1e-4.

    Raises:
        ModelImportError: the module holds something unsupported, cannot be traced, or its
            outputs differ from the imported graph's.
    """
    from torch import fx

    _register_modules()
    source = type(module).__name__
    try:
        gm = fx.symbolic_trace(module)
    except Exception as exc:  # noqa: BLE001 - tracing user code can raise anything
        raise ModelImportError(
            f"{source}: cannot trace forward() with torch.fx ({type(exc).__name__}: {exc}); "
            "forward must be a straight sequence of calls without data-dependent control flow"
        ) from None
    builder = ChainBuilder(source=source, supported=SUPPORTED)
    ctx = TraceContext(builder, tuple(example_input_shape) if example_input_shape else None)
    out = _walk(gm, ctx)
    if not isinstance(out, Sym | Broken) or (isinstance(out, Sym) and out.tag != "data"):
        builder.unsupported("output", "forward must return one tensor (the model output)")
    builder.fail()
    steps = None
    if ctx.example_input_shape is not None and ctx.roles:
        t_axis = [k for k, v in ctx.roles.items() if v == "T"][0]
        steps = ctx.example_input_shape[int(t_axis[1:])]
    seq = resolve_sequence_length(source, steps, sequence_length)
    metadata = {"imported_from": {"format": "torch", "module": source,
                                  "batch_first": bool(ctx.batch_first)}}
    graph = builder.build(name or source, seq, metadata)
    if check:
        diff = _check_against_module(module, graph, ctx, out, source)
        graph.metadata["imported_from"]["check_max_abs_error"] = diff
        if not diff <= CHECK_TOLERANCE:
            raise ModelImportError(
                f"{source}: the imported model's outputs differ from the module's by {diff:.3g} "
                f"(> {CHECK_TOLERANCE}); forward() computes something the importer does not "
                f"model. Supported: {SUPPORTED}"
            )
    return graph


def load_torch_file(path: str | Path, *, module: Any = None, **options: Any) -> Graph:
    """Import a saved state dict (``torch.save(model.state_dict(), path)``).

    A state dict holds no architecture: ``module=`` gives it (an instance of the model's
    class); the weights are loaded into it and the module is imported as by
    :func:`load_torch_module`. Files are read with ``weights_only=True`` (no pickled code runs).

    Raises:
        ModelFileError: unreadable file, not a state dict, or weights that do not fit.
        ModelImportError: no ``module`` given.
    """
    import torch

    source = Path(path).name
    if module is None:
        raise ModelImportError(
            f"{source}: a PyTorch state dict holds no architecture; pass the model as "
            "module= (an instance of its class), or pass the nn.Module itself"
        )
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # noqa: BLE001 - torch raises many types for bad files
        raise ModelFileError(f"{source}: not a readable PyTorch state dict ({type(exc).__name__}: "
                             f"{str(exc).splitlines()[0] if str(exc) else ''})") from None
    if not isinstance(state, dict):
        raise ModelFileError(f"{source}: holds a {type(state).__name__}, not a state dict")
    try:
        module.load_state_dict(state)
    except RuntimeError as exc:
        raise ModelFileError(f"{source}: weights do not fit the given module: "
                             f"{' '.join(str(exc).split())}") from None
    return load_torch_module(module, name=options.pop("name", None) or Path(path).stem,
                             **options)


def _is_module(obj: Any) -> bool:
    try:
        from torch import nn
    except ImportError:  # pragma: no cover - torch is a dependency
        return False
    return isinstance(obj, nn.Module)


def _load(source: Any, **options: Any) -> Graph:
    if isinstance(source, str | Path):
        return load_torch_file(source, **options)
    return load_torch_module(source, **options)


register_importer(Importer(
    name="torch",
    description="PyTorch nn.Module (traced with torch.fx), or a .pt/.pth state dict + module=",
    suffixes=(".pt", ".pth"),
    load=_load,
    accepts=_is_module,
))
