import pytest
import torch

from landscape_widgets.model import (
    as_batches,
    mean_loss,
    named_trainable,
    preserved_model,
    split_bias_and_norm,
)
from landscape_widgets.model.data import check_scalar


def make_net():
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Conv2d(1, 3, 3),
        torch.nn.BatchNorm2d(3),
        torch.nn.ReLU(),
        torch.nn.Flatten(),
        torch.nn.Linear(12, 2),
        torch.nn.LayerNorm(2),
    )


def snapshot(m):
    return (
        {k: v.clone() for k, v in m.state_dict().items()},
        {n: mod.training for n, mod in m.named_modules()},
        {n: p.requires_grad for n, p in m.named_parameters()},
    )


def assert_same(a, b):
    sa, ma, ga = a
    sb, mb, gb = b
    assert sa.keys() == sb.keys()
    for k in sa:
        assert torch.equal(sa[k], sb[k]), k
    assert ma == mb and ga == gb


def test_preserved_model_restores_after_exception_and_interrupt():
    net = make_net()
    net[1].eval()  # mixed modes must come back as they were
    net[4].bias.requires_grad_(False)
    before = snapshot(net)
    for exc in (RuntimeError("boom"), KeyboardInterrupt()):
        with pytest.raises(type(exc)):
            with preserved_model(net):
                net.train()
                with torch.no_grad():
                    for p in net.parameters():
                        p.add_(1.0)
                net(torch.randn(4, 1, 4, 4))  # updates BN running stats
                net[4].bias.requires_grad_(True)
                raise exc
        assert_same(before, snapshot(net))


def test_bias_and_norm_parameters_are_found():
    names = split_bias_and_norm(make_net())
    assert names == {"0.bias", "1.weight", "1.bias", "4.bias", "5.weight", "5.bias"}


def test_named_trainable_skips_frozen_and_rejects_non_modules():
    net = make_net()
    net[0].weight.requires_grad_(False)
    assert "0.weight" not in named_trainable(net)
    with pytest.raises(TypeError, match="expected a torch.nn.Module, got dict"):
        named_trainable({})


def test_loader_loss_is_sample_weighted_mean():
    torch.manual_seed(1)
    x, y = torch.randn(10, 3), torch.randn(10, 1)
    net = torch.nn.Linear(3, 1)
    loss_fn = torch.nn.MSELoss()
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=4)
    whole = loss_fn(net(x), y)
    assert torch.allclose(mean_loss(net, loss_fn, as_batches(loader)), whole, atol=1e-6)
    assert torch.allclose(mean_loss(net, loss_fn, as_batches((x, y))), whole)
    gen = ((x[i : i + 3], y[i : i + 3]) for i in range(0, 10, 3))
    batches = as_batches(gen)
    assert len(batches) == 4  # a generator is materialised: it is needed many times
    assert torch.allclose(mean_loss(net, loss_fn, batches), whole, atol=1e-6)


def test_bad_data_and_losses_get_clear_errors():
    with pytest.raises(TypeError, match="expected an \\(inputs, targets\\) pair .* got int"):
        as_batches(3)
    with pytest.raises(ValueError, match="at least one batch, got an empty iterable"):
        as_batches([])
    with pytest.raises(ValueError, match="non-empty batches"):
        as_batches((torch.zeros(0, 3), torch.zeros(0)))
    with pytest.raises(TypeError, match="every batch to be an \\(inputs, targets\\) pair"):
        as_batches([torch.zeros(3)])
    with pytest.raises(ValueError, match="return a scalar .* got a tensor of shape \\(4,\\)"):
        check_scalar(torch.zeros(4))
    with pytest.raises(TypeError, match="scalar tensor, got float"):
        check_scalar(1.0)
