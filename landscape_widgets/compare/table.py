"""Tables of a LandscapeCollection: the tidy pandas DataFrame, pivots and their reductions.

``_CollectionTables`` is a mixin of :class:`~landscape_widgets.compare.LandscapeCollection`.
pandas is imported only when a table is built. Split from ``collection.py``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .entry import Entry

if TYPE_CHECKING:  # pragma: no cover
    import pandas

REDUCTIONS = ("mean", "median", "min", "max", "std", "count")


class _CollectionTables:
    """``table``, ``pivot`` and ``check_columns`` of :class:`LandscapeCollection` (a mixin)."""

    _entries: dict[str, Entry]

    if TYPE_CHECKING:  # pragma: no cover - provided by LandscapeCollection and its key mixin
        @property
        def keys(self) -> tuple[str, ...]: ...
        @property
        def metric_names(self) -> list[str]: ...
        def find(self, **fixed: Any) -> list[Entry]: ...
        def values_of(self, name: str) -> list[Any]: ...

    # ------------------------------------------------------------------ tables
    def table(self) -> pandas.DataFrame:
        """A tidy table: one row per entry (indexed by entry id), the key columns, then every
        metric (``metric_names``); missing numbers are NaN. Needs pandas."""
        pd = _pandas()
        names = self.metric_names
        rows = []
        for e in self._entries.values():
            metrics = e.metrics
            rows.append({**dict(e.key), **{n: metrics.get(n, math.nan) for n in names}})
        df = pd.DataFrame(rows, columns=list(self.keys) + names,
                          index=pd.Index(list(self._entries), name="entry"))
        for n in names:
            df[n] = df[n].astype("float64")
        return df

    def pivot(
        self,
        metric: str,
        rows: str,
        cols: str | None = None,
        reduce: str = "mean",
        where: Mapping[str, Any] | None = None,
    ) -> pandas.DataFrame:
        """``metric`` reduced over the other keys (e.g. seeds) on a ``rows`` × ``cols`` grid.

        Args:
            metric: a metric column (``metric_names``).
            rows, cols: key names (``cols`` None: a single column named ``metric``).
            reduce: "mean", "median", "min", "max", "std" (sample, ddof=1) or "count"
                (NaN values are skipped, as pandas does).
            where: only entries whose key has these values, e.g. ``{"epoch": 29}``.

        Returns:
            A DataFrame indexed by the sorted values of ``rows``, with the sorted values of
            ``cols`` as columns; NaN where a cell has no entry (or no value).
        """
        pd = _pandas()
        self.check_columns(metric=metric, rows=rows, cols=cols)
        if cols is not None and cols == rows:
            raise ValueError(
                f"rows, cols: expected two different key names, got {rows!r} for both (a pivot "
                "of a key against itself is only its diagonal; use cols=None for one column)"
            )
        if reduce not in REDUCTIONS:
            raise ValueError(f"reduce: expected one of {REDUCTIONS}, got {reduce!r}")
        entries = self.find(**(where or {}))
        row_values = self.values_of(rows)
        col_values = self.values_of(cols) if cols else [metric]
        out = pd.DataFrame(np.nan, index=pd.Index(row_values, name=rows),
                           columns=pd.Index(col_values, name=cols), dtype="float64")
        cells: dict[tuple[Any, Any], list[float]] = {}
        for e in entries:
            c = e.key[cols] if cols else metric
            cells.setdefault((e.key[rows], c), []).append(e.metrics.get(metric, math.nan))
        for (r, c), vals in cells.items():
            out.loc[r, c] = reduce_values(vals, reduce)
        if reduce == "count":
            out = out.fillna(0.0)
        return out

    def check_columns(self, **names: str | None) -> None:
        """Raise a ValueError for a name that is neither a key nor a metric; ``rows``/``cols``
        must be keys, ``metric`` a metric."""
        metrics = set(self.metric_names)
        for role, name in names.items():
            if name is None:
                continue
            if role in ("rows", "cols"):
                if name not in self.keys:
                    raise ValueError(f"{role}: expected a key name {list(self.keys)}, "
                                     f"got {name!r}")
            elif role == "metric":
                if name not in metrics:
                    raise ValueError(f"metric: expected one of {sorted(metrics)}, got {name!r}")
            elif name not in metrics and name not in self.keys:
                raise ValueError(f"{role}: expected a key or metric name, got {name!r}")


def reduce_values(values: Iterable[float], how: str) -> float:
    """Reduce numbers as ``LandscapeCollection.pivot`` does (NaN skipped; std with ddof=1)."""
    arr = np.asarray([v for v in values if not math.isnan(v)], dtype=float)
    if how == "count":
        return float(arr.size)
    if arr.size == 0:
        return math.nan
    if how == "mean":
        return float(arr.mean())
    if how == "median":
        return float(np.median(arr))
    if how == "min":
        return float(arr.min())
    if how == "max":
        return float(arr.max())
    if how == "std":
        return float(arr.std(ddof=1)) if arr.size > 1 else math.nan
    raise ValueError(f"reduce: expected one of {REDUCTIONS}, got {how!r}")


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as exc:  # pragma: no cover - pandas is a declared dependency
        raise ImportError(
            "LandscapeCollection.table needs pandas: pip install 'landscape-widgets[compare]'"
        ) from exc
    return pandas
