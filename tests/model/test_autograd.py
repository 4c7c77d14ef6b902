"""needs_autograd: autograd off first, on only when off fails, and the model's own error when
both fail; out-of-memory errors are never retried."""

from __future__ import annotations

import pytest
import torch

from landscape_widgets.model.autograd import needs_autograd


def test_autograd_stays_off_when_the_forward_does_not_need_it():
    calls = []

    def attempt(grad: bool) -> float:
        calls.append(grad)
        return 1.5

    assert needs_autograd(attempt) == (1.5, False)
    assert calls == [False]


def test_a_forward_that_differentiates_itself_gets_autograd():
    def attempt(grad: bool) -> float:
        x = torch.linspace(0.0, 1.0, 5, requires_grad=True)
        with torch.enable_grad() if grad else torch.no_grad():
            (dx,) = torch.autograd.grad(torch.sin(x).sum(), x)
        return float(dx[0])

    assert needs_autograd(attempt) == (1.0, True)


def test_failing_both_ways_raises_the_first_error():
    def attempt(grad: bool) -> float:
        raise RuntimeError("with autograd" if grad else "without autograd")

    with pytest.raises(RuntimeError, match="^without autograd$"):
        needs_autograd(attempt)


def test_out_of_memory_is_not_retried():
    calls = []

    def attempt(grad: bool) -> float:
        calls.append(grad)
        raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")

    with pytest.raises(RuntimeError, match="out of memory"):
        needs_autograd(attempt)
    assert calls == [False]
