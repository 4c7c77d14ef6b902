"""What a sweep's entries are made of: their keys and how each one's model is had (a checkpoint
loaded into ``make_model``'s model, or ``train(config)``), without building or training it yet.

A :class:`Job`'s ``load`` is a ``functools.partial`` of a module-level function, so that it
pickles and travels to an executor's worker (``_distributed.py``); ``digest`` hashes a
checkpoint's state for the resume record (``_resume.py``) without building a model.
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
from typing import TYPE_CHECKING, Any, cast

from .collection import key_value

if TYPE_CHECKING:  # pragma: no cover
    from .collection import LandscapeCollection


@dataclass
class Job:
    """One entry to compute: its key and how to get its model (and scalars that come with it)."""

    key: dict[str, Any]
    load: Callable[[], tuple[Any, Mapping[str, Any]]]
    # a hash of what the entry's model is made from (a checkpoint's state), when it can be had
    # without building or training the model; None for a training sweep
    digest: Callable[[], str] | None = None


def label(key: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in key.items())


# ---------------------------------------------------------------------------- keys
def key_of(raw: Any, names: tuple[str, ...] | None) -> dict[str, Any]:
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


def key_names(keys: str | Sequence[str] | None) -> tuple[str, ...] | None:
    if keys is None:
        return None
    return (keys,) if isinstance(keys, str) else tuple(str(k) for k in keys)


def check_keys(jobs: list[Job], coll: LandscapeCollection) -> None:
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
            raise ValueError(f"the key {label(job.key)} appears twice")
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


def checkpoint_jobs(checkpoints: Mapping[Any, Any] | Iterable[tuple[Any, Any]],
                    make_model: Any, names: tuple[str, ...] | None) -> list[Job]:
    """One job per ``(key, state)`` of ``sweep_checkpoints``."""
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
        key = key_of(raw, names)
        if make_model is None and not _is_module(state):
            raise TypeError("make_model: None only works when every state is a module")
        jobs.append(Job(key, _checkpoint_loader(state, make_model, key), _state_digest(state)))
    return jobs


def training_jobs(train: Callable[..., Any],
                  grid: Mapping[str, Sequence[Any]] | Iterable[Mapping[str, Any]]) -> list[Job]:
    """One job per configuration of ``sweep_training``'s grid (every combination, in order)."""
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
        jobs.append(Job(key, _training_loader(train, key)))
    return jobs


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


__all__ = ["Job", "check_keys", "checkpoint_jobs", "key_names", "key_of", "label",
           "training_jobs"]
