"""Sweeps: the landscapes of many checkpoints (or training runs) with one fixed configuration.

Every entry gets the same kind of subspace (random with the same seed and normalization, or the
top Hessian eigenvectors), the same resolution and extent, so their metrics are comparable. One
``tqdm`` bar counts landscapes over the whole sweep. Each finished entry is written to the
collection's directory at once (landscape file, then index), and a half-sampled landscape is
checkpointed under ``<directory>/partial/`` by ``sample_landscape``; so an interrupted sweep,
run again with the same arguments, skips finished entries (their models are not even built or
trained) and continues the unfinished one where it stopped. The configuration is recorded in
``collection.attrs["sweep"]`` (subspace, resolution, extent, seed, dtype, device kind), and each
finished entry with a fingerprint of its inputs (the loss, the data, the ``train`` and
``scalars`` functions, a checkpoint's state: ``_resume.py``); a re-run that differs in any of
them raises, naming what differs, instead of mixing landscapes of different computations in one
table. ``resume=False`` starts over: every entry of the sweep is recomputed and replaced.

Example:
    >>> import landscape_widgets as lw
    >>> coll = lw.sweep_checkpoints(  # doctest: +SKIP
    ...     [({"epoch": e}, state) for e, state in enumerate(states)],
    ...     make_model=lambda: MyNet(), loss_fn=loss_fn, data=(x, y),
    ...     directory="runs/landscapes", resolution=21, extent=0.5)
    >>> coll.table()  # doctest: +SKIP
"""

from __future__ import annotations

import copy
import functools
import inspect
import itertools
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from ..landscape import Extent, grid_bounds, grid_resolution
from .collection import LandscapeCollection, key_value
from .store import INDEX

SUBSPACES = ("random", "hessian")
NORMALIZATIONS = ("filter", "layer", None)
HESSIAN_OPTIONS = ("top_n", "tol", "trace_rtol", "max_trace_samples")
PARTIAL = "partial"


@dataclass
class _Job:
    """One entry to compute: its key and how to get its model (and scalars that come with it)."""

    key: dict[str, Any]
    load: Callable[[], tuple[Any, Mapping[str, Any]]]
    # a hash of what the entry's model is made from (a checkpoint's state), when it can be had
    # without building or training the model; None for a training sweep
    digest: Callable[[], str] | None = None


def _label(key: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in key.items())


# ---------------------------------------------------------------------------- configuration
@dataclass(frozen=True)
class _Config:
    subspace: Any
    dims: int
    resolution: tuple[int, ...]
    extent: tuple[tuple[float, float], ...]
    normalization: str | None
    seed: int
    hessian: dict[str, Any] | None
    dtype: Any
    points: int | None = None
    sampler: str = "sobol"

    def fingerprint(self, device: Any) -> dict[str, Any]:
        """What every entry shares that determines its landscape and metrics, JSON-able (the
        loss and data are fingerprinted per entry: ``_resume.py``)."""
        from ..evaluation.sample import callable_name, resolve_device
        from ..io.fingerprint import callable_fingerprint, jsonable

        custom = callable(self.subspace)
        scattered = {} if self.points is None else {"points": self.points,
                                                    "sampler": self.sampler}
        return {
            **scattered,  # only for scattered sweeps: grid sweeps saved before stay resumable
            "subspace": f"callable:{callable_name(self.subspace)}" if custom else self.subspace,
            "dims": None if custom else self.dims,
            "resolution": list(self.resolution),
            "extent": [list(b) for b in self.extent],
            "normalization": self.normalization if self.subspace == "random" else None,
            "seed": self.seed,
            "hessian": jsonable(self.hessian),
            "dtype": None if self.dtype is None else str(self.dtype).replace("torch.", ""),
            "device": resolve_device(device).type,
            **(callable_fingerprint(self.subspace, "subspace") if custom else {}),
        }


def _config(
    subspace: Any, dims: Any, resolution: Any, extent: Any, normalization: Any, seed: Any,
    hessian: Any, dtype: Any, points: Any = None, sampler: str = "sobol",
) -> _Config:
    if not (callable(subspace) or subspace in SUBSPACES):
        raise ValueError(
            f"subspace: expected one of {SUBSPACES} or a callable model -> Subspace, got "
            f"{subspace!r}"
        )
    if isinstance(dims, bool) or not isinstance(dims, int) or dims < 1:
        raise ValueError(f"dims: expected an integer >= 1, got {dims!r}")
    if normalization not in NORMALIZATIONS:
        raise ValueError(f"normalization: expected one of {NORMALIZATIONS}, got {normalization!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed: expected an integer (the same for every entry), got {seed!r}")
    res = grid_resolution(dims, resolution)
    bounds = grid_bounds(dims, extent)
    if hessian is True:
        hess: dict[str, Any] | None = {}
    elif hessian is False or hessian is None:
        hess = None
    elif isinstance(hessian, Mapping):
        unknown = sorted(set(hessian) - set(HESSIAN_OPTIONS))
        if unknown:
            raise ValueError(f"hessian: unknown options {unknown}; allowed: {HESSIAN_OPTIONS}")
        hess = dict(hessian)
    else:
        raise TypeError(
            f"hessian: expected True/False or a dict of hessian_metrics options "
            f"{HESSIAN_OPTIONS}, got {type(hessian).__name__}"
        )
    if points is not None:
        from ..evaluation.grid import SAMPLERS

        if isinstance(points, bool) or not isinstance(points, int) or points < 1:
            raise ValueError(f"points: expected None or a number of points >= 1, got {points!r}")
        if sampler not in SAMPLERS:
            raise ValueError(f"sampler: expected one of {SAMPLERS}, got {sampler!r}")
    return _Config(subspace, dims, res, bounds, normalization, seed, hess, dtype, points, sampler)


def _open(collection: LandscapeCollection | None, directory: Any,
          connectivity: str | None = None, scattered: bool = False) -> LandscapeCollection:
    if collection is not None and directory is not None:
        raise ValueError("pass either collection= or directory=, not both")
    if collection is None:
        # scattered landscapes default to the mutual kNN graph (a grid connectivity cannot be)
        # (a saved collection keeps its own setting)
        if connectivity is None and scattered and (
            directory is None or not (Path(directory) / INDEX).is_file()
        ):
            connectivity = "symmetric_knn"
        return LandscapeCollection(directory, connectivity=connectivity)
    if not isinstance(collection, LandscapeCollection):
        raise TypeError(
            f"collection: expected a LandscapeCollection, got {type(collection).__name__}"
        )
    if connectivity is not None and collection.settings["connectivity"] != connectivity:
        raise ValueError(
            f"connectivity={connectivity!r} contradicts the collection's "
            f"({collection.settings['connectivity']!r})"
        )
    return collection


# ---------------------------------------------------------------------------- keys
def _key_of(raw: Any, names: tuple[str, ...] | None) -> dict[str, Any]:
    if isinstance(raw, Mapping):
        return {str(k): key_value(str(k), v) for k, v in raw.items()}
    if names is None:
        raise TypeError(
            f"checkpoint key {raw!r}: name the parameters with keys=(...) (e.g. "
            "keys=('epoch',) or keys=('lr', 'seed')) or give each key as a dict"
        )
    values = tuple(raw) if isinstance(raw, (tuple, list)) else (raw,)
    if len(values) != len(names):
        raise ValueError(f"checkpoint key {raw!r}: expected {len(names)} values for keys={names}")
    return {n: key_value(n, v) for n, v in zip(names, values)}


def _names(keys: str | Sequence[str] | None) -> tuple[str, ...] | None:
    if keys is None:
        return None
    return (keys,) if isinstance(keys, str) else tuple(str(k) for k in keys)


def _check_keys(jobs: list[_Job], coll: LandscapeCollection) -> None:
    if not jobs:
        return
    first = tuple(jobs[0].key)
    seen: set[tuple[Any, ...]] = set()
    for job in jobs:
        if set(job.key) != set(first):
            raise ValueError(
                f"every key needs the same names: {list(first)} and {list(job.key)} differ"
            )
        job.key = coll.normalize_key(job.key) if coll.keys else {k: job.key[k] for k in first}
        canon = tuple(job.key[k] for k in (coll.keys or first))
        if canon in seen:
            raise ValueError(f"the key {_label(job.key)} appears twice")
        seen.add(canon)


# ---------------------------------------------------------------------------- models
def _call_make_model(make_model: Callable[..., Any], key: Mapping[str, Any]) -> Any:
    """``make_model(key)`` when it has a required positional parameter, else ``make_model()``."""
    try:
        params = inspect.signature(make_model).parameters.values()
    except (TypeError, ValueError):
        return make_model()
    required = [p for p in params if p.default is inspect.Parameter.empty
                and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return make_model(dict(key)) if required else make_model()


def _state_dict(state: Any) -> Mapping[str, Any]:
    import torch

    if isinstance(state, (str, os.PathLike)):
        return torch.load(Path(state), map_location="cpu", weights_only=True)
    if isinstance(state, torch.nn.Module):
        return state.state_dict()
    if isinstance(state, Mapping):
        return state
    raise TypeError(
        f"checkpoint: expected a state dict, the path of a torch.save'd state dict or a "
        f"module, got {type(state).__name__}"
    )


def _state_digest(state: Any) -> Callable[[], str]:
    """A hash of a checkpoint's tensors (loaded, not built into a model)."""

    def digest() -> str:
        import torch

        from ..io.fingerprint import tensor_digest

        tensors = _state_dict(state)
        return tensor_digest((str(k), v) for k, v in tensors.items()
                             if isinstance(v, torch.Tensor))

    return digest


def _checkpoint_loader(state: Any, make_model: Any, key: Mapping[str, Any]) -> Callable[[], Any]:
    # a partial of a module-level function: picklable, so it can travel to a worker process
    return functools.partial(_load_checkpoint, state, make_model, dict(key))


def _load_checkpoint(state: Any, make_model: Any,
                     key: Mapping[str, Any]) -> tuple[Any, Mapping[str, Any]]:
    import torch

    if make_model is None:
        return state, {}
    if isinstance(make_model, torch.nn.Module):
        model = copy.deepcopy(make_model)
    else:
        model = _call_make_model(make_model, key)
        if not isinstance(model, torch.nn.Module):
            raise TypeError(
                f"make_model: expected it to return a torch.nn.Module, got "
                f"{type(model).__name__}"
            )
    model.load_state_dict(_state_dict(state))
    return model, {}


# ---------------------------------------------------------------------------- the loop
def _run(
    jobs: list[_Job],
    coll: LandscapeCollection,
    loss_fn: Any,
    data: Any,
    cfg: _Config,
    scalars: Callable[..., Mapping[str, Any]] | None,
    device: Any,
    chunk_size: int | None,
    progress: bool,
    desc: str,
    resume: bool = True,
    train: Any = None,
    executor: Any = None,
) -> LandscapeCollection:
    from tqdm.auto import tqdm

    from ..io.fingerprint import check_resume
    from ..model.data import as_batches
    from ._resume import SweepRecord, sweep_inputs

    check_resume(resume)
    _check_keys(jobs, coll)
    batches = as_batches(data, loss_fn)
    if not isinstance(data, (tuple, list)) and batches.source is not data:
        data = batches.source  # a generator, materialised once for every entry
    record = SweepRecord(coll, cfg.fingerprint(device),
                         sweep_inputs(loss_fn, batches, train, scalars), resume,
                         [coll.id_for(job.key) for job in jobs])
    pending = [job for job in jobs
               if not record.is_finished(job.key, _label(job.key), job.digest)]
    bar = tqdm(total=len(jobs), initial=len(jobs) - len(pending), unit="landscape", desc=desc,
               disable=not progress)
    if executor is not None:
        from ._distributed import run_on_executor

        try:
            run_on_executor(executor, pending, coll, record, loss_fn, data, cfg, scalars,
                            device, chunk_size, bar, _label)
        finally:
            bar.close()
        return coll
    try:
        for job in pending:
            bar.set_postfix_str(_label(job.key), refresh=False)
            digest = job.digest() if job.digest is not None else None
            model, extra = job.load()
            entry_id = _compute(job.key, model, dict(extra), coll, loss_fn, data, cfg, scalars,
                                device, chunk_size, resume)
            record.record(entry_id, digest)
            bar.update(1)
    finally:
        bar.close()
    return coll


def _compute(
    key: dict[str, Any],
    model: Any,
    extra: dict[str, Any],
    coll: LandscapeCollection,
    loss_fn: Any,
    data: Any,
    cfg: _Config,
    scalars: Callable[..., Mapping[str, Any]] | None,
    device: Any,
    chunk_size: int | None,
    resume: bool = True,
) -> str:
    """Compute one entry and add it (replacing a stale one); returns its id."""
    partial = None
    if coll.directory is not None:
        partial = coll.directory / PARTIAL / f"{coll.id_for(key)}.npz"
        partial.parent.mkdir(parents=True, exist_ok=True)
    land, hess, extra = entry_result(key, model, extra, loss_fn, data, cfg, scalars, device,
                                     chunk_size, partial, resume)
    entry = coll.add(key, land, hessian=hess, scalars=extra, replace=True)
    if partial is not None and partial.exists():
        partial.unlink()
    return entry.id


def entry_result(
    key: dict[str, Any],
    model: Any,
    extra: dict[str, Any],
    loss_fn: Any,
    data: Any,
    cfg: _Config,
    scalars: Callable[..., Mapping[str, Any]] | None,
    device: Any,
    chunk_size: int | None,
    partial: Path | None = None,
    resume: bool = True,
) -> tuple[Any, Any, dict[str, Any]]:
    """One entry's landscape, Hessian metrics (or None) and scalars: what a worker computes."""
    from ..evaluation import sample_landscape
    from ..subspace import Subspace, hessian_subspace, random_subspace

    if callable(cfg.subspace):
        sub = cfg.subspace(model)
        if not isinstance(sub, Subspace):
            raise TypeError(
                f"subspace: expected the callable to return a Subspace, got {type(sub).__name__}"
            )
    elif cfg.subspace == "random":
        sub = random_subspace(model, dims=cfg.dims, normalization=cfg.normalization,
                              seed=cfg.seed)
    else:
        sub = hessian_subspace(model, loss_fn, data, dims=cfg.dims, seed=cfg.seed,
                               device=device, dtype=cfg.dtype)
    sites: dict[str, Any] = (
        {"resolution": cfg.resolution} if cfg.points is None
        else {"points": cfg.points, "sampler": cfg.sampler, "seed": cfg.seed}
    )
    land = sample_landscape(
        model, loss_fn, data, sub, extent=cfg.extent, device=device,
        chunk_size=chunk_size, dtype=cfg.dtype, progress=False, checkpoint=partial,
        resume=resume, **sites,
    )
    hess = None
    if cfg.hessian is not None:
        from ..hessian import hessian_metrics

        hess = hessian_metrics(model, loss_fn, data, seed=cfg.seed, device=device, **cfg.hessian)
    if scalars is not None:
        more = scalars(model, dict(key))
        if not isinstance(more, Mapping):
            raise TypeError(
                f"scalars: expected scalars(model, key) to return a mapping of numbers, got "
                f"{type(more).__name__}"
            )
        extra.update(more)
    return land, hess, extra


# ---------------------------------------------------------------------------- public API
def sweep_checkpoints(
    checkpoints: Mapping[Any, Any] | Iterable[tuple[Any, Any]],
    make_model: Callable[..., Any] | Any,
    loss_fn: Callable[..., Any],
    data: Any,
    *,
    collection: LandscapeCollection | None = None,
    directory: str | os.PathLike[str] | None = None,
    keys: str | Sequence[str] | None = None,
    subspace: str | Callable[[Any], Any] = "random",
    dims: int = 2,
    resolution: int | Sequence[int] = 41,
    extent: Extent = 1.0,
    points: int | None = None,
    sampler: str = "sobol",
    connectivity: str | None = None,
    normalization: str | None = "filter",
    seed: int = 0,
    hessian: bool | Mapping[str, Any] = False,
    scalars: Callable[[Any, dict[str, Any]], Mapping[str, Any]] | None = None,
    device: Any = None,
    dtype: Any = None,
    chunk_size: int | None = None,
    progress: bool = True,
    resume: bool = True,
    executor: Any = None,
) -> LandscapeCollection:
    """Landscapes of many checkpoints with one fixed configuration, into a collection.

    Args:
        checkpoints: ``[(key, state), ...]`` or ``{key: state}``. A key is a dict of named
            parameter values (``{"lr": 0.01, "seed": 1, "epoch": 30}``), or a value / tuple of
            values named by ``keys``. A state is a ``state_dict``, the path of a
            ``torch.save``'d one (loaded only when its entry is computed), or a module.
        make_model: builds a model of the checkpoint's architecture: a callable, called as
            ``make_model(key)`` when it has a required positional parameter (architectures that
            vary with the key) and as ``make_model()`` otherwise; or a module used as a template
            (deep-copied for each checkpoint); or None when the states are modules.
        loss_fn, data: as for ``lw.sample_landscape`` (the same for every entry).
        collection: the collection to fill (its directory, if any, makes the sweep resumable).
        directory: or a directory: the collection there is opened (resumed) or created.
            Neither: a new in-memory collection (nothing to resume from).
        keys: names for non-dict keys, e.g. ``"epoch"`` or ``("lr", "seed")``.
        subspace: "random" (``lw.random_subspace(model, dims, normalization, seed)``),
            "hessian" (``lw.hessian_subspace(model, loss_fn, data, dims, seed=seed)``), or a
            callable ``model -> Subspace`` (then ``dims`` and ``normalization`` are unused).
        dims, resolution, extent: the grid, the same for every entry.
        points, sampler: sample that many scattered points in the ``extent`` box instead of a
            grid (``sample_landscape(points=..., sampler=..., seed=seed)``: the same points
            for every entry).
        connectivity: of the collection's merge trees (``LandscapeCollection``); default
            "full" for grids, "symmetric_knn" for scattered points.
        normalization: of random directions ("filter", "layer" or None).
        seed: the subspace seed, the same for every entry (so a random subspace draws the same
            Gaussian directions for every model of one architecture, then normalizes them to
            each model's filters).
        hessian: also compute ``lw.hessian_metrics`` (top eigenvalue, trace) per entry; a dict
            passes options (``top_n``, ``tol``, ``trace_rtol``, ``max_trace_samples``).
        scalars: ``scalars(model, key) -> {"test_error": ..., ...}``: user numbers per entry.
        device, dtype, chunk_size: passed to ``sample_landscape`` (device also to the Hessian).
        progress: one ``tqdm`` bar over the whole sweep (one step per landscape).
        resume: continue the sweep saved in the collection (default): finished entries are
            kept (a checkpoint's state must hash as it did) and a half-sampled landscape
            continues from its partial checkpoint, only when the configuration, loss and data
            are those saved. False starts over: every entry is recomputed and replaced.
        executor: a ``dask.distributed.Client`` or a ``concurrent.futures.Executor``: one
            entry per task (``compare/_distributed.py``); the loss, data and configuration go
            to each worker once, entries are written here as their tasks finish, and an entry
            whose code fails is reported (key and traceback, ``SweepError``) after the others
            finish. Pass ``chunk_size`` for values equal to a serial sweep bit for bit.

    Returns:
        The collection (``collection.table()`` for the numbers).

    Raises:
        ValueError: for bad settings, repeated keys, key names that differ from the
            collection's, or (resuming) a configuration, loss, data or checkpoint state that
            differs from the one saved in the directory; the message names what differs.
    """
    names = _names(keys)
    cfg = _config(subspace, dims, resolution, extent, normalization, seed, hessian, dtype,
                  points, sampler)
    coll = _open(collection, directory, connectivity, points is not None)
    items = checkpoints.items() if isinstance(checkpoints, Mapping) else checkpoints
    jobs = []
    for item in items:
        try:
            raw, state = item
        except (TypeError, ValueError):
            raise TypeError(
                f"checkpoints: expected (key, state) pairs or a dict {{key: state}}, got an item "
                f"{type(item).__name__}"
            ) from None
        key = _key_of(raw, names)
        if make_model is None and not _is_module(state):
            raise TypeError("make_model: None only works when every state is a module")
        jobs.append(_Job(key, _checkpoint_loader(state, make_model, key), _state_digest(state)))
    return _run(jobs, coll, loss_fn, data, cfg, scalars, device, chunk_size, progress,
                "checkpoint sweep", resume, executor=executor)


def sweep_training(
    train: Callable[[dict[str, Any]], Any],
    grid: Mapping[str, Sequence[Any]] | Iterable[Mapping[str, Any]],
    loss_fn: Callable[..., Any],
    data: Any,
    *,
    collection: LandscapeCollection | None = None,
    directory: str | os.PathLike[str] | None = None,
    subspace: str | Callable[[Any], Any] = "random",
    dims: int = 2,
    resolution: int | Sequence[int] = 41,
    extent: Extent = 1.0,
    points: int | None = None,
    sampler: str = "sobol",
    connectivity: str | None = None,
    normalization: str | None = "filter",
    seed: int = 0,
    hessian: bool | Mapping[str, Any] = False,
    scalars: Callable[[Any, dict[str, Any]], Mapping[str, Any]] | None = None,
    device: Any = None,
    dtype: Any = None,
    chunk_size: int | None = None,
    progress: bool = True,
    resume: bool = True,
    executor: Any = None,
) -> LandscapeCollection:
    """Train one model per configuration of a grid and collect their landscapes.

    Args:
        train: ``train(config) -> model``, or ``-> (model, {"test_error": ...})`` to record
            numbers from training. ``config`` is the entry's key, e.g. ``{"lr": 0.01,
            "seed": 1}``. It is not called for entries already in the collection, so an
            interrupted sweep does not retrain finished runs.
        grid: ``{"lr": [1e-3, 1e-2], "seed": [0, 1]}`` (every combination, in order) or an
            explicit list of configurations.
        Other arguments: as for :func:`sweep_checkpoints` (the fingerprint also holds
            ``train``'s name and code: entries trained by other code are not resumed); with
            ``executor=`` each task trains and samples one entry.

    Returns:
        The collection.
    """
    if not callable(train):
        raise TypeError(f"train: expected a callable train(config) -> model, got {train!r}")
    cfg = _config(subspace, dims, resolution, extent, normalization, seed, hessian, dtype,
                  points, sampler)
    coll = _open(collection, directory, connectivity, points is not None)
    if isinstance(grid, Mapping):
        spec = cast("Mapping[str, Any]", grid)  # the {name: values} form
        names = [str(n) for n in spec]
        for n in names:
            if isinstance(spec[n], (str, bytes)) or not isinstance(spec[n], Iterable):
                raise TypeError(f"grid[{n!r}]: expected a list of values, got {spec[n]!r}")
        configs = [dict(zip(names, combo)) for combo in itertools.product(*spec.values())]
    else:
        configs = [dict(c) for c in grid]
    jobs = []
    for config in configs:
        key = {str(k): key_value(str(k), v) for k, v in config.items()}
        jobs.append(_Job(key, _training_loader(train, key)))
    return _run(jobs, coll, loss_fn, data, cfg, scalars, device, chunk_size, progress,
                "training sweep", resume, train, executor)


def _training_loader(train: Callable[..., Any], key: dict[str, Any]) -> Callable[[], Any]:
    return functools.partial(_load_trained, train, dict(key))


def _load_trained(train: Callable[..., Any], key: dict[str, Any]) -> tuple[Any, Mapping[str, Any]]:
    import torch

    out = train(dict(key))
    extra: Mapping[str, Any] = {}
    if isinstance(out, tuple) and len(out) == 2 and isinstance(out[1], Mapping):
        out, extra = out
    if not isinstance(out, torch.nn.Module):
        raise TypeError(
            f"train: expected it to return a torch.nn.Module (or (model, scalars)), got "
            f"{type(out).__name__}"
        )
    return out, extra


def _is_module(state: Any) -> bool:
    import torch

    return isinstance(state, torch.nn.Module)


__all__ = ["sweep_checkpoints", "sweep_training"]

