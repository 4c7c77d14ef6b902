"""Capture the loss once as a graph of aten ops and replay it at every grid point.

Every grid point evaluates the same cached batches, so a closure's Python -- a Hugging Face
model's argument checks, mask building and dispatch, PyTorch Geometric's normalisation -- does
the same thing at every point; only the parameters change. :func:`capture` runs the loss once
under a dispatch mode that records, as a ``torch.fx`` graph, exactly the aten ops whose inputs
derive from the parameters; everything else (masks, edge normalisations, anything computed from
the batch alone) ran once and is kept as a constant. Replaying the graph costs the arithmetic
and one call per op.

It is exact, or it does not apply: capture fails (:class:`NotCapturable`) when a parameter
reaches Python (``.item()``, a data-dependent shape, an op returning a Python value: control
flow that would be baked in), when the loss draws random numbers, or when an op writes to a
constant. A captured graph must also give the plain forward's loss again at the centre and at
an off-centre probe point (``CapturedGraphs.of``) before a strategy may race.

Each graph is rewritten before it is checked: values that do not depend on the parameters'
values folded to constants and the written-out tanh GELU fused (``peephole.py``), the affine
prefix (values affine in the parameters, e.g. a first layer on the data) stored as ``dims + 1``
bases combined per point (``affine_prefix.py``; the graph then also takes the point's ``α``).
Two strategies take the graphs: :class:`CapturedLoop` replays one point at a time (fused
kernels such as CPU flash attention kept; gather-scale-scatter chains as one sparse product,
``gather_scatter.py``), :class:`CapturedChunks` runs ``vmap`` over a graph in which composite
ops (attention) are decomposed into ops vmap batches. Only the loop is raced
(:func:`captured_candidates` says why). Plain ``loss_fn(outputs, targets)`` forwards are not
captured: the race does not list it for them (their fast paths are the affine head and the
fused graph).
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np
import torch
import torch.fx
from torch._decomp import decomposition_table
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_flatten, tree_unflatten
from torch.utils.weak import WeakTensorKeyDictionary

from .affine_prefix import fold_affine_prefix
from .functional import PointLoss
from .gather_scatter import sparse_products
from .peephole import rewrite
from .point_inputs import CACHE_MAX_BYTES
from .strategy import Strategy, agree

# Capture costs ~0.1-0.3 s a batch (two forwards and the recording) before the race: data in
# more batches than this is evaluated the usual ways (a full-size loader would spend longer
# capturing than the race can win back).
MAX_CAPTURE_BATCHES = 64
# The affine prefixes' stored bases (``affine_prefix.py``: dims + 1 tensors per replaced value)
# over all batches' graphs together.
AFFINE_MAX_BYTES = CACHE_MAX_BYTES // 4
FLAT_MAX_BYTES = CACHE_MAX_BYTES // 4
# Points per call of the captured loop once it won (the walker's chunk is vmap's, often 2-4
# points): each call has fixed costs (the chunk's parameters in one product, the losses' copy
# to the host); on the GCN of ``benchmarks/grid_eval.py`` chunks of 3 cost ~5-10 % more a
# point than chunks of 32. A chunk's parameters take its points times the model's, so only
# while they stay under LOOP_CHUNK_BYTES.
LOOP_CHUNK = 32
LOOP_CHUNK_BYTES = 64 << 20


class NotCapturable(Exception):
    """The loss cannot be replayed from a graph of aten ops (see the module docstring)."""


def _composite(func: Any) -> bool:
    return torch._C._dispatch_has_kernel_for_dispatch_key(func.name(), "CompositeImplicitAutograd")


def _without_dropout(func: Any, args: tuple, kwargs: dict) -> bool:
    """Whether a random-tagged op draws nothing here (attention with ``dropout_p == 0``)."""
    for k, arg in enumerate(func._schema.arguments):
        if arg.name == "dropout_p":
            value = args[k] if k < len(args) else kwargs.get("dropout_p", arg.default_value)
            return value == 0
    return False


def _described(node: torch.fx.Node, tensor: torch.Tensor) -> torch.fx.Node:
    node.meta["shape"], node.meta["dtype"] = tuple(tensor.shape), tensor.dtype
    node.meta["device"] = tensor.device
    return node


class _Recorder(TorchDispatchMode):
    """Records ops on parameter-derived ("tainted") tensors into ``graph``; runs the rest."""

    def __init__(self, graph: torch.fx.Graph, root: torch.nn.Module, batched: bool) -> None:
        super().__init__()
        self.graph, self.root, self.batched = graph, root, batched
        self.nodes: WeakTensorKeyDictionary = WeakTensorKeyDictionary()
        self.n_constants = 0
        self.storages: dict[int, int] = {}  # the constants' storages: address -> bytes

    @property
    def constant_bytes(self) -> int:
        return sum(self.storages.values())

    def constant(self, tensor: torch.Tensor) -> torch.fx.Node:
        name = f"constant_{self.n_constants}"
        self.n_constants += 1
        storage = tensor.untyped_storage()  # (expanded index views share one small storage)
        self.storages[storage.data_ptr()] = storage.nbytes()
        if self.constant_bytes > CACHE_MAX_BYTES:
            raise NotCapturable(f"the constants exceed {CACHE_MAX_BYTES} bytes")
        setattr(self.root, name, tensor)
        return self.graph.get_attr(name)

    def decompose(self, func: Any, args: tuple, kwargs: dict) -> Any:
        """``func`` run as its parts, recorded (NotImplemented: it has no decomposition)."""
        if _composite(func):
            # (inside __torch_dispatch__ this mode is off: re-enter it to record the parts)
            with self:
                result = func.decompose(*args, **kwargs)
            if result is not NotImplemented:
                return result
        if func in decomposition_table:
            with self:
                return decomposition_table[func](*args, **kwargs)
        return NotImplemented

    def tainted(self, value: Any) -> bool:
        return isinstance(value, torch.Tensor) and value in self.nodes

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):  # noqa: ANN001
        kwargs = kwargs or {}
        flat, spec = tree_flatten((args, kwargs))
        if not any(self.tainted(a) for a in flat):
            if torch.Tag.nondeterministic_seeded in func.tags:
                raise NotCapturable(f"the loss draws random numbers ({func})")
            return func(*args, **kwargs)  # depends on the batch alone: a constant
        random = torch.Tag.nondeterministic_seeded in func.tags
        if random and (self.batched or not _without_dropout(func, args, kwargs)):
            # attention kernels are tagged random (dropout) and have no vmap rule: record their
            # parts instead; a loss that really draws random numbers is refused
            result = self.decompose(func, args, kwargs)
            if result is NotImplemented:
                raise NotCapturable(f"the loss draws random numbers ({func})")
            return result
        if {torch.Tag.dynamic_output_shape, torch.Tag.data_dependent_output} & set(func.tags):
            raise NotCapturable(f"a parameter decides a shape or a Python value ({func})")
        if func._schema.is_mutable:
            for value, arg in zip(args, func._schema.arguments, strict=False):
                info = arg.alias_info
                if info is not None and info.is_write and isinstance(value, torch.Tensor) \
                        and not self.tainted(value):
                    raise NotCapturable(f"{func} writes parameter values into a constant")
        out = func(*args, **kwargs)
        refs = [self.nodes[a] if self.tainted(a) else
                self.constant(a) if isinstance(a, torch.Tensor) else a for a in flat]
        node_args, node_kwargs = tree_unflatten(refs, spec)
        node = self.graph.call_function(func, tuple(node_args), node_kwargs)
        if isinstance(out, torch.Tensor):
            self.nodes[out] = _described(node, out)
        elif isinstance(out, (tuple, list)) and all(isinstance(o, torch.Tensor) for o in out):
            for k, o in enumerate(out):
                self.nodes[o] = _described(
                    self.graph.call_function(operator.getitem, (node, k)), o)
        elif out is not None:
            raise NotCapturable(f"a parameter reaches Python through {func}")
        return out


def capture(fn: Any, params: dict[str, torch.Tensor], *, batched: bool) -> torch.fx.GraphModule:
    """The graph of ``fn(params)``'s ops on the parameters: a module taking the tensors of
    ``params`` positionally (in its order) and returning ``fn``'s tensor; ``batched``: composite
    ops decomposed for vmap. Raises :class:`NotCapturable` (module docstring)."""
    graph, root = torch.fx.Graph(), torch.nn.Module()
    recorder = _Recorder(graph, root, batched)
    inputs = {n: p.detach().clone() for n, p in params.items()}  # (ours: nothing else is seen)
    for k, tensor in enumerate(inputs.values()):
        recorder.nodes[tensor] = _described(graph.placeholder(f"p{k}"), tensor)
    with torch.no_grad(), recorder:
        out = fn(inputs)
    if not isinstance(out, torch.Tensor):
        raise NotCapturable(f"the loss returned {type(out).__name__}, not a tensor")
    graph.output(recorder.nodes[out] if recorder.tainted(out) else recorder.constant(out))
    module = torch.fx.GraphModule(root, graph)
    if not batched:
        sparse_products(module, recompile=False)
    # (constants folded, the written-out tanh GELU fused: peephole.py; one recompile for all)
    rewrite(module, recompile=False)
    module.recompile()
    return module


class FlatParams:
    """All trainable tensors of the points in one product: ``θ + α·D`` over the concatenated
    parameters, a view per tensor and point. Replaces one product per tensor and chunk: on the
    GPT-2 of ``benchmarks/grid_eval.py`` (28 tensors) 0.96 ms a chunk of 3 points became one
    ``addmm``. The flat copies hold ``dims + 1`` times the parameters, so only where that stays
    under ``FLAT_MAX_BYTES``."""

    def __init__(self, evaluator: PointLoss) -> None:
        names = evaluator.names
        self.shapes = [evaluator.base[n].shape for n in names]
        self.sizes = [evaluator.base[n].numel() for n in names]
        self.base = torch.cat([evaluator.base[n].reshape(1, -1) for n in names], dim=1)
        dims = evaluator.stacked[names[0]].shape[0]
        self.directions = torch.cat([evaluator.stacked[n].reshape(dims, -1) for n in names],
                                    dim=1)

    @classmethod
    def of(cls, evaluator: PointLoss) -> FlatParams | None:
        """The flat parameters, or None where their copies would exceed FLAT_MAX_BYTES."""
        dims = evaluator.stacked[evaluator.names[0]].shape[0] if evaluator.names else 0
        if not evaluator.names or (dims + 1) * evaluator.param_bytes > FLAT_MAX_BYTES:
            return None
        return cls(evaluator)

    def rows(self, alphas: torch.Tensor) -> torch.Tensor:
        """``(c, n_params)``: every point's parameters, concatenated."""
        return torch.addmm(self.base, alphas, self.directions)

    def tensors(self, row: torch.Tensor) -> list[torch.Tensor]:
        """One point's parameters, one view per tensor (in the evaluator's order)."""
        return [p.view(shape) for p, shape in zip(row.split(self.sizes), self.shapes,
                                                  strict=True)]


class CapturedGraphs:
    """One captured graph per cached batch, checked against the plain forward."""

    def __init__(self, evaluator: PointLoss, graphs: list[tuple[torch.fx.GraphModule, int]],
                 batched: bool) -> None:
        self.evaluator, self.graphs, self.batched = evaluator, graphs, batched
        self.flat = None if batched else FlatParams.of(evaluator)
        # set by ``of``: the closure ran again at the centre (recorded) and the replay gave the
        # first run's loss, so the centre was evaluated twice and agreed (determinism check)
        self.centre_agreed = False

    @classmethod
    def of(cls, evaluator: PointLoss, centre: np.ndarray, centre_loss: float,
           batched: bool) -> CapturedGraphs | None:
        """The graphs captured at ``centre``, or None when capture fails, the data is not
        cached or in more than ``MAX_CAPTURE_BATCHES`` batches, or a replay at the centre or at
        ``centre + 1`` (every coordinate) differs from the plain forward by more than
        ``DETERMINISM_RTOL``."""
        data = evaluator.cached_batches()
        if data is None or evaluator.metrics or len(data) > MAX_CAPTURE_BATCHES:
            return None
        with torch.no_grad():
            params = evaluator.params_at(evaluator.as_alphas(centre))
        graphs = []
        base = [evaluator.base[name] for name in evaluator.names]
        directions = [evaluator.stacked[name] for name in evaluator.names]
        budget = AFFINE_MAX_BYTES
        try:
            for inputs, targets, m in data:
                graph = capture(lambda p, i=inputs, t=targets: evaluator.loss_one(p, i, t),
                                params, batched=batched)
                budget -= sum(fold_affine_prefix(graph, base, directions, budget))
                graphs.append((graph, m))
            probe = np.asarray(centre, dtype=np.float64) + 1.0
            captured = cls(evaluator, graphs, batched)
            got = captured.losses(np.stack([centre, probe]))
        except Exception:  # (NotCapturable, or an op that cannot run on replay / under vmap)
            return None
        if not (agree(centre_loss, float(got[0]))
                and agree(evaluator.at(probe), float(got[1]))):
            return None
        captured.centre_agreed = True
        return captured

    def losses(self, points: np.ndarray) -> torch.Tensor:
        """``(n,)`` float64 losses on the CPU: the sample-weighted mean over batches."""
        alphas = self.evaluator.as_alphas(points)
        names = self.evaluator.names
        total = torch.zeros(len(alphas), dtype=torch.float64, device=self.evaluator.device)
        n = 0
        with torch.no_grad():
            if self.batched:
                params = self.evaluator.params_at(alphas)
                args = [params[name] for name in names] + [alphas]
                for graph, m in self.graphs:
                    out = torch.func.vmap(graph, randomness="error")(*args)
                    total = total + out.reshape(len(alphas)).double() * m
                    n += m
            else:  # (the chunk's parameters in one product, one view per tensor and point)
                if self.flat is not None:
                    rows = self.flat.rows(alphas)
                    per_point = [self.flat.tensors(row) for row in rows]
                else:
                    chunk = self.evaluator.params_at(alphas)
                    per_point = [[chunk[name][k] for name in names] for k in range(len(alphas))]
                for k, tensors in enumerate(per_point):
                    args = [*tensors, alphas[k]]
                    value = sum(float(graph(*args).double()) * m for graph, m in self.graphs)
                    total[k] = value
                n = sum(m for _graph, m in self.graphs)
        return (total / n).cpu()


class CapturedLoop(Strategy):
    """The captured graph replayed one point after another."""

    def __init__(self, graphs: CapturedGraphs) -> None:
        if graphs.batched:
            raise ValueError("graphs: expected graphs captured with batched=False, got batched")
        super().__init__(graphs.evaluator)
        self.graphs = graphs

    def losses(self, points: np.ndarray) -> torch.Tensor:
        return self.graphs.losses(points)

    def describe(self) -> str:
        return f"per-point loop, captured aten graph ({len(self.graphs.graphs)} batches)"

    @property
    def centre_agreed(self) -> bool:
        """Whether its graphs were recorded from a second run of the loss at the centre whose
        replay agreed with the first run's loss (``CapturedGraphs.of``): that second run is a
        determinism check already, so ``sample_landscape`` does not evaluate the centre again."""
        return self.graphs.centre_agreed

    def walk_chunk(self, chunk: int) -> int:
        """At least LOOP_CHUNK points a call, while their parameters fit LOOP_CHUNK_BYTES."""
        fits = LOOP_CHUNK_BYTES // max(self.evaluator.param_bytes, 1)
        return max(chunk, min(LOOP_CHUNK, fits))

    def settings(self) -> dict[str, Any]:
        return {"affine_head": False, "fused": False, "input_columns": False,
                "channels_last": False, "micro_batch": None}


class CapturedChunks(CapturedLoop):
    """``vmap`` of the captured graph over chunks of ``chunk`` points."""

    def __init__(self, graphs: CapturedGraphs, chunk: int) -> None:
        if not graphs.batched:
            raise ValueError("graphs: expected graphs captured with batched=True, got unbatched")
        if isinstance(chunk, bool) or not isinstance(chunk, (int, np.integer)) or chunk < 1:
            raise ValueError(f"chunk: expected an integer >= 1, got {chunk!r}")
        Strategy.__init__(self, graphs.evaluator)
        self.graphs, self.chunk = graphs, int(chunk)

    def describe(self) -> str:
        return (f"vmap over chunks of {self.chunk} points, captured aten graph "
                f"({len(self.graphs.graphs)} batches)")

    def resized(self, chunk: int) -> CapturedChunks:
        return CapturedChunks(self.graphs, chunk)

    def walk_chunk(self, chunk: int) -> int:
        return self.chunk or chunk  # (vmap: its own chunk)


def captured_candidates(evaluator: PointLoss, centre: np.ndarray,
                        centre_loss: float) -> list[Strategy]:
    """The captured strategies worth racing: :class:`CapturedLoop` where its graphs were
    captured and checked. :class:`CapturedChunks` is not listed: measured on the GPT-2 and GCN
    of ``benchmarks/grid_eval.py``, vmap over the decomposed graph cost 2-9x the per-point
    replay (attention's parts and scatters batch poorly), and it would cost a second capture."""
    single = CapturedGraphs.of(evaluator, centre, centre_loss, batched=False)
    return [] if single is None else [CapturedLoop(single)]
