"""The training side of jump-and-retrain sampling: argument checks, seeded epochs, metrics.

Seeds of every pass over the data, mini-batches of an ``(inputs, targets)`` pair, one training
epoch, evaluation (loss and classification accuracy), recording the flat parameters, building
and checking the optimizer, and the RNG guard of :func:`~.sampling.jump_and_retrain`. Split from
``sampling.py``; everything here is re-exported there.
"""

from __future__ import annotations

import copy
import functools
import math
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np
import torch

from ..model.autograd import needs_autograd
from ..model.data import batch_size as count_batch
from ..model.data import call_model, check_scalar, move_batch
from ..model.loss import is_closure, move_to

# networks whose forward differentiates itself, as _evaluate found (weak: they come and go)
_NEEDS_AUTOGRAD: weakref.WeakSet[torch.nn.Module] = weakref.WeakSet()


def _check_layout(seeds: Any, step_sizes: Any, epochs: Any) -> tuple[tuple[int, ...],
                                                                    tuple[float, ...], int]:
    try:
        seeds_t = tuple(seeds)
    except TypeError as exc:
        raise TypeError(f"seeds: expected a sequence of ints, got {type(seeds).__name__}") from exc
    if not seeds_t or not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool)
                              for s in seeds_t):
        raise ValueError(f"seeds: expected a non-empty sequence of ints, got {seeds!r}")
    if len(set(seeds_t)) != len(seeds_t):
        raise ValueError(f"seeds: expected distinct seeds, got {list(seeds_t)}")
    try:
        steps_t = tuple(float(c) for c in step_sizes)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"step_sizes: expected a sequence of numbers, got {step_sizes!r}") from exc
    if not steps_t or not all(math.isfinite(c) for c in steps_t):
        raise ValueError(f"step_sizes: expected a non-empty sequence of finite numbers, "
                         f"got {step_sizes!r}")
    if len(set(steps_t)) != len(steps_t):
        raise ValueError(f"step_sizes: expected distinct step sizes, got {list(steps_t)}")
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"epochs: expected an integer >= 1, got {epochs!r}")
    return tuple(int(s) for s in seeds_t), steps_t, int(epochs)


_EVAL = 1 << 20  # offset of the seeds of evaluation passes


def _epoch_seed(base: int, seed: int, step: float, epoch: int) -> int:
    """A 63-bit seed for one pass over the data, from (base seed, seed, step size, epoch)."""
    step_bits = int(np.array(step, dtype=np.float64).view(np.uint64))
    ss = np.random.SeedSequence([int(base) & 0xFFFFFFFF, int(seed) & 0xFFFFFFFF,
                                 step_bits, int(epoch) & 0xFFFFFFFF])
    return int(ss.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def _index(inputs: Any, idx: torch.Tensor) -> Any:
    if isinstance(inputs, torch.Tensor):
        return inputs[idx]
    return type(inputs)(_index(t, idx) for t in inputs)


def _epoch_batches(train: Any, pair: tuple[Any, torch.Tensor] | None, batch_size: int | None,
                   seed: int) -> Iterator[Any]:
    if pair is None:
        yield from train
        return
    inputs, targets = pair
    n = count_batch(pair)
    if batch_size is None or batch_size >= n:
        yield pair
        return
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    for start in range(0, n, batch_size):
        idx = perm[start:start + batch_size]
        yield _index(inputs, idx.to(targets.device)), targets[idx.to(targets.device)]


def _accuracy_counts(outputs: torch.Tensor, targets: torch.Tensor) -> int | None:
    """Correct predictions of a classifier, or None when this is not classification."""
    if (outputs.ndim == 2 and targets.ndim == 1 and outputs.shape[0] == targets.shape[0]
            and not targets.is_floating_point() and not targets.is_complex()
            and targets.dtype != torch.bool):
        return int((outputs.argmax(dim=1) == targets).sum().item())
    return None


def _evaluate(net: torch.nn.Module, loss_fn: Callable, batches: Iterable[Any],
              device: torch.device) -> tuple[float, float]:
    """Mean loss and accuracy (NaN unless classification) over ``batches``, in eval mode."""
    net.eval()

    def attempt(grad: bool) -> tuple[float, float]:
        with torch.enable_grad() if grad else torch.no_grad():
            return _evaluate_pass(net, loss_fn, batches, device)

    # a forward that differentiates itself (a PINN's torch.autograd.grad on its inputs) fails
    # under no_grad: find that out once per network, not with a failed pass every epoch
    if net in _NEEDS_AUTOGRAD:
        return attempt(True)
    result, grad = needs_autograd(attempt)
    if grad:
        _NEEDS_AUTOGRAD.add(net)
    return result


def _evaluate_pass(net: torch.nn.Module, loss_fn: Callable, batches: Iterable[Any],
                   device: torch.device) -> tuple[float, float]:
    if is_closure(loss_fn):  # fn(model, batch): a loss, no outputs to count correct ones in
        total, n = 0.0, 0
        for batch in batches:
            m = loss_fn.size_of(batch)
            total += float(check_scalar(loss_fn(net, move_to(batch, device))).detach()) * m
            n += m
        return total / n, math.nan
    total, correct, n, classify = 0.0, 0, 0, True
    for batch in batches:
        inputs, targets = move_batch(batch, device)
        m = count_batch(batch)
        out = call_model(net, inputs)
        total += float(check_scalar(loss_fn(out, targets)).detach()) * m
        c = _accuracy_counts(out, targets) if classify else None
        if c is None:
            classify = False
        else:
            correct += c
        n += m
    return total / n, (correct / n if classify else math.nan)


def _train_epoch(net: torch.nn.Module, loss_fn: Callable, opt: Any, batches: Iterable[Any],
                 device: torch.device) -> tuple[float, float]:
    """One pass of training; returns the running (mini-batch averaged) loss and accuracy."""
    net.train()
    if is_closure(loss_fn):
        return _train_epoch_closure(net, loss_fn, opt, batches, device)
    total, correct, n, classify = 0.0, 0, 0, True
    for batch in batches:
        inputs, targets = move_batch(batch, device)
        m = count_batch(batch)
        opt.zero_grad(set_to_none=True)
        out = call_model(net, inputs)
        loss = check_scalar(loss_fn(out, targets))
        loss.backward()
        opt.step()
        total += float(loss.detach()) * m
        c = _accuracy_counts(out.detach(), targets) if classify else None
        if c is None:
            classify = False
        else:
            correct += c
        n += m
    if n == 0:
        raise ValueError("train_data: expected at least one batch per epoch, got none")
    return total / n, (correct / n if classify else math.nan)


def _train_epoch_closure(net: torch.nn.Module, loss_fn: Any, opt: Any, batches: Iterable[Any],
                         device: torch.device) -> tuple[float, float]:
    """One pass of training through a ``model_loss`` closure (accuracy: NaN, no outputs)."""
    total, n = 0.0, 0
    for batch in batches:
        m = loss_fn.size_of(batch)
        opt.zero_grad(set_to_none=True)
        loss = check_scalar(loss_fn(net, move_to(batch, device)))
        loss.backward()
        opt.step()
        total += float(loss.detach()) * m
        n += m
    if n == 0:
        raise ValueError("train_data: expected at least one batch per epoch, got none")
    return total / n, math.nan


def _metrics(net: torch.nn.Module, loss_fn: Callable, train: Any, evals: Any,
             device: torch.device, running: tuple[float, float] | None) -> dict[str, float]:
    """Train (exact, or the epoch's running values) and eval loss/accuracy of one sample."""
    tr = running if running is not None else _evaluate(net, loss_fn, train, device)
    ev = _evaluate(net, loss_fn, evals, device) if evals is not None else (math.nan, math.nan)
    return {"train_loss": tr[0], "train_accuracy": tr[1], "eval_loss": ev[0],
            "eval_accuracy": ev[1]}


def _flat(net: torch.nn.Module, names: Sequence[str]) -> np.ndarray:
    params = dict(net.named_parameters())
    return torch.cat([params[n].detach().reshape(-1).to("cpu", torch.float64)
                      for n in names]).numpy()


def _make_optimizer(make_optimizer: Callable, net: torch.nn.Module) -> Any:
    params = list(net.parameters())
    opt = make_optimizer(params)
    groups = getattr(opt, "param_groups", None)
    if not callable(getattr(opt, "step", None)) or groups is None:
        raise TypeError(
            "make_optimizer: expected it to return a torch.optim.Optimizer built on the "
            f"parameters it is given, got {type(opt).__name__}"
        )
    ours = {id(p) for p in params}
    theirs = [p for g in groups for p in g["params"]]
    if not theirs or any(id(p) not in ours for p in theirs):
        raise ValueError(
            "make_optimizer: expected an optimizer over the parameters it is given (the "
            "model copy's), got one over other tensors; use e.g. "
            "`lambda params: torch.optim.SGD(params, lr=0.1, momentum=0.9)`"
        )
    return opt


def _clone_state(obj: Any) -> Any:
    if isinstance(obj, torch.Tensor):
        return obj.detach().clone()
    if isinstance(obj, dict):
        return {k: _clone_state(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_clone_state(v) for v in obj]
    if isinstance(obj, tuple):
        return tuple(_clone_state(v) for v in obj)
    return copy.deepcopy(obj)


def _own_rng(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``func`` inside ``torch.random.fork_rng`` (CPU and every CUDA device): passes over
    the data (a shuffling DataLoader, dropout) are seeded inside, and the caller's RNG state is
    left as it was."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        cuda = list(range(torch.cuda.device_count())) if torch.cuda.is_available() else []
        with torch.random.fork_rng(devices=cuda):
            return func(*args, **kwargs)

    return wrapper

