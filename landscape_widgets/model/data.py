"""The user's data: one ``(inputs, targets)`` pair or an iterable of such batches (DataLoader);
with a loss closure (``model/loss.py``) one batch of any kind or an iterable of them.

The loss over many batches is the sample-weighted mean, so a ragged last batch counts for what
it holds, and the result equals the loss over the concatenated data for mean-reduced losses.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import torch

from .loss import ModelLoss, is_closure, move_to

Batch = tuple[Any, torch.Tensor]


def _is_pair(obj: Any) -> bool:
    return (
        isinstance(obj, (tuple, list))
        and len(obj) == 2
        and isinstance(obj[1], torch.Tensor)
        and (isinstance(obj[0], torch.Tensor) or isinstance(obj[0], (tuple, list)))
    )


def check_batch(batch: Any, index: int) -> None:
    """Raise a clear error unless ``batch`` (number ``index`` of the data) is an
    ``(inputs, targets)`` pair with at least one sample."""
    if not _is_pair(batch):
        if isinstance(batch, (tuple, list)):
            parts = ", ".join(type(b).__name__ for b in batch[:4]) + (
                ", ..." if len(batch) > 4 else "")
            came = f"a {type(batch).__name__} of {len(batch)} ({parts})"
        else:
            came = f"a {type(batch).__name__}"
        raise TypeError(
            f"data: expected every batch to be an (inputs, targets) pair of tensors, got {came} "
            f"as batch {index}"
        )
    if batch_size(batch) == 0:
        raise ValueError(f"data: expected non-empty batches, got batch {index} with 0 samples")


def batch_size(batch: Batch) -> int:
    targets = batch[1]
    return int(targets.shape[0]) if targets.ndim > 0 else 1


class Batches:
    """A re-iterable view of the user's data; ``len`` is the number of batches.

    A single pair becomes one batch; a DataLoader is iterated afresh each pass; a one-shot
    iterator (a generator, or an object whose ``__iter__`` hands out the same iterator every
    time) is materialised once, since a landscape needs many passes. Every batch is checked as
    it comes (a DataLoader's later batches are seen only then).
    """

    def __init__(
        self,
        source: Iterable[Batch] | list[Batch],
        size: Callable[[Any], int] | None = None,
        check: Callable[[Any, int], None] | None = None,
    ) -> None:
        self._source = source
        # batches in a pass: the iterable's own len() (a DataLoader's may be an estimate),
        # else counted on the first complete pass
        self._batches_per_pass: int | None = None
        if hasattr(source, "__len__") and not isinstance(source, torch.utils.data.DataLoader):
            self._batches_per_pass = len(source)  # type: ignore[arg-type]
        # a batch's weight in the mean: its targets' length, or a closure's batch_size
        self.size: Callable[[Any], int] = batch_size if size is None else size
        # each batch is checked as it comes: a tensor pair, or a closure's non-empty batch
        self._check: Callable[[Any, int], None] = check_batch if check is None else check

    def __iter__(self) -> Iterator[Batch]:
        count = 0
        for index, batch in enumerate(self._source):
            self._check(batch, index)
            count += 1
            yield batch
        # a complete pass: every pass must see the same data (an iterable that hands out fresh
        # iterators over one shared, exhausted source would otherwise give 0/0 = NaN losses)
        if self._batches_per_pass is None:
            self._batches_per_pass = count
        elif count != self._batches_per_pass:
            raise ValueError(
                f"data: expected every pass over the data to give the same "
                f"{self._batches_per_pass} batches (its len() or first pass), got {count} (an "
                "iterable that can be read only once, or data that changes between passes?); "
                "pass a list of (inputs, targets) batches"
            )

    def __len__(self) -> int:
        return len(self._source)  # type: ignore[arg-type]

    @property
    def source(self) -> Iterable[Batch] | list[Batch]:
        """What is iterated: the list of batches (a pair, a materialised generator) or the
        user's iterable (a DataLoader)."""
        return self._source

    @property
    def n_samples(self) -> int:
        return sum(self.size(b) for b in self)


def _is_one_batch(obj: Any) -> bool:
    """Whether a closure's ``data`` is one batch rather than an iterable of batches: a tensor
    pair, a Mapping, a dataclass, or an object with ``.to`` that is no DataLoader or list."""
    if _is_pair(obj) or isinstance(obj, (Mapping, torch.Tensor)):
        return True
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return True
    return callable(getattr(obj, "to", None)) and not isinstance(
        obj, (torch.utils.data.DataLoader, list, tuple)
    )


def as_batches(data: Any, loss_fn: Any = None) -> Batches:
    """Validate ``data`` and return it as re-iterable batches. With a :func:`model_loss`
    closure as ``loss_fn``, a batch may be anything the closure takes: ``data`` is one batch
    (a tensor pair, a Mapping, a dataclass, an object with ``.to``) or an iterable of them.

    Example:
        >>> x, y = torch.zeros(8, 3), torch.zeros(8)
        >>> len(as_batches((x, y)))
        1
    """
    if is_closure(loss_fn):
        return _closure_batches(data, loss_fn)
    if _is_pair(data):
        batches: Any = [tuple(data)]
    elif isinstance(data, torch.utils.data.DataLoader):
        batches = data
    elif isinstance(data, Iterable) and not isinstance(data, (torch.Tensor, str, bytes)):
        batches = data if hasattr(data, "__len__") and not _one_shot(data) else list(data)
    else:
        raise TypeError(
            "data: expected an (inputs, targets) pair of tensors or an iterable of such batches "
            f"(e.g. a DataLoader), got {type(data).__name__}"
        )
    wrapped = Batches(batches)
    if isinstance(batches, (list, tuple)):
        for index, batch in enumerate(batches):  # in memory: check them all now
            check_batch(batch, index)
        empty = len(batches) == 0
    else:  # only the first batch (checked as it comes): a DataLoader pass can be expensive
        empty = next(iter(wrapped), None) is None
    if empty:
        raise ValueError("data: expected at least one batch, got an empty iterable")
    return wrapped


def _one_shot(data: Any) -> bool:
    """Whether ``iter(data)`` hands out the same iterator twice: a pass would then consume the
    user's data, and the next pass (a landscape needs many) would see nothing."""
    if isinstance(data, (list, tuple, dict, range)):
        return False
    first = iter(data)
    return first is data or first is iter(data)


def _closure_batches(data: Any, loss: ModelLoss) -> Batches:
    if _is_one_batch(data):
        batches: Any = [data]
    elif isinstance(data, torch.utils.data.DataLoader):
        batches = data
    elif isinstance(data, Iterable) and not isinstance(data, (str, bytes)):
        batches = data if hasattr(data, "__len__") and not _one_shot(data) else list(data)
    else:
        raise TypeError(
            "data: expected one batch (a tensor pair, a dict, a dataclass, an object with "
            f".to(device)) or an iterable of batches (e.g. a DataLoader), got {type(data).__name__}"
        )
    def check(batch: Any, index: int) -> None:
        if loss.size_of(batch) == 0:
            raise ValueError(f"data: expected non-empty batches, got batch {index} with 0 samples")

    wrapped = Batches(batches, loss.size_of, check)
    # only the first batch now (the others are checked as they come): a pass can be expensive
    if next(iter(wrapped), None) is None:
        raise ValueError("data: expected at least one batch, got an empty iterable")
    return wrapped


def move_batch(batch: Batch, device: torch.device | str, dtype: torch.dtype | None = None) -> Batch:
    inputs, targets = batch

    def mv(t: Any) -> Any:
        if isinstance(t, torch.Tensor):
            if dtype is not None and t.is_floating_point():
                return t.to(device=device, dtype=dtype)
            return t.to(device)
        if isinstance(t, (tuple, list)):
            return type(t)(mv(s) for s in t)
        return t

    return mv(inputs), mv(targets)


def model_args(inputs: Any) -> tuple[Any, ...]:
    """The positional arguments of a model call: a batch's inputs may be one tensor or a
    tuple/list of positional tensors."""
    return tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)


def call_model(model: Callable[..., torch.Tensor], inputs: Any) -> torch.Tensor:
    """``model(*inputs)`` for a tuple of positional tensors, else ``model(inputs)``."""
    return model(*model_args(inputs))


def check_scalar(loss: Any, where: str = "loss_fn") -> torch.Tensor:
    if not isinstance(loss, torch.Tensor):
        raise TypeError(
            f"{where}: expected it to return a scalar tensor, got {type(loss).__name__}"
        )
    if loss.is_complex():
        raise TypeError(
            f"{where}: expected a real loss, got a complex tensor ({loss.dtype}); its "
            "imaginary part would be dropped. Return a real number, e.g. the squared modulus"
        )
    if loss.numel() != 1:
        raise ValueError(
            f"{where}: expected it to return a scalar (use reduction='mean'), "
            f"got a tensor of shape {tuple(loss.shape)}"
        )
    return loss.reshape(())


def batch_loss(model: Callable[..., Any], loss_fn: Any, batch: Any) -> torch.Tensor:
    """The loss of one batch already on its device: ``loss_fn(model, batch)`` for a closure,
    else ``loss_fn(model(inputs), targets)``; checked to be a scalar."""
    if is_closure(loss_fn):
        return check_scalar(loss_fn(model, batch))
    inputs, targets = batch
    return check_scalar(loss_fn(call_model(model, inputs), targets))


def move_any(batch: Any, loss_fn: Any, device: torch.device | str,
             dtype: torch.dtype | None = None) -> Any:
    """``batch`` on the device, for either loss form (a closure's batch may be anything)."""
    if is_closure(loss_fn):
        return move_to(batch, device, dtype)
    return move_batch(batch, device, dtype)


def mean_loss(
    model: Callable[..., torch.Tensor],
    loss_fn: Any,
    batches: Batches,
    device: torch.device | str = "cpu",
    dtype: torch.dtype | None = None,
) -> torch.Tensor:
    """Sample-weighted mean of ``loss_fn(model(x), y)`` (or of a closure's
    ``loss_fn(model, batch)``) over the batches (differentiable); accumulated in float32 at
    least, so a bf16/fp16 model's mean is not rounded batch by batch."""
    total: torch.Tensor | None = None
    n = 0
    for batch in batches:
        m = batches.size(batch)
        loss = batch_loss(model, loss_fn, move_any(batch, loss_fn, device, dtype))
        loss = _accumulable(loss) * m
        total = loss if total is None else total + loss
        n += m
    assert total is not None
    return total / n


def _accumulable(loss: torch.Tensor) -> torch.Tensor:
    """A half-precision loss as float32 (sums of bf16 keep 8 bits of mantissa)."""
    if loss.dtype in (torch.float16, torch.bfloat16):
        return loss.float()
    return loss
