"""Loss closures: ``fn(model, batch) -> scalar`` for any model and any batch.

The toolkit's first loss form is ``loss_fn(outputs, targets)`` on ``(inputs, targets)`` tensor
pairs. A Hugging Face model that computes its own loss (``model(**batch).loss``), a graph batch
(PyTorch Geometric's ``Batch``), a loss without targets or one that reads the parameters (a
regulariser) do not fit it. :func:`model_loss` marks a function as the second form, explicitly:
nothing is guessed from a function's signature.

Inside the closure, ``model`` computes with the parameters of the point being evaluated: every
stage calls it through ``torch.func.functional_call`` on :class:`ClosureModule`, a module that
holds the user's model as its only child and whose ``forward(batch)`` is ``fn(model, batch)``.
``functional_call`` swaps the point's tensors into the model for the duration of that call (so
``model.parameters()`` inside the closure yields them too), under ``vmap`` as well; the per-point
loop may instead hand the closure a private copy of the model whose parameters hold the point.

``batch`` is whatever the data yields, moved to the evaluation device by :func:`move_to`; batches
are weighted by ``batch_size(batch)``, by default the leading dimension of the first tensor found
(:func:`leading_size`).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import torch

ClosureFn = Callable[[torch.nn.Module, Any], torch.Tensor]
SizeFn = Callable[[Any], int]

# functional_call on a ClosureModule names the user's model's tensors under this child
CHILD = "model"


@dataclasses.dataclass(frozen=True)
class ModelLoss:
    """A loss closure ``fn(model, batch) -> scalar tensor`` (see :func:`model_loss`)."""

    fn: ClosureFn
    batch_size: SizeFn | None = None

    def __call__(self, model: torch.nn.Module, batch: Any) -> torch.Tensor:
        return self.fn(model, batch)

    def size_of(self, batch: Any) -> int:
        """The batch's weight in the mean over batches: ``batch_size(batch)``, or the leading
        dimension of its first tensor."""
        if self.batch_size is None:
            return leading_size(batch)
        size = self.batch_size(batch)
        if isinstance(size, torch.Tensor) and size.numel() == 1:
            size = int(size.item())
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise TypeError(
                f"batch_size: expected it to return a non-negative int, got {size!r}"
            )
        return size

    def fingerprint_parts(self) -> dict[str, Any]:
        """What decides the values (``io/fingerprint.py`` fingerprints each part)."""
        return {"fn": self.fn, "batch_size": self.batch_size}

    @property
    def __name__(self) -> str:  # the loss name landscapes record in their provenance
        return getattr(self.fn, "__name__", type(self.fn).__name__)


def model_loss(fn: ClosureFn, batch_size: SizeFn | None = None) -> ModelLoss:
    """Mark ``fn(model, batch) -> scalar tensor`` as a loss closure, accepted wherever a
    ``loss_fn`` is (``sample_landscape``, ``hessian_subspace``, ``hvp_operator``,
    ``hessian_metrics``, ``jump_and_retrain``, sweeps).

    Args:
        fn: called with the model (computing with the parameters of the point being evaluated)
            and one batch as the data yields it (a tensor pair, a dict or other Mapping such as a
            Hugging Face ``BatchEncoding``, a dataclass, an object with ``.to(device)`` such as a
            PyTorch Geometric ``Batch``), moved to the evaluation device. Returns a scalar,
            mean-reduced over the batch.
        batch_size: ``batch_size(batch) -> int``, the batch's weight in the mean over batches
            (e.g. ``lambda b: b.num_graphs``); default the leading dimension of the first
            tensor found in the batch.

    Example:
        >>> net = torch.nn.Linear(3, 1)
        >>> loss = model_loss(lambda m, b: ((m(b["x"]) - b["y"]) ** 2).mean())
        >>> float(loss(net, {"x": torch.zeros(4, 3), "y": net.bias.detach().expand(4, 1)}))
        0.0
    """
    if isinstance(fn, ModelLoss):
        return fn if batch_size is None else dataclasses.replace(fn, batch_size=batch_size)
    if not callable(fn):
        raise TypeError(
            f"fn: expected a callable fn(model, batch) -> scalar tensor, got {type(fn).__name__}"
        )
    if batch_size is not None and not callable(batch_size):
        raise TypeError(
            "batch_size: expected None or a callable batch_size(batch) -> int, "
            f"got {type(batch_size).__name__}"
        )
    return ModelLoss(fn, batch_size)


def is_closure(loss_fn: Any) -> bool:
    """Whether ``loss_fn`` is a :func:`model_loss` closure (else ``loss_fn(outputs, targets)``)."""
    return isinstance(loss_fn, ModelLoss)


class ClosureModule(torch.nn.Module):
    """The user's model and a closure as one module: ``forward(batch)`` is ``fn(model, batch)``.

    ``torch.func.functional_call(closure_module, {"model.<name>": tensor, ...}, (batch,))`` runs
    the closure with the model's tensors replaced (:func:`prefixed` names them).
    """

    def __init__(self, model: torch.nn.Module, loss: ModelLoss) -> None:
        super().__init__()
        self.model = model  # registered as the only child: its tensors are "model.<name>"
        self._loss = loss

    def forward(self, batch: Any) -> torch.Tensor:
        return self._loss.fn(self.model, batch)

    def call_with(self, tensors: Mapping[str, torch.Tensor], batch: Any) -> torch.Tensor:
        """``fn(model, batch)`` with the model's tensors named in ``tensors`` (model names)
        replaced; the model itself is never written."""
        return torch.func.functional_call(self, prefixed(tensors), (batch,))


def prefixed(tensors: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """``{name: t}`` of the user's model -> ``{"model.name": t}`` of a :class:`ClosureModule`."""
    return {f"{CHILD}.{n}": t for n, t in tensors.items()}


# ---------------------------------------------------------------------------- batches
# how deep a batch's containers are searched (objects may refer to each other in cycles)
MAX_DEPTH = 8


def first_tensor(batch: Any, depth: int = 0) -> torch.Tensor | None:
    """The first tensor found in ``batch``, depth first: a tensor itself, then the items of a
    tuple/list, the values of a Mapping, the fields of a dataclass, the attributes of an
    object (a PyTorch Geometric ``Batch`` through ``to_dict()``)."""
    if isinstance(batch, torch.Tensor):
        return batch
    if depth > MAX_DEPTH or isinstance(batch, (str, bytes)):
        return None
    for item in children(batch):
        found = first_tensor(item, depth + 1)
        if found is not None:
            return found
    return None


def children(batch: Any) -> list[Any]:
    """What a batch holds, one level down (see :func:`first_tensor`); [] for a leaf."""
    if isinstance(batch, (tuple, list)):
        return list(batch)
    if isinstance(batch, Mapping):
        return list(batch.values())
    if dataclasses.is_dataclass(batch) and not isinstance(batch, type):
        return [getattr(batch, f.name) for f in dataclasses.fields(batch)]
    to_dict = getattr(batch, "to_dict", None)
    if callable(to_dict):
        try:
            items = to_dict()
        except Exception:  # a to_dict that needs arguments: not this protocol
            items = None
        if isinstance(items, Mapping):
            return list(items.values())
    if hasattr(batch, "__dict__") and not isinstance(batch, type):
        return list(vars(batch).values())
    return []


def leading_size(batch: Any) -> int:
    """The default batch weight: the leading dimension of the first tensor in ``batch`` (1 for
    a 0-d tensor).

    Example:
        >>> leading_size({"input_ids": torch.zeros(4, 7, dtype=torch.long)})
        4
    """
    t = first_tensor(batch)
    if t is None:
        raise TypeError(
            f"batch_size: a {type(batch).__name__} batch holds no tensor to count samples by; "
            "pass model_loss(fn, batch_size=lambda batch: ...)"
        )
    return int(t.shape[0]) if t.ndim > 0 else 1


def move_to(batch: Any, device: torch.device | str, dtype: torch.dtype | None = None) -> Any:
    """``batch`` on ``device``, floating tensors in ``dtype`` (when given); the user's batch
    is never changed.

    Tensors, tuples/lists (named tuples too), Mappings (rebuilt as their own type when it can
    be built from a dict, a Hugging Face ``BatchEncoding`` included, else as a dict) and
    dataclasses are rebuilt; an object with ``apply(fn)`` (PyTorch Geometric's ``Data`` and
    ``Batch``) is shallow-copied and its tensors mapped; any other object with ``.to`` gets
    ``.to(device)`` (its dtype is left alone); anything else is passed as is.
    """

    def tensor(t: torch.Tensor) -> torch.Tensor:
        if dtype is not None and t.is_floating_point():
            return t.to(device=device, dtype=dtype)
        return t.to(device)

    return _map_tensors(batch, tensor, device)


def _map_tensors(obj: Any, fn: Callable[[torch.Tensor], torch.Tensor], device: Any) -> Any:
    if isinstance(obj, torch.Tensor):
        return fn(obj)
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):  # a named tuple
        return type(obj)(*(_map_tensors(v, fn, device) for v in obj))
    if isinstance(obj, (tuple, list)):
        return type(obj)(_map_tensors(v, fn, device) for v in obj)
    if isinstance(obj, Mapping):
        moved = {k: _map_tensors(v, fn, device) for k, v in obj.items()}
        if type(obj) is dict:
            return moved
        try:
            return type(obj)(moved)  # type: ignore[call-arg]  # (a Mapping subclass)
        except Exception:  # a Mapping that cannot be built from a dict: a dict will do
            return moved
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        changes = {f.name: _map_tensors(getattr(obj, f.name), fn, device)
                   for f in dataclasses.fields(obj) if f.init}
        return dataclasses.replace(obj, **changes)
    batch: Any = obj  # duck-typed from here on: a graph batch, or anything with .to
    if callable(getattr(batch, "apply", None)) and callable(getattr(batch, "to", None)):
        # PyG's apply (and to) write the object's own stores: map a shallow copy
        return copy.copy(batch).apply(fn)
    if callable(getattr(batch, "to", None)):
        return batch.to(device)
    return obj
