"""Sweeps: the landscapes of many checkpoints (or training runs) with one fixed configuration.

Every entry gets the same kind of subspace (random with the same seed and normalization, or the
top Hessian eigenvectors), the same resolution and extent, so their metrics are comparable: the
configuration is one :class:`~.sweep_config.SweepConfig`, passed as ``config=`` or as its fields
(keywords). One ``tqdm`` bar counts landscapes over the whole sweep, and ``on_entry(key,
landscape)`` hears of each entry as it is in the collection (resumed ones first). Each finished
entry is written to the collection's directory at once (landscape file, then index), and a
half-sampled landscape is checkpointed under ``<directory>/partial/`` by ``sample_landscape``;
so an interrupted sweep, run again with the same arguments, skips finished entries (their models
are not even built or trained) and continues the unfinished one where it stopped. The
configuration is recorded in ``collection.attrs["sweep"]`` (subspace, resolution, extent, seed,
dtype, device kind), and each finished entry with a fingerprint of its inputs (the loss, the
data, the ``train`` and ``scalars`` functions, a checkpoint's state: ``_resume.py``); a re-run
that differs in any of them raises, naming what differs, instead of mixing landscapes of
different computations in one table. ``resume=False`` starts over: every entry of the sweep is
recomputed and replaced.

Example:
    >>> import landscape_widgets as lw
    >>> coll = lw.sweep_checkpoints(  # doctest: +SKIP
    ...     [({"epoch": e}, state) for e, state in enumerate(states)],
    ...     make_model=lambda: MyNet(), loss_fn=loss_fn, data=(x, y),
    ...     directory="runs/landscapes", resolution=21, extent=0.5)
    >>> coll.table()  # doctest: +SKIP
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._jobs import Job, check_keys, checkpoint_jobs, key_names, label, training_jobs
from .collection import LandscapeCollection
from .store import INDEX
from .sweep_config import (
    HESSIAN_OPTIONS,
    NORMALIZATIONS,
    SUBSPACES,
    EntryPlan,
    SweepConfig,
    SweepOptions,
)

if TYPE_CHECKING:  # pragma: no cover
    from typing_extensions import Unpack

PARTIAL = "partial"


# ---------------------------------------------------------------------------- collection
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


# ---------------------------------------------------------------------------- the loop
def _run(jobs: list[Job], coll: LandscapeCollection, loss_fn: Any, data: Any,
         config: SweepConfig, desc: str, train: Any = None) -> LandscapeCollection:
    """Skip the finished entries (announced to ``on_entry`` first), compute the others here or
    on the executor; one progress bar over the whole sweep."""
    from .._progress import progress_bar as tqdm
    from ..model.data import as_batches
    from ._resume import SweepRecord, sweep_inputs

    check_keys(jobs, coll)
    plan = config.entry_plan()
    batches = as_batches(data, loss_fn)
    if not isinstance(data, (tuple, list)) and batches.source is not data:
        data = batches.source  # a generator, materialised once for every entry
    record = SweepRecord(coll, plan.fingerprint(config.device),
                         sweep_inputs(loss_fn, batches, train, config.scalars), config.resume,
                         [coll.id_for(job.key) for job in jobs])
    finished: list[Job] = []
    pending: list[Job] = []
    for job in jobs:
        done = record.is_finished(job.key, label(job.key), job.digest)
        (finished if done else pending).append(job)
    announce = functools.partial(_announce, config.on_entry)
    for job in finished:  # a live view of the sweep shows what a resumed one already has
        announce(job.key, coll.landscape(job.key))
    bar = tqdm(total=len(jobs), initial=len(finished), unit="landscape", desc=desc,
               disable=not config.progress)
    try:
        if config.executor is not None:
            from ._distributed import run_on_executor

            run_on_executor(config.executor, pending, coll, record, loss_fn, data, plan,
                            config.scalars, config.device, config.chunk_size, bar, label,
                            announce)
            return coll
        for job in pending:
            bar.set_postfix_str(label(job.key), refresh=False)
            digest = job.digest() if job.digest is not None else None
            model, extra = job.load()
            entry_id, land = _compute(job.key, model, dict(extra), coll, loss_fn, data, plan,
                                      config, config.resume)
            record.record(entry_id, digest)
            bar.update(1)
            announce(job.key, land)
    finally:
        bar.close()
    return coll


def _announce(on_entry: Callable[[dict[str, Any], Any], None] | None, key: Mapping[str, Any],
              land: Any) -> None:
    """Call the ``on_entry`` hook; what it raises stops the sweep, naming the entry."""
    if on_entry is None:
        return
    try:
        on_entry(dict(key), land)
    except Exception as exc:
        raise RuntimeError(
            f"on_entry raised {type(exc).__name__} for the entry {label(key)}: {exc}. The "
            "sweep stopped; the entry is saved in the collection, and running the sweep again "
            "resumes it"
        ) from exc


def _compute(
    key: dict[str, Any],
    model: Any,
    extra: dict[str, Any],
    coll: LandscapeCollection,
    loss_fn: Any,
    data: Any,
    plan: EntryPlan,
    config: SweepConfig,
    resume: bool = True,
) -> tuple[str, Any]:
    """Compute one entry and add it (replacing a stale one); returns its id and landscape."""
    partial = None
    if coll.directory is not None:
        partial = coll.directory / PARTIAL / f"{coll.id_for(key)}.npz"
        partial.parent.mkdir(parents=True, exist_ok=True)
    land, hess, extra = entry_result(key, model, extra, loss_fn, data, plan, config.scalars,
                                     config.device, config.chunk_size, partial, resume)
    entry = coll.add(key, land, hessian=hess, scalars=extra, replace=True)
    if partial is not None and partial.exists():
        partial.unlink()
    return entry.id, land


def entry_result(
    key: dict[str, Any],
    model: Any,
    extra: dict[str, Any],
    loss_fn: Any,
    data: Any,
    cfg: EntryPlan,
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
    config: SweepConfig | None = None,
    **options: Unpack[SweepOptions],
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
        config: a :class:`SweepConfig` (default: its defaults).
        **options: any field of :class:`SweepConfig`, replacing ``config``'s: ``subspace``,
            ``dims``, ``resolution``, ``extent``, ``points``, ``sampler``, ``connectivity``,
            ``normalization``, ``seed``, ``hessian``, ``scalars``, ``device``, ``dtype``,
            ``chunk_size``, ``progress``, ``resume``, ``executor``, ``on_entry`` (documented
            there).

    Returns:
        The collection (``collection.table()`` for the numbers).

    Raises:
        ValueError: for bad settings, repeated keys, key names that differ from the
            collection's, or (resuming) a configuration, loss, data or checkpoint state that
            differs from the one saved in the directory; the message names what differs.
        TypeError: for an option that is not a field of :class:`SweepConfig`.
        SweepError: (with an executor) after the other entries finished, naming every entry
            whose code raised, with its traceback.
        RuntimeError: when ``on_entry`` raises (naming the entry; the sweep stops).
    """
    cfg = SweepConfig.of(config, options, "sweep_checkpoints")
    names = key_names(keys)
    coll = _open(collection, directory, cfg.connectivity, cfg.points is not None)
    jobs = checkpoint_jobs(checkpoints, make_model, names)
    return _run(jobs, coll, loss_fn, data, cfg, "checkpoint sweep")


def sweep_training(
    train: Callable[[dict[str, Any]], Any],
    grid: Mapping[str, Sequence[Any]] | Iterable[Mapping[str, Any]],
    loss_fn: Callable[..., Any],
    data: Any,
    *,
    collection: LandscapeCollection | None = None,
    directory: str | os.PathLike[str] | None = None,
    config: SweepConfig | None = None,
    **options: Unpack[SweepOptions],
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
    cfg = SweepConfig.of(config, options, "sweep_training")
    if not callable(train):
        raise TypeError(f"train: expected a callable train(config) -> model, got {train!r}")
    coll = _open(collection, directory, cfg.connectivity, cfg.points is not None)
    return _run(training_jobs(train, grid), coll, loss_fn, data, cfg, "training sweep", train)


__all__ = ["SweepConfig", "SweepOptions", "sweep_checkpoints", "sweep_training"]
# names that lived here before the configuration moved to sweep_config.py
_reexported = (HESSIAN_OPTIONS, NORMALIZATIONS, SUBSPACES)

