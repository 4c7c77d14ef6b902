"""SpectrumView: Hessian eigenvalues as stems, or a spectral density curve.

Accepts anything with ``eigenvalues`` (a Hessian ``Subspace``, ``EigenPairs``), a plain sequence
of eigenvalues, or a ``SpectralDensity`` (anything with ``grid()`` and ``evaluate(t)``: the
Gaussian-smoothed density is drawn as a curve, the quadrature nodes as a rug). No torch import
happens here: the objects are read by duck typing.

Example:
    >>> import landscape_widgets as lw
    >>> view = lw.SpectrumView([12.5, 3.1, -0.4])
    >>> view.kind
    'eigenvalues'
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import traitlets

from ..io.wire import to_wire
from ._base import BaseView


def spectrum_payload(source: Any, log_density: bool = False) -> tuple[str, dict[str, Any]]:
    """``("eigenvalues" | "density", packed arrays)`` for ``source``."""
    if callable(getattr(source, "evaluate", None)) and callable(getattr(source, "grid", None)):
        t = np.asarray(source.grid(400), dtype=float)
        y = np.asarray(source.evaluate(t), dtype=float)
        nodes = np.asarray(getattr(source, "nodes", np.zeros(0)), dtype=float).ravel()
        nodes = nodes[np.isfinite(nodes)]
        return "density", {"x": to_wire(t), "y": to_wire(y), "nodes": to_wire(nodes)}
    values = getattr(source, "eigenvalues", source)
    if values is None:
        raise ValueError(
            "SpectrumView: this subspace has no eigenvalues (only Hessian subspaces carry them)"
        )
    try:
        arr = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError) as exc:
        raise TypeError(
            "SpectrumView: expected a Subspace/EigenPairs with eigenvalues, a sequence of "
            f"eigenvalues or a SpectralDensity, got {type(source).__name__}"
        ) from exc
    if arr.size == 0 or not np.all(np.isfinite(arr)):
        raise ValueError(f"SpectrumView: expected finite eigenvalues, got {arr.tolist()[:8]}")
    return "eigenvalues", {"x": to_wire(np.sort(arr)[::-1])}


class SpectrumView(BaseView):
    """Hessian spectrum: eigenvalue stems (x = eigenvalue, symlog-free linear axis) or the SLQ
    spectral density (``log_density`` plots it on a log scale, as in the papers).

    Args:
        source: Subspace / EigenPairs / sequence of eigenvalues / SpectralDensity.
        log_density: log-scale y axis for a density.
        selection, width, height: see ``BaseView`` (the spectrum has no basins; the selection
            is kept so that the view can sit in a linked dashboard).

    Traits: ``kind`` ("eigenvalues" or "density", read-only), ``log_density``, and those of
    ``BaseView``.

    Raises:
        TypeError: for an unsupported source or unknown keyword arguments.
        ValueError: for a subspace without eigenvalues or non-finite values.
    """

    _bundle: ClassVar[str] = "spectrum_view"
    _options: ClassVar[set[str]] = {"log_density"}

    kind = traitlets.Unicode("eigenvalues", read_only=True, help="what is drawn").tag(sync=True)
    log_density = traitlets.Bool(False, help="log-scale density axis").tag(sync=True)

    def __init__(self, source: Any, **kwargs: Any) -> None:
        kind, data = spectrum_payload(source)
        super().__init__(**kwargs)
        self.set_trait("kind", kind)
        self._data = {"spectrum": data}
