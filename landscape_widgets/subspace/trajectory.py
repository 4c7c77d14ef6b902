"""A training trajectory in a subspace: PCA directions of the checkpoints (Li et al. 2018) and
the coordinates of any checkpoint in any subspace.

Li et al.'s code (``projection.py``) stacks the differences θᵢ − θ_final of the saved models
and fits scikit-learn's ``PCA`` to them, which centres the rows on their mean before the SVD;
the first principal axes are the directions and the plot is centred at the final model. We do
the same in float64, through the n × n Gram matrix of the centred differences (accumulated
tensor by tensor), so memory stays O(n² + n · largest tensor) beyond the checkpoints themselves.
The directions are unit vectors (the extent is a distance in parameter space) and orthonormal.

Because the n checkpoints span an (n − 1)-dimensional affine space through the centre, the
subspace with ``dims = n − 1`` contains every one of them (``project_trajectory`` then reports
residuals at round-off level). With fewer directions the residual says how far off the plane a
checkpoint lies: a landscape drawn on the plane shows the loss *there*, not the checkpoint's.
Only trainable parameters move along directions: buffers (batch-norm running statistics) on a
landscape are the centre's, so even a contained checkpoint's loss on the landscape equals its
own loss only where its buffers equal the centre's (always for models without buffers).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from ..model.params import named_trainable
from .base import Subspace

Checkpoint = torch.nn.Module | Mapping[str, torch.Tensor]


@dataclass(frozen=True, eq=False)
class ProjectedPath:
    """Checkpoints as coordinates α in a subspace: θᵢ ≈ centre + Σⱼ αᵢⱼ dⱼ.

    Attributes:
        coords: ``(n, dims)`` least-squares coordinates, one row per checkpoint.
        residuals: ``(n,)`` distance ‖θᵢ − centre − Σⱼ αᵢⱼ dⱼ‖ from each checkpoint to the
            subspace (0: the checkpoint lies in it).
        distances: ``(n,)`` distance ‖θᵢ − centre‖ from each checkpoint to the centre, so
            ``residuals / distances`` is the share of each step that is off the subspace.
        epochs: ``(n,)`` epoch (or step) of each checkpoint; default 0, 1, ..., n − 1.
        losses: ``(n,)`` loss of each checkpoint, or None when not given.
        labels: one label per checkpoint (default ``"epoch <e>"``).

    Example:
        >>> net = torch.nn.Linear(2, 1)
        >>> a, b, c = (
        ...     {k: v + s for k, v in net.state_dict().items()} for s in (0.0, 0.5, 1.0))
        >>> sub = trajectory_subspace([a, b, c], dims=1, model=net)
        >>> path = project_trajectory(sub, [a, b, c], model=net)
        >>> path.coords.shape, bool(path.residuals.max() < 1e-6)
        ((3, 1), True)
    """

    coords: np.ndarray
    residuals: np.ndarray
    distances: np.ndarray
    epochs: np.ndarray
    losses: np.ndarray | None
    labels: tuple[str, ...]

    def __len__(self) -> int:
        return int(self.coords.shape[0])


def trajectory_subspace(
    checkpoints: Sequence[Checkpoint],
    dims: int = 2,
    center: Checkpoint | None = None,
    *,
    model: torch.nn.Module | None = None,
) -> Subspace:
    """The ``dims`` principal directions of a training trajectory (Li et al. 2018's PCA plot).

    Args:
        checkpoints: the models along training, in order: modules or ``state_dict``s (buffers
            such as batch-norm statistics are ignored: only trainable parameters move).
        dims: number of directions, at most ``len(checkpoints) − 1`` (the dimension the
            checkpoints span).
        center: the point the landscape will be sampled around (α = 0); default the last
            checkpoint. Sample the landscape around this model (``model.load_state_dict``).
        model: the network the checkpoints belong to; tells trainable parameters from buffers
            in ``state_dict``s. Not needed when a checkpoint or ``center`` is a module.

    Returns:
        A :class:`Subspace` of kind ``"trajectory"`` with orthonormal unit directions (largest
        entry positive, as scikit-learn's PCA); ``extra`` records the explained variance (and
        its ratio) of every direction, the number of checkpoints and a digest of the centre
        (``project_trajectory`` checks it), and ``sample_landscape`` copies it into the
        landscape's provenance.

    Example:
        >>> net = torch.nn.Linear(3, 1)
        >>> ckpts = [{k: v + 0.1 * i * torch.randn_like(v) for k, v in net.state_dict().items()}
        ...          for i in range(4)]
        >>> sub = trajectory_subspace(ckpts, dims=2, model=net)
        >>> sub.kind, sub.dims, len(sub.extra["explained_variance_ratio"])
        ('trajectory', 2, 2)
    """
    if isinstance(checkpoints, (torch.nn.Module, Mapping)) or not isinstance(
        checkpoints, Sequence
    ):
        raise TypeError(
            "checkpoints: expected a list of modules or state_dicts, got "
            f"{type(checkpoints).__name__}"
        )
    if len(checkpoints) < 2:
        raise ValueError(
            f"checkpoints: expected at least 2 checkpoints to span a direction, got "
            f"{len(checkpoints)}"
        )
    n = len(checkpoints)
    if not isinstance(dims, int) or isinstance(dims, bool) or not 1 <= dims <= n - 1:
        raise ValueError(
            f"dims: expected an integer between 1 and len(checkpoints) - 1 = {n - 1} (n "
            f"checkpoints span at most n - 1 directions), got {dims!r}"
        )
    template = _parameter_template(checkpoints, center, model)
    thetas = [_parameters(c, template, f"checkpoints[{i}]") for i, c in enumerate(checkpoints)]
    origin = thetas[-1] if center is None else _parameters(center, template, "center")

    # Gram matrix of the mean-centred differences θᵢ − centre (the centre cancels out of the
    # centring, but not out of the recorded differences used below)
    gram = torch.zeros(n, n, dtype=torch.float64)
    for name in template:
        block = _block(thetas, origin, name)
        block -= block.mean(dim=0, keepdim=True)
        gram += block @ block.T
    eigvals, eigvecs = torch.linalg.eigh(gram)
    order = torch.argsort(eigvals, descending=True)
    eigvals, eigvecs = eigvals[order].clamp_min(0.0), eigvecs[:, order]
    total = float(eigvals.sum())
    # singular values below this share of the largest are round-off, not directions
    if total == 0.0 or float(eigvals[dims - 1]) <= (1e-12 * float(eigvals[0])):
        rank = int((eigvals > 1e-12 * float(eigvals[0])).sum()) if total > 0 else 0
        raise ValueError(
            f"checkpoints: expected them to span at least dims={dims} directions, got {rank} "
            "(repeated or collinear checkpoints?)"
        )
    sigma = eigvals[:dims].sqrt()
    # direction j = Xcᵀ uⱼ / σⱼ, built tensor by tensor (Xc: centred differences)
    weights = eigvecs[:, :dims] / sigma  # (n, dims)
    flat_parts: dict[str, torch.Tensor] = {}
    for name in template:
        block = _block(thetas, origin, name)
        block -= block.mean(dim=0, keepdim=True)
        flat_parts[name] = weights.T @ block  # (dims, numel)
    # a deterministic sign: the largest |entry| of each direction positive (scikit-learn's)
    flat = torch.cat([flat_parts[name] for name in template], dim=1)
    signs = torch.sign(flat.gather(1, flat.abs().argmax(dim=1, keepdim=True))).squeeze(1)
    directions = tuple(
        {
            name: (signs[j] * flat_parts[name][j]).reshape(ref.shape).to(ref.dtype)
            for name, ref in template.items()
        }
        for j in range(dims)
    )
    variance = eigvals / max(n - 1, 1)  # scikit-learn's explained_variance_ (ddof = 1)
    return Subspace(
        directions=directions,
        kind="trajectory",
        orthonormal=True,
        extra={
            "method": "pca",
            "centered_rows": True,
            "n_checkpoints": n,
            "center": "last checkpoint" if center is None else "given",
            "center_sha256": _digest(origin),
            "explained_variance": [float(v) for v in variance[:dims]],
            "explained_variance_ratio": [float(v) / total for v in eigvals[:dims]],
            "lengths": "unit",
        },
    )


def project_trajectory(
    subspace: Subspace,
    checkpoints: Sequence[Checkpoint],
    center: Checkpoint | None = None,
    *,
    model: torch.nn.Module | None = None,
    epochs: Sequence[float] | None = None,
    losses: Sequence[float] | None = None,
    labels: Sequence[str] | None = None,
) -> ProjectedPath:
    """Coordinates α of each checkpoint in ``subspace`` (least squares in float64).

    Args:
        subspace: any subspace (trajectory, random, Hessian, custom); need not be orthogonal.
        checkpoints: modules or ``state_dict``s, as for :func:`trajectory_subspace`.
        center: the point α = 0, i.e. the model the landscape is sampled around; default the
            last checkpoint. For a trajectory subspace it must be the centre the subspace was
            built around (checked by digest).
        model: tells parameters from buffers in ``state_dict``s (see
            :func:`trajectory_subspace`).
        epochs, losses, labels: per-checkpoint annotations carried to the drawing
            (``ContourView(..., trajectory=path)``): epoch numbers (default 0..n−1), losses,
            and labels (default ``"epoch <e>"``).

    Returns:
        A :class:`ProjectedPath`: ``coords`` minimise ‖θᵢ − centre − Σⱼ αᵢⱼ dⱼ‖ and
        ``residuals`` are those minima, so users see how far off the subspace each checkpoint is.

    Example:
        >>> net = torch.nn.Linear(2, 1)
        >>> ckpts = [{k: v + 0.1 * i for k, v in net.state_dict().items()} for i in range(3)]
        >>> sub = trajectory_subspace(ckpts, dims=1, model=net)
        >>> path = project_trajectory(sub, ckpts, model=net, losses=[3.0, 2.0, 1.0])
        >>> path.labels
        ('epoch 0', 'epoch 1', 'epoch 2')
    """
    if not isinstance(subspace, Subspace):
        raise TypeError(f"subspace: expected a Subspace, got {type(subspace).__name__}")
    if isinstance(checkpoints, (torch.nn.Module, Mapping)) or not isinstance(
        checkpoints, Sequence
    ) or len(checkpoints) < 1:
        raise TypeError(
            "checkpoints: expected a non-empty list of modules or state_dicts, got "
            f"{type(checkpoints).__name__}"
        )
    n = len(checkpoints)
    names = subspace.names
    template = _parameter_template(checkpoints, center, model, names)
    if list(template) != list(names):
        raise ValueError(
            f"checkpoints: expected the subspace's parameters {list(names)[:4]}..., got "
            f"{list(template)[:4]}..."
        )
    origin = (
        _parameters(checkpoints[-1], template, f"checkpoints[{n - 1}]")
        if center is None else _parameters(center, template, "center")
    )
    expected = subspace.extra.get("center_sha256") if subspace.kind == "trajectory" else None
    if expected is not None and expected != _digest(origin):
        raise ValueError(
            "center: expected the centre the trajectory subspace was built around "
            f"({subspace.extra.get('center')}), got another model; pass center= as to "
            "trajectory_subspace"
        )
    thetas = [_parameters(c, template, f"checkpoints[{i}]") for i, c in enumerate(checkpoints)]

    k = subspace.dims
    dd = torch.zeros(k, k, dtype=torch.float64)  # D Dᵀ
    dv = torch.zeros(n, k, dtype=torch.float64)  # rows: D (θᵢ − centre)
    vv = torch.zeros(n, dtype=torch.float64)
    for name in names:
        d = torch.stack([sd[name].reshape(-1).to(torch.float64) for sd in subspace.directions])
        block = _block(thetas, origin, name)
        dd += d @ d.T
        dv += block @ d.T
        vv += (block * block).sum(dim=1)
    alphas = torch.linalg.solve(dd, dv.T).T  # (n, k)
    # residuals computed from the vectors themselves, not as ‖v‖² − ‖Dᵀα‖² (cancellation)
    rr = torch.zeros(n, dtype=torch.float64)
    for name in names:
        d = torch.stack([sd[name].reshape(-1).to(torch.float64) for sd in subspace.directions])
        r = _block(thetas, origin, name) - alphas @ d
        rr += (r * r).sum(dim=1)
    epoch_arr = _annotation(epochs, n, "epochs", np.arange(n, dtype=np.float64))
    loss_arr = None if losses is None else _annotation(losses, n, "losses", None)
    if labels is None:
        label_t = tuple(f"epoch {_fmt_epoch(e)}" for e in epoch_arr)
    else:
        label_t = tuple(str(s) for s in labels)
        if len(label_t) != n:
            raise ValueError(
                f"labels: expected {n} labels (one per checkpoint), got {len(label_t)}"
            )
    return ProjectedPath(
        coords=_frozen(alphas.numpy()),
        residuals=_frozen(rr.sqrt().numpy()),
        distances=_frozen(vv.sqrt().numpy()),
        epochs=_frozen(epoch_arr),
        losses=None if loss_arr is None else _frozen(loss_arr),
        labels=label_t,
    )


# ---------------------------------------------------------------------- helpers
def _parameter_template(
    checkpoints: Sequence[Checkpoint],
    center: Checkpoint | None,
    model: torch.nn.Module | None,
    names: Sequence[str] | None = None,
) -> dict[str, torch.Tensor]:
    """``{name: tensor}`` of the trainable parameters (the first module found), or of
    ``names`` (a subspace's) taken from the last checkpoint."""
    if model is not None and not isinstance(model, torch.nn.Module):
        raise TypeError(f"model: expected a torch.nn.Module or None, got {type(model).__name__}")
    for source in (model, center, *reversed(list(checkpoints))):
        if isinstance(source, torch.nn.Module):
            return named_trainable(source)
    if names is not None:
        last = checkpoints[-1]
        return {n: _entry(last, n, f"checkpoints[{len(checkpoints) - 1}]") for n in names}
    raise ValueError(
        "model: expected the network (a torch.nn.Module) to tell its trainable parameters from "
        "buffers, got only state_dicts; pass model= or modules as checkpoints"
    )


def _entry(state: Any, name: str, where: str) -> torch.Tensor:
    if not isinstance(state, Mapping):
        raise TypeError(f"{where}: expected a torch.nn.Module or a state_dict, got "
                        f"{type(state).__name__}")
    if name not in state:
        raise ValueError(f"{where}: expected a parameter {name!r}, missing from the state_dict")
    t = state[name]
    if not isinstance(t, torch.Tensor):
        raise TypeError(f"{where}[{name!r}]: expected a tensor, got {type(t).__name__}")
    return t.detach()


def _parameters(
    checkpoint: Any, template: Mapping[str, torch.Tensor], where: str
) -> dict[str, torch.Tensor]:
    """The checkpoint's parameters named like ``template``, on the CPU, shape-checked."""
    if isinstance(checkpoint, torch.nn.Module):
        state: Mapping[str, torch.Tensor] = dict(checkpoint.named_parameters())
    elif isinstance(checkpoint, Mapping):
        state = checkpoint
    else:
        raise TypeError(
            f"{where}: expected a torch.nn.Module or a state_dict, got {type(checkpoint).__name__}"
        )
    out = {}
    for name, ref in template.items():
        t = _entry(state, name, where).to("cpu")
        if tuple(t.shape) != tuple(ref.shape):
            raise ValueError(
                f"{where}[{name!r}]: expected shape {tuple(ref.shape)}, got {tuple(t.shape)}"
            )
        if not torch.isfinite(t).all():
            raise ValueError(f"{where}[{name!r}]: expected finite values, got NaN or inf")
        out[name] = t
    return out


def _block(
    thetas: Sequence[Mapping[str, torch.Tensor]], origin: Mapping[str, torch.Tensor], name: str
) -> torch.Tensor:
    """``(n, numel)`` float64 differences θᵢ[name] − origin[name]."""
    base = origin[name].reshape(-1).to(torch.float64)
    return torch.stack([t[name].reshape(-1).to(torch.float64) - base for t in thetas])


def _digest(params: Mapping[str, torch.Tensor]) -> str:
    h = hashlib.sha256()
    for name, t in params.items():
        t = t.detach().to("cpu").contiguous().reshape(-1)
        h.update(f"{name}:{tuple(t.shape)}:{t.dtype};".encode())
        h.update(t.view(torch.uint8).numpy().tobytes())
    return h.hexdigest()


def _annotation(values: Any, n: int, name: str, default: np.ndarray | None) -> np.ndarray:
    if values is None:
        assert default is not None
        return default
    arr = np.asarray(values, dtype=np.float64)
    if arr.shape != (n,):
        raise ValueError(
            f"{name}: expected {n} numbers (one per checkpoint), got shape {arr.shape}"
        )
    return arr


def _fmt_epoch(e: float) -> str:
    return str(int(e)) if float(e).is_integer() else f"{e:g}"


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a
