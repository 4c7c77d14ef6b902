"""The user's data: one ``(inputs, targets)`` pair or an iterable of such batches (DataLoader).

The loss over many batches is the sample-weighted mean, so a ragged last batch counts for what
it holds, and the result equals the loss over the concatenated data for mean-reduced losses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import torch

Batch = tuple[Any, torch.Tensor]


def _is_pair(obj: Any) -> bool:
    return (
        isinstance(obj, (tuple, list))
        and len(obj) == 2
        and isinstance(obj[1], torch.Tensor)
        and (isinstance(obj[0], torch.Tensor) or isinstance(obj[0], (tuple, list)))
    )


def batch_size(batch: Batch) -> int:
    targets = batch[1]
    return int(targets.shape[0]) if targets.ndim > 0 else 1


class Batches:
    """A re-iterable view of the user's data; ``len`` is the number of batches.

    A single pair becomes one batch; a DataLoader is iterated afresh each pass; a one-shot
    iterator (generator) is materialised once, since a landscape needs many passes.
    """

    def __init__(self, source: Iterable[Batch] | list[Batch]) -> None:
        self._source = source

    def __iter__(self) -> Iterator[Batch]:
        return iter(self._source)

    def __len__(self) -> int:
        return len(self._source)  # type: ignore[arg-type]

    @property
    def source(self) -> Iterable[Batch] | list[Batch]:
        """What is iterated: the list of batches (a pair, a materialised generator) or the
        user's iterable (a DataLoader)."""
        return self._source

    @property
    def n_samples(self) -> int:
        return sum(batch_size(b) for b in self)


def as_batches(data: Any) -> Batches:
    """Validate ``data`` and return it as re-iterable batches.

    Example:
        >>> x, y = torch.zeros(8, 3), torch.zeros(8)
        >>> len(as_batches((x, y)))
        1
    """
    if _is_pair(data):
        batches: Any = [tuple(data)]
    elif isinstance(data, torch.utils.data.DataLoader):
        batches = data
    elif isinstance(data, Iterable) and not isinstance(data, (torch.Tensor, str, bytes)):
        batches = data if hasattr(data, "__len__") else list(data)
    else:
        raise TypeError(
            "data: expected an (inputs, targets) pair of tensors or an iterable of such batches "
            f"(e.g. a DataLoader), got {type(data).__name__}"
        )
    wrapped = Batches(batches)
    n = 0
    for b in wrapped:
        if not _is_pair(b):
            raise TypeError(
                "data: expected every batch to be an (inputs, targets) pair of tensors, got "
                f"{type(b).__name__}" + (f" of length {len(b)}" if hasattr(b, "__len__") else "")
            )
        if batch_size(b) == 0:
            raise ValueError("data: expected non-empty batches, got a batch with 0 samples")
        n += 1
        break  # one batch checked; a DataLoader pass can be expensive
    if n == 0:
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
    if loss.numel() != 1:
        raise ValueError(
            f"{where}: expected it to return a scalar (use reduction='mean'), "
            f"got a tensor of shape {tuple(loss.shape)}"
        )
    return loss.reshape(())


def mean_loss(
    model: Callable[..., torch.Tensor],
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    batches: Batches,
    device: torch.device | str = "cpu",
    dtype: torch.dtype | None = None,
) -> torch.Tensor:
    """Sample-weighted mean of ``loss_fn(model(x), y)`` over the batches (differentiable)."""
    total: torch.Tensor | None = None
    n = 0
    for batch in batches:
        inputs, targets = move_batch(batch, device, dtype)
        m = batch_size(batch)
        loss = check_scalar(loss_fn(call_model(model, inputs), targets)) * m
        total = loss if total is None else total + loss
        n += m
    assert total is not None
    return total / n
