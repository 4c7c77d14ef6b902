import numpy as np
import torch

from landscape_widgets import examples


def test_four_wells_has_its_minima_at_the_centres():
    land = examples.four_wells(resolution=41)
    for (cx, cy), depth in zip(examples.FOUR_WELLS["centers"], examples.FOUR_WELLS["depths"]):
        i = int(np.argmin(np.abs(land.axes[0] - cx)))
        j = int(np.argmin(np.abs(land.axes[1] - cy)))
        window = land.values[i - 1 : i + 2, j - 1 : j + 2]
        assert land.values[i, j] == window.min()
        assert land.values[i, j] < 1.0 - 0.9 * depth


def test_himmelblau_is_zero_at_its_known_minima():
    pts = np.array(
        [[3.0, 2.0], [-2.805118, 3.131312], [-3.779310, -3.283186], [3.584428, -1.848126]]
    )
    np.testing.assert_allclose(examples.himmelblau(pts), 0.0, atol=1e-9)


def test_digits_mlp_trains_and_leaves_global_rng_alone():
    state = torch.get_rng_state()
    model, loss_fn, (x, y) = examples.digits_mlp(epochs=30, seed=1)
    assert torch.equal(state, torch.get_rng_state())
    assert not model.training
    acc = (model(x).argmax(1) == y).float().mean().item()
    assert acc > 0.9
    model2, _, _ = examples.digits_mlp(epochs=30, seed=1)
    for p, q in zip(model.parameters(), model2.parameters()):
        assert torch.equal(p, q)
