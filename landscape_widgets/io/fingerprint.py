"""Fingerprints of a computation, so that a resumed run continues only the same computation.

A checkpoint (``sample_landscape``, ``jump_and_retrain``) or a sweep directory records one flat,
JSON-able mapping of everything that determines its results: the model's parameters and buffers
(by hash), the directions, the data (a hash of the tensors, or what can be seen of a loader), the
loss (qualified name, code, and a module's configuration), the optimizer a factory builds (class
and hyperparameters), seeds, step sizes, epochs, resolution, extent, dtype and device kind. A
re-run compares its own fingerprint with the stored one and is refused, naming every field that
differs, rather than silently appending to another experiment.

torch is imported inside the functions that hash tensors (here and in ``_hashing.py``): this
module sits in the lowest stage.

Example:
    >>> ours = {"optimizer.lr": 0.05, "epochs": 3}
    >>> fingerprint_differences(ours, {"optimizer.lr": 0.1, "epochs": 3})
    ['learning rate (optimizer.lr: 0.1 in the file, 0.05 in this run)']
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ._hashing import _digest_of, jsonable, qualified_name, tensor_digest
from .fingerprint_compare import (
    APPROXIMATE,
    check_resume,
    differing_fields,
    fingerprint_differences,
    label,
    refuse_different,
    same_value,
)


# ---------------------------------------------------------------------------- model, directions
def model_fingerprint(model: Any) -> dict[str, Any]:
    """Class, parameters and buffers (each by hash) of an ``nn.Module``."""
    return {
        "model.class": qualified_name(type(model)),
        "model.parameters": tensor_digest(model.named_parameters()),
        "model.buffers": tensor_digest(model.named_buffers()),
    }


def directions_fingerprint(directions: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The directions of a subspace (one ``{name: tensor}`` per axis), by hash."""
    return {"directions": tensor_digest(
        (f"{i}.{n}", t) for i, d in enumerate(directions) for n, t in d.items())}


# ---------------------------------------------------------------------------- data
def data_fingerprint(source: Any, prefix: str = "data") -> dict[str, Any]:
    """What can be seen of the data without changing it.

    ``source`` is the user's data as the evaluation iterates it: a list or tuple of batches
    (a single pair, or a materialised generator) is hashed in full; a DataLoader by its length,
    batch size, dataset size and a hash of its first batch, drawn with the random generators
    pinned (so a shuffled loader gives the same first batch every time; the caller's generators
    are restored); another re-iterable the same way; a one-shot iterator (``iter(x) is x``) by its
    length only, since drawing from it would consume the user's data.
    """
    import torch

    out: dict[str, Any] = {}
    if isinstance(source, (list, tuple)):
        out[f"{prefix}.batches"] = len(source)
        out[f"{prefix}.sha256"] = _digest_of(list(source))
        return out
    out[f"{prefix}.kind"] = qualified_name(type(source))
    out[f"{prefix}.batches"] = _length(source)
    if isinstance(source, torch.utils.data.DataLoader):
        dataset = source.dataset
        out[f"{prefix}.batch_size"] = source.batch_size
        out[f"{prefix}.drop_last"] = bool(source.drop_last)
        out[f"{prefix}.dataset"] = qualified_name(type(dataset))
        out[f"{prefix}.dataset_size"] = _length(dataset)
        out[f"{prefix}.sampler"] = qualified_name(type(source.sampler))
    first = _first_batch(source)
    if first == _ONE_SHOT:
        return out
    # a loader that augments with an unpinned generator (numpy, random) shows no stable batch
    out[f"{prefix}.first_batch"] = first if first == _first_batch(source) else "varies"
    return out


_ONE_SHOT = "one-shot iterator: not drawn from"


def _length(obj: Any) -> int | None:
    try:  # a DataLoader over an IterableDataset may have no length
        return len(obj)
    except TypeError:
        return None


def _first_batch(source: Any) -> str | None:
    """A hash of the first batch, drawn with torch's global generator and the loader's own one
    pinned (both restored after: even creating a DataLoader iterator draws a seed)."""
    import torch

    generator = getattr(source, "generator", None)
    generator = generator if isinstance(generator, torch.Generator) else None
    saved = generator.get_state() if generator is not None else None
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        try:
            if generator is not None:
                generator.manual_seed(0)
            iterator = iter(source)
            if iterator is source:
                return _ONE_SHOT
            try:
                batch = next(iterator)
            except StopIteration:
                return None
            finally:
                del iterator  # shuts a DataLoader's workers down
        finally:
            if generator is not None and saved is not None:
                generator.set_state(saved)
    return _digest_of(batch)


# ---------------------------------------------------------------------------- callables
def callable_fingerprint(fn: Any, prefix: str) -> dict[str, Any]:
    """A loss (or any callable's) identity: qualified name and a hash of its code; for an
    ``nn.Module`` its configuration (``repr`` with its ``extra_repr``, the constructor arguments
    it and its submodules keep, such as ``label_smoothing``, and its state by hash); for a
    ``functools.partial`` its bound arguments; for a function its defaults and the plain values
    it closes over; for a ``model_loss`` closure each of its parts (``fingerprint_parts``)."""
    import torch

    out: dict[str, Any] = {}
    parts: Any = getattr(fn, "fingerprint_parts", None)
    if parts is not None and callable(parts) and not isinstance(fn, type):
        # a composite callable (a ``model_loss`` closure): its kind, then each part (the
        # closure's function, its batch_size) fingerprinted in full under its own name
        out[f"{prefix}.kind"] = qualified_name(type(fn))
        named: Any = parts()
        for name, part in named.items():
            if part is None:
                out[f"{prefix}.{name}"] = None
            else:
                out.update(callable_fingerprint(part, f"{prefix}.{name}"))
        return out
    if isinstance(fn, functools.partial):
        out[f"{prefix}.args"] = jsonable(fn.args)
        out[f"{prefix}.keywords"] = jsonable(fn.keywords)
        inner = callable_fingerprint(fn.func, prefix)
        return {**inner, **out}
    if inspect.ismethod(fn):
        owner = callable_fingerprint(fn.__self__, f"{prefix}.self")
        out[f"{prefix}.name"] = qualified_name(fn.__func__)
        out[f"{prefix}.code"] = code_digest(fn.__func__)
        return {**out, **{k: v for k, v in owner.items() if not k.endswith(".code")}}
    if inspect.isfunction(fn) or inspect.isbuiltin(fn):
        out[f"{prefix}.name"] = qualified_name(fn)
        out[f"{prefix}.code"] = code_digest(fn)
        out[f"{prefix}.args"], out[f"{prefix}.keywords"] = [], {}  # as a partial's, bound none
        if inspect.isfunction(fn):
            out[f"{prefix}.defaults"] = _setting(fn.__defaults__)
            out[f"{prefix}.closure"] = [_cell(c) for c in (fn.__closure__ or ())]
            out[f"{prefix}.globals"] = _globals_read(fn)
        return out
    out[f"{prefix}.name"] = qualified_name(type(fn))
    if isinstance(fn, torch.nn.Module):
        out[f"{prefix}.repr"] = repr(fn)
        out[f"{prefix}.settings"] = {
            f"{name}.{k}" if name else k: v
            for name, sub in fn.named_modules() for k, v in _constructor_settings(sub).items()
        }
        out[f"{prefix}.state"] = tensor_digest(fn.state_dict().items())
        out[f"{prefix}.code"] = code_digest(type(fn).forward)
    else:
        # a plain callable object: its class and code only (its attributes may well be
        # counters or caches that change with every call, not settings)
        out[f"{prefix}.code"] = code_digest(type(fn).__call__ if callable(fn) else None)
    return out


def _cell(cell: Any) -> Any:
    try:
        value = cell.cell_contents
    except ValueError:  # an empty cell
        return None
    return _setting(value)


def _globals_read(fn: Any) -> dict[str, Any]:
    """The settings a function reads from its module's globals (a notebook's ``BETA = 0.5`` or
    ``ce = nn.CrossEntropyLoss(...)``): plain values and modules, by name. Globals it assigns
    (``global calls; calls += 1``) are counters, not settings, and are left out."""
    import dis

    loaded: set[str] = set()
    stored: set[str] = set()
    codes = [fn.__code__]
    while codes:
        code = codes.pop()
        codes += [c for c in code.co_consts if isinstance(c, types.CodeType)]
        for ins in dis.get_instructions(code):
            if ins.opname == "LOAD_GLOBAL":
                loaded.add(str(ins.argval))
            elif ins.opname in ("STORE_GLOBAL", "DELETE_GLOBAL"):
                stored.add(str(ins.argval))
    found = {}
    for name in sorted(loaded - stored):
        value = fn.__globals__.get(name)
        if _is_module(value) or not (value is None or callable(value)
                                     or isinstance(value, types.ModuleType)):
            found[name] = _setting(value)
    return found


def _is_module(value: Any) -> bool:
    import torch

    return isinstance(value, torch.nn.Module)


def _setting(value: Any) -> Any:
    """A value a function closes over or defaults to, when it is a setting: plain immutable
    values and tensors as such, a module by its fingerprint; anything else (a list that counts
    calls, a cache) by its type only, since it may change with every call."""
    import torch

    if isinstance(value, torch.nn.Module):
        return callable_fingerprint(value, "module")
    if value is None or isinstance(value, (bool, int, float, str, torch.Tensor)):
        return jsonable(value)
    if isinstance(value, tuple):
        return [_setting(v) for v in value]
    return f"<{qualified_name(type(value))}>"


def _constructor_settings(module: Any) -> dict[str, Any]:
    """The constructor arguments a module keeps as attributes of the same name (a loss's
    ``reduction``, ``label_smoothing``, ``ignore_index``; a custom loss's ``beta``). Other
    attributes are left out: they may be counters or caches that change with every call."""
    try:
        names = list(inspect.signature(type(module).__init__).parameters)[1:]
    except (TypeError, ValueError):
        return {}
    attrs = vars(module)
    return {n: _setting(attrs[n]) for n in names if n in attrs and not n.startswith("_")}


def code_digest(fn: Any) -> str | None:
    """SHA-256 of a Python function's byte code, constants and names (nested code included);
    None for a builtin. Independent of comments, formatting and memory addresses."""
    code = getattr(fn, "__code__", None)
    if not isinstance(code, types.CodeType):
        return None
    h = hashlib.sha256()
    _feed_code(h, code)
    return h.hexdigest()


def _feed_code(h: Any, code: types.CodeType) -> None:
    h.update(code.co_code)
    h.update(repr(code.co_names).encode())
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            _feed_code(h, const)
        elif isinstance(const, frozenset):  # repr order follows string hashing: sort it
            h.update(repr(sorted(map(repr, const))).encode())
        else:
            h.update(repr(const).encode())


# ---------------------------------------------------------------------------- optimizer
def optimizer_fingerprint(make_optimizer: Callable[[list[Any]], Any],
                          parameters: Iterable[Any]) -> dict[str, Any]:
    """Class and hyperparameters of the optimizer ``make_optimizer`` builds, found by building
    one on throwaway parameters of the same shapes (on the ``meta`` device where the factory
    accepts it, so no memory is spent), never on the model's.

    Example:
        >>> import torch
        >>> fp = optimizer_fingerprint(lambda p: torch.optim.SGD(p, lr=0.1), [torch.zeros(3)])
        >>> fp["optimizer.class"], fp["optimizer.lr"], fp["optimizer.group_sizes"]
        ('torch.optim.sgd.SGD', 0.1, [1])
    """
    import torch

    like = [(tuple(p.shape), p.dtype, p.device) for p in parameters]
    try:
        opt = make_optimizer([torch.nn.Parameter(torch.empty(s, dtype=d, device="meta"))
                              for s, d, _ in like])
    except Exception:  # one that needs values or a device (fused=True): zeros where the
        # model's parameters are; a factory that fails there too raises its own error
        opt = make_optimizer([torch.nn.Parameter(torch.zeros(s, dtype=d, device=dev))
                              for s, d, dev in like])
    out: dict[str, Any] = {"optimizer.class": qualified_name(type(opt))}
    groups = list(getattr(opt, "param_groups", None) or [])
    out["optimizer.group_sizes"] = [len(g.get("params", ())) for g in groups]
    for i, group in enumerate(groups):
        where = "optimizer" if len(groups) == 1 else f"optimizer.group{i}"
        for name in sorted(group):
            if name != "params":
                out[f"{where}.{name}"] = jsonable(group[name])
    return out


__all__ = [
    "APPROXIMATE", "callable_fingerprint", "check_resume", "code_digest", "data_fingerprint",
    "differing_fields", "directions_fingerprint", "fingerprint_differences", "jsonable", "label",
    "model_fingerprint", "optimizer_fingerprint", "qualified_name", "refuse_different",
    "same_value", "tensor_digest",
]
