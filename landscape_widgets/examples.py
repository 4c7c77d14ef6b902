"""Built-in examples: analytic landscapes with known topology and a small real model.

Nothing here downloads anything: the model example trains on scikit-learn's bundled digits.

Example:
    >>> from landscape_widgets import examples
    >>> land = examples.four_wells(resolution=41)
    >>> land.shape
    (41, 41)
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

from .landscape import Landscape


def himmelblau(points: np.ndarray) -> np.ndarray:
    """Himmelblau's function: 4 minima (all of value 0), 4 saddles and 1 local maximum. In the
    sublevel-set merge tree three of the saddles join the four basins; the fourth closes a loop
    around the maximum (1-dim topology, invisible to the merge tree)."""
    x, y = points[:, 0], points[:, 1]
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def gaussian_wells(
    points: np.ndarray,
    centers: Sequence[Sequence[float]],
    depths: Sequence[float],
    width: float = 0.35,
) -> np.ndarray:
    """``1 − Σ dᵢ exp(−|x − cᵢ|² / (2 w²))``: one minimum per well when the wells are separated."""
    pts = np.asarray(points, dtype=float)
    out = np.ones(pts.shape[0])
    for c, d in zip(centers, depths):
        sq = ((pts - np.asarray(c, dtype=float)) ** 2).sum(axis=1)
        out -= d * np.exp(-sq / (2 * width**2))
    return out


FOUR_WELLS = {
    "centers": [(-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0), (1.0, 1.0)],
    "depths": [1.0, 0.8, 0.6, 0.4],
}


def four_wells(resolution: int = 101, extent: float = 2.0) -> Landscape:
    """Four separated Gaussian wells of depths 1.0, 0.8, 0.6, 0.4: four basins, known minima."""

    def four_wells(points: np.ndarray) -> np.ndarray:
        return gaussian_wells(points, **FOUR_WELLS)

    return Landscape.from_function(four_wells, dims=2, resolution=resolution, extent=extent)


#: Patterns of :func:`noisy_landscape`.
NOISY_PATTERNS = ("noise", "sines", "checkerboard")


def noisy_landscape(
    pattern: str = "noise",
    resolution: int = 201,
    dims: int = 2,
    noise: float = 0.01,
    seed: int = 0,
) -> Landscape:
    """A seeded grid landscape on ``[-1, 1]ⁿ`` with many basins, for scale tests and benchmarks
    (noisy landscapes with thousands of basins: divergent PINNs, float32 plateaus, random slices).

    Patterns (``U`` = uniform noise in ``[0, 1)`` from ``numpy.random.default_rng(seed)``):

    - ``"noise"``: ``U`` alone. About a 3⁻ⁿ share of the vertices are minima with "full"
      connectivity and 1/(2n+1) with "axis": 4,547 and 8,208 basins at 201², seed 0.
    - ``"sines"``: ``Σᵢ cos(4π xᵢ) + noise·U``: 4 minima per axis, 4ⁿ basins (256 at 41⁴).
    - ``"checkerboard"``: ``1`` on odd vertices (sum of indices), ``0`` on even ones, plus
      ``noise·U``: with "axis" connectivity every even vertex is a minimum (20,201 at 201²).

    Args:
        pattern: one of ``NOISY_PATTERNS``.
        resolution: points per axis (at least 2).
        dims: number of axes (at least 1).
        noise: amplitude of the noise added to "sines" and "checkerboard" (>= 0; it breaks
            ties, so that every basin has its own depth).
        seed: seed of the noise.

    Raises:
        ValueError: for an unknown pattern, ``resolution < 2``, ``dims < 1`` or ``noise < 0``.

    Example:
        >>> import landscape_widgets as lw
        >>> land = noisy_landscape("checkerboard", resolution=21)
        >>> len(lw.merge_tree(land, connectivity="axis").minima)
        221
    """
    if pattern not in NOISY_PATTERNS:
        raise ValueError(f"pattern: expected one of {NOISY_PATTERNS}, got {pattern!r}")
    if int(resolution) != resolution or resolution < 2:
        raise ValueError(f"resolution: expected an integer >= 2, got {resolution!r}")
    if int(dims) != dims or dims < 1:
        raise ValueError(f"dims: expected an integer >= 1, got {dims!r}")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise: expected a finite number >= 0, got {noise!r}")
    shape = (int(resolution),) * int(dims)
    jitter = np.random.default_rng(seed).random(shape)
    if pattern == "noise":
        return Landscape.from_array(jitter)
    if pattern == "sines":
        axis = np.cos(4 * np.pi * np.linspace(-1.0, 1.0, shape[0]))
        values = np.zeros(shape)
        for d in range(len(shape)):  # separable: a sum of 1-D waves broadcast along each axis
            values += axis.reshape([-1 if i == d else 1 for i in range(len(shape))])
    else:
        values = (np.indices(shape).sum(axis=0) % 2).astype(float)
    return Landscape.from_array(values + noise * jitter)



def relaxing_walks(n_walks: int, epochs: int, seed: int = 0, dims: int = 10) -> Any:
    """Synthetic training trajectories with a known loss: ``n_walks`` walks in ``dims``
    dimensions that start far out (walk ``t`` at scale ``1 + t % 4``) and relax towards the
    origin (``x ← 0.8 x + 0.05 ε``), each recorded at epochs ``0 … epochs``; the loss is the
    squared distance plus 10⁻³. Four walks share a seed, with step sizes 0.25, 0.5, 0.75, 1.

    Returns a :class:`~landscape_widgets.trajectories.Trajectories` for the trajectory views
    and their tests and benchmarks (no model needed).

    Example:
        >>> from landscape_widgets import examples
        >>> traj = examples.relaxing_walks(8, 10)
        >>> traj.n_samples, traj.params.shape[1]
        (88, 10)
    """
    from .trajectories import Trajectories

    for name, value, low in (("n_walks", n_walks, 1), ("epochs", epochs, 0), ("dims", dims, 1)):
        if int(value) != value or value < low:
            raise ValueError(f"{name}: expected an integer >= {low}, got {value!r}")
    rng = np.random.default_rng(seed)
    rows, loss, seeds, steps, epoch = [], [], [], [], []
    for t in range(int(n_walks)):
        x = rng.normal(size=int(dims)) * (1 + t % 4)
        for e in range(int(epochs) + 1):
            rows.append(x.copy())
            loss.append(float((x**2).sum()) + 1e-3)
            seeds.append(t // 4)
            steps.append(0.25 * (1 + t % 4))
            epoch.append(e)
            x = 0.8 * x + 0.05 * rng.normal(size=int(dims))
    return Trajectories(params=np.array(rows), train_loss=np.array(loss), seed=seeds,
                        step_size=steps, epoch=epoch)

def digits_mlp(hidden: int = 32, epochs: int = 60, seed: int = 0) -> tuple[Any, Any, Any]:
    """A small MLP trained (full-batch Adam) on scikit-learn's 8×8 digits, the whole set.

    Returns ``(model, loss_fn, (inputs, targets))``; about a second of training on a CPU.
    """
    import torch
    from sklearn.datasets import load_digits

    images, labels = load_digits(return_X_y=True)
    x = torch.tensor(images / 16.0, dtype=torch.float32)
    y = torch.tensor(labels, dtype=torch.long)
    gen = torch.Generator().manual_seed(seed)
    with torch.random.fork_rng(devices=[]):  # the default init draws from the global RNG
        model = torch.nn.Sequential(
            torch.nn.Linear(64, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 10)
        )
    with torch.no_grad():  # seeded init from our own generator
        for p in model.parameters():
            p.copy_((torch.rand(p.shape, generator=gen) * 2 - 1) / np.sqrt(p.shape[-1]))
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(epochs):
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
    model.eval()
    return model, loss_fn, (x, y)


def convection_pinn(
    beta: float = 30.0,
    n_collocation: int = 1000,
    steps: int = 2000,
    lr: float = 1e-3,
    width: int = 50,
    seed: int = 0,
) -> tuple[Any, Any, Any]:
    """A physics-informed network for the 1-D convection equation u_t + β u_x = 0 (Krishnapriyan
    et al. 2021), x ∈ [0, 2π], t ∈ [0, 1], u(x, 0) = sin x, periodic in x. No dataset needed.

    Returns ``(model, loss_fn, (inputs, targets))`` in the toolkit's usual form: ``model`` maps
    points ``(N, 2)`` of ``(x, t)`` to ``(N, 3)`` columns ``[u, u_t, u_x]`` (derivatives by forward
    mode, so it composes with ``vmap`` during landscape sampling); ``targets`` is ``(N, 2)``:
    the point kind (0 residual, 1 initial, 2/3 left/right boundary, paired in order) and the
    initial value. The loss is residual MSE + initial-condition MSE + periodic-boundary MSE.
    Large β is where PINNs fail: their landscapes turn rough (seed 003 of the papers).

    Example:
        >>> model, loss_fn, (x, y) = convection_pinn(beta=5.0, n_collocation=64, steps=5)
        >>> model(x).shape
        torch.Size([96, 3])
    """
    import torch

    gen = torch.Generator().manual_seed(seed)
    two_pi = 2 * np.pi
    xr = torch.rand(n_collocation, 1, generator=gen) * two_pi
    tr = torch.rand(n_collocation, 1, generator=gen)
    n_edge = max(n_collocation // 4, 8)
    x0 = torch.linspace(0, two_pi, n_edge).unsqueeze(1)
    tb = torch.linspace(0, 1, n_edge // 2).unsqueeze(1)
    zeros = torch.zeros_like
    points = torch.cat(
        [
            torch.cat([xr, tr], 1),
            torch.cat([x0, zeros(x0)], 1),
            torch.cat([zeros(tb), tb], 1),
            torch.cat([zeros(tb) + two_pi, tb], 1),
        ]
    )
    kind = torch.cat(
        [zeros(xr[:, 0]), zeros(x0[:, 0]) + 1, zeros(tb[:, 0]) + 2, zeros(tb[:, 0]) + 3]
    )
    initial = torch.where(kind == 1, torch.sin(points[:, 0]), torch.zeros_like(kind))
    targets = torch.stack([kind, initial], 1)

    pinn_cls, loss_cls = _pinn_classes()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = pinn_cls(width)
    loss_fn = loss_cls(beta)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(model(points), targets).backward()
        opt.step()
    model.eval()
    return model, loss_fn, (points, targets)


@functools.cache
def _pinn_classes() -> tuple[type, type]:
    import torch

    class ConvectionPINN(torch.nn.Module):
        """u(x, t) by a tanh MLP; forward returns [u, u_t, u_x] (forward-mode derivatives)."""

        def __init__(self, width: int = 50) -> None:
            super().__init__()
            self.net = torch.nn.Sequential(
                torch.nn.Linear(2, width),
                torch.nn.Tanh(),
                torch.nn.Linear(width, width),
                torch.nn.Tanh(),
                torch.nn.Linear(width, width),
                torch.nn.Tanh(),
                torch.nn.Linear(width, 1),
            )

        def forward(self, points: torch.Tensor) -> torch.Tensor:
            # Forward mode written out: one pass carries u and its two tangents, d/dt and d/dx,
            # stacked as (2, N, features). torch.func.jvp twice would compute u twice and, under
            # the vmap of landscape sampling, decompose every layer into several memory-bound
            # kernels: this form samples landscapes ~2x and trains ~2x faster, same values.
            tangents = torch.eye(2, dtype=points.dtype, device=points.device)[[1, 0]]
            h, d = points, tangents.unsqueeze(1)  # d(points)/dt = e_t, d(points)/dx = e_x
            for layer in self.net:
                if isinstance(layer, torch.nn.Linear):
                    h = layer(h)
                    d = d @ layer.weight.t()  # the bias has no tangent
                else:  # Tanh; tanh_backward(d, h) = d * (1 - h²) in one kernel, differentiable
                    h = layer(h)
                    # h's explicit leading 1: vmap's rule is 2x slower with implicit broadcasting
                    d = torch.ops.aten.tanh_backward(d, h.unsqueeze(0))
            return torch.cat([h, d[0], d[1]], 1)

    class ConvectionLoss(torch.nn.Module):
        """Residual MSE of u_t + β u_x, initial-condition MSE, periodic-boundary MSE."""

        def __init__(self, beta: float) -> None:
            super().__init__()
            self.beta = float(beta)

        def forward(self, out: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
            kind, initial = targets[:, 0], targets[:, 1]
            u, u_t, u_x = out[:, 0], out[:, 1], out[:, 2]
            residual = ((u_t + self.beta * u_x) ** 2 * (kind == 0)).sum() / (kind == 0).sum()
            ic = (((u - initial) ** 2) * (kind == 1)).sum() / (kind == 1).sum()
            left, right = u[kind == 2], u[kind == 3]
            return residual + ic + ((left - right) ** 2).mean()

    return ConvectionPINN, ConvectionLoss


def __getattr__(name: str) -> Any:  # torch-backed classes are built on first use (lazy torch)
    if name in ("ConvectionPINN", "ConvectionLoss"):
        pinn, loss = _pinn_classes()
        return pinn if name == "ConvectionPINN" else loss
    raise AttributeError(name)
