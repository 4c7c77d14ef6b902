"""One configuration for every entry of a sweep: :class:`SweepConfig`.

``sweep_checkpoints`` and ``sweep_training`` take the same options (the subspace, the grid, the
Hessian, the device, progress, resume, the executor, the ``on_entry`` hook ...). They are the
fields of one frozen, validated :class:`SweepConfig`: pass one as ``config=`` (to reuse it
across sweeps), or the fields as keywords, as before (``resolution=21``); keywords override the
fields of ``config``. :class:`SweepOptions` spells the keywords out for type checkers
(``**options: Unpack[SweepOptions]``); a test keeps it equal to the dataclass' fields.

What a worker needs to compute one entry is the smaller :class:`EntryPlan` (the resolved grid;
no executor or hook, which do not pickle); its fingerprint is what a collection records as the
sweep's configuration (``_resume.py``).
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from ..landscape import Extent, grid_bounds, grid_resolution
from .collection import CONNECTIVITIES, GRID_CONNECTIVITIES

if TYPE_CHECKING:  # pragma: no cover
    from ..landscape import Landscape

SUBSPACES = ("random", "hessian")
NORMALIZATIONS = ("filter", "layer", None)
HESSIAN_OPTIONS = ("top_n", "tol", "trace_rtol", "max_trace_samples")

OnEntry = Callable[[dict[str, Any], "Landscape"], None]
Scalars = Callable[[Any, dict[str, Any]], Mapping[str, Any]]


@dataclass(frozen=True, kw_only=True)
class SweepConfig:
    """How every entry of a sweep is computed, and how the sweep runs (validated at once;
    ``dataclasses.replace(config, seed=1)`` makes a variant).

    Args:
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
        progress: one ``tqdm`` bar over the whole sweep (entries done / total, on an executor
            too).
        resume: continue the sweep saved in the collection (default): finished entries are
            kept (a checkpoint's state must hash as it did) and a half-sampled landscape
            continues from its partial checkpoint, only when the configuration, loss and data
            are those saved. False starts over: every entry is recomputed and replaced.
        executor: a ``dask.distributed.Client`` or a ``concurrent.futures.Executor``: one
            entry per task (``compare/_distributed.py``); the loss, data and configuration go
            to each worker once, entries are written here as their tasks finish, and an entry
            whose code fails is reported (key and traceback, ``SweepError``) after the others
            finish. Pass ``chunk_size`` for values equal to a serial sweep bit for bit.
        on_entry: ``on_entry(key, landscape)``, called in this process once per entry of the
            sweep as soon as it is in the collection, in the order entries finish (on an
            executor: completion order); entries a resumed sweep finds already done come first,
            in the sweep's order, so a live view (``on_entry=gallery.add``) shows them all. An
            exception it raises stops the sweep (the entry stays saved) with a RuntimeError
            naming the key.

    Example:
        >>> import dataclasses
        >>> cfg = SweepConfig(resolution=21, extent=0.5, hessian=True, progress=False)
        >>> dataclasses.replace(cfg, seed=1).seed
        1
        >>> SweepConfig(dims=0)
        Traceback (most recent call last):
        ...
        ValueError: dims: expected an integer >= 1, got 0
    """

    subspace: str | Callable[[Any], Any] = "random"
    dims: int = 2
    resolution: int | Sequence[int] = 41
    extent: Extent = 1.0
    points: int | None = None
    sampler: str = "sobol"
    connectivity: str | None = None
    normalization: str | None = "filter"
    seed: int = 0
    hessian: bool | Mapping[str, Any] = False
    scalars: Scalars | None = None
    device: Any = None
    dtype: Any = None
    chunk_size: int | None = None
    progress: bool = True
    resume: bool = True
    executor: Any = None
    on_entry: OnEntry | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        self.entry_plan()  # checks the grid, subspace and Hessian options
        if self.connectivity is not None and self.connectivity not in CONNECTIVITIES:
            raise ValueError(
                f"connectivity: expected None or one of {CONNECTIVITIES}, got "
                f"{self.connectivity!r}"
            )
        if self.points is not None and self.connectivity in GRID_CONNECTIVITIES:
            raise ValueError(
                f"connectivity: {self.connectivity!r} is a grid connectivity; with points= use "
                f"one of {CONNECTIVITIES[len(GRID_CONNECTIVITIES):]}"
            )
        for name in ("scalars", "on_entry"):
            value = getattr(self, name)
            if value is not None and not callable(value):
                raise TypeError(f"{name}: expected a callable or None, got {value!r}")
        if self.chunk_size is not None and not _positive_int(self.chunk_size):
            raise ValueError(
                f"chunk_size: expected None or an integer >= 1, got {self.chunk_size!r}")
        if not isinstance(self.progress, bool):
            raise TypeError(f"progress: expected True or False, got {self.progress!r}")
        from ..io.fingerprint import check_resume

        check_resume(self.resume)

    @classmethod
    def of(cls, config: SweepConfig | None, options: Mapping[str, Any],
           caller: str) -> SweepConfig:
        """``config`` (default: the defaults) with the keyword ``options`` of ``caller``
        replacing its fields; unknown keywords are refused, naming the closest field."""
        if config is not None and not isinstance(config, SweepConfig):
            raise TypeError(f"config: expected a SweepConfig or None, got "
                            f"{type(config).__name__}")
        fields = [f.name for f in dataclasses.fields(cls)]
        for name in options:
            if name not in fields:
                close = difflib.get_close_matches(name, fields, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise TypeError(
                    f"{caller}() got an unexpected keyword argument {name!r}{hint}; its "
                    f"options are the fields of lw.SweepConfig: {', '.join(fields)}"
                )
        base = config if config is not None else cls()
        return dataclasses.replace(base, **options) if options else base

    def entry_plan(self) -> EntryPlan:
        """What computes one entry (resolved grid, Hessian options): what a worker needs."""
        subspace, dims = self.subspace, self.dims
        if not (callable(subspace) or subspace in SUBSPACES):
            raise ValueError(
                f"subspace: expected one of {SUBSPACES} or a callable model -> Subspace, got "
                f"{subspace!r}"
            )
        if isinstance(dims, bool) or not isinstance(dims, int) or dims < 1:
            raise ValueError(f"dims: expected an integer >= 1, got {dims!r}")
        if self.normalization not in NORMALIZATIONS:
            raise ValueError(f"normalization: expected one of {NORMALIZATIONS}, got "
                             f"{self.normalization!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise TypeError(
                f"seed: expected an integer (the same for every entry), got {self.seed!r}")
        _check_points(self.points, self.sampler)
        return EntryPlan(subspace, dims, grid_resolution(dims, self.resolution),
                         grid_bounds(dims, self.extent), self.normalization, self.seed,
                         _hessian_options(self.hessian), self.dtype, self.points, self.sampler)


class SweepOptions(TypedDict, total=False):
    """The keyword options of ``sweep_checkpoints`` / ``sweep_training``: the fields of
    :class:`SweepConfig` (documented there)."""

    subspace: str | Callable[[Any], Any]
    dims: int
    resolution: int | Sequence[int]
    extent: Extent
    points: int | None
    sampler: str
    connectivity: str | None
    normalization: str | None
    seed: int
    hessian: bool | Mapping[str, Any]
    scalars: Scalars | None
    device: Any
    dtype: Any
    chunk_size: int | None
    progress: bool
    resume: bool
    executor: Any
    on_entry: OnEntry | None


@dataclass(frozen=True)
class EntryPlan:
    """The resolved part of a :class:`SweepConfig` that computes one entry (it pickles: it
    travels to the workers of an executor)."""

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


def _hessian_options(hessian: Any) -> dict[str, Any] | None:
    if hessian is True:
        return {}
    if hessian is False or hessian is None:
        return None
    if isinstance(hessian, Mapping):
        unknown = sorted(set(hessian) - set(HESSIAN_OPTIONS))
        if unknown:
            raise ValueError(f"hessian: unknown options {unknown}; allowed: {HESSIAN_OPTIONS}")
        return dict(hessian)
    raise TypeError(
        f"hessian: expected True/False or a dict of hessian_metrics options "
        f"{HESSIAN_OPTIONS}, got {type(hessian).__name__}"
    )


def _check_points(points: Any, sampler: Any) -> None:
    if points is None:
        return
    from ..evaluation.grid import SAMPLERS

    if not _positive_int(points):
        raise ValueError(f"points: expected None or a number of points >= 1, got {points!r}")
    if sampler not in SAMPLERS:
        raise ValueError(f"sampler: expected one of {SAMPLERS}, got {sampler!r}")


def _positive_int(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and value >= 1


__all__ = ["EntryPlan", "SweepConfig", "SweepOptions"]
