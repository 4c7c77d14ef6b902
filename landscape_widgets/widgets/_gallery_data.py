"""What the Gallery sends to the browser besides the entries' table: each entry's thumbnail (its
compact topology simplified to the most persistent basins) and the map of the entries (classical
MDS of the distances between their persistence diagrams); and the checks of the options that
choose them (``explorers``, ``profile_basins``, ``distance``).

The browser draws a thumbnail's profile with ProfileView's code (js/src/lib/profile_geometry.js
and js/src/lib/gallery_thumbs.js), so a thumbnail carries the topology, not drawn geometry.
"""

from __future__ import annotations

from typing import Any

import numpy as np

EXPLORER_MODES = ("live", "all")
DISTANCES = ("wasserstein", "bottleneck")


def check_gallery_options(mode: Any, basins: Any, distance: Any) -> tuple[str, int, str | None]:
    """The Gallery's ``explorers``, ``profile_basins`` and ``distance`` checked: ``(mode,
    basins, distance)``, or a ValueError naming the argument, what it expects and what came."""
    if mode not in EXPLORER_MODES:
        raise ValueError(f"explorers: expected one of {EXPLORER_MODES}, got {mode!r}")
    if isinstance(basins, bool) or not isinstance(basins, (int, np.integer)) or basins < 1:
        raise ValueError(f"profile_basins: expected an integer >= 1, got {basins!r}")
    if distance is not None and distance not in DISTANCES:
        raise ValueError(f"distance: expected one of {DISTANCES} or None, got {distance!r}")
    return mode, int(basins), distance


def thumbnail_threshold(tree: Any, max_basins: int) -> float:
    """The persistence threshold at which ``tree.simplify`` keeps at most ``max_basins`` basins:
    just above the persistence of the first basin over the cap, so that basins tied with it go
    together (the browser's level-of-detail rule, ``lodThreshold`` in js/src/lib/lod.js); 0
    when the tree has no more. More than ``max_basins`` stay only when the tree has more roots
    (basins that never merge), as ``landscape_profile(tree, max_basins=...)`` keeps them too."""
    if max_basins < 1:
        raise ValueError(f"max_basins: expected an integer >= 1, got {max_basins}")
    pers = np.sort(np.asarray(tree.persistence, dtype=float))[::-1]  # minima[1:]; inf first
    if pers.size + 1 <= max_basins:  # + the global minimum, always kept
        return 0.0
    edge = pers[max_basins - 1]  # the first over the cap (the global minimum takes one place)
    return float(np.nextafter(edge, np.inf))


def thumbnail_topology(tree: Any, max_basins: int = 32) -> dict[str, Any]:
    """What one Gallery thumbnail is drawn from: the compact topology (``compact_topology``,
    the schema of ``TopologyModel``) of ``tree`` simplified to its ``max_basins`` most
    persistent basins (:func:`thumbnail_threshold`), without what a thumbnail does not draw
    (grid axes, the trained model, the log bands). The browser computes the profile from it
    with the code ProfileView uses (js/src/lib/profile_geometry.js), so it equals
    ``landscape_profile(tree.simplify(thumbnail_threshold(tree, max_basins)), levels=edges)``
    on the linear edges ``bands.linear.edges``; its size grows with ``max_basins``, not with
    the landscape's vertices or basins."""
    from .topology_model import compact_topology

    threshold = thumbnail_threshold(tree, max_basins)
    # linear bands only: the log pass over the vertices would be thrown away
    data = compact_topology(tree.simplify(threshold) if threshold > 0 else tree,
                            scales=("linear",))
    del data["axes"]
    data.pop("centre", None)
    return data


def profiles_payload(collection: Any, entries: list[Any],
                     max_basins: int = 32) -> list[dict[str, Any]]:
    """The thumbnails of ``entries``: one :func:`thumbnail_topology` per entry, in order."""
    return [thumbnail_topology(collection.tree(e), max_basins) for e in entries]


def map_payload(collection: Any, entries: list[Any], distance: str,
                order: float = 1.0) -> tuple[dict[str, Any], Any]:
    """The Gallery's map: classical-MDS coordinates of ``entries`` by the ``distance``
    (``"wasserstein"`` of ``order``, or ``"bottleneck"``) between their 0-dim persistence
    diagrams, with the share of the distances the plane carries (``explained``); and the
    ``DistanceMatrix`` behind it."""
    if distance not in DISTANCES:
        raise ValueError(f"distance: expected one of {DISTANCES} or None, got {distance!r}")
    if len(entries) < 2:
        raise ValueError(f"distance: a map needs at least 2 entries, got {len(entries)}")
    dist = collection.distance_matrix(metric=distance, order=order, entries=entries)
    emb = dist.embedding(dims=2)
    payload = {"ids": list(emb.ids), "coords": emb.coords.tolist(), "metric": distance,
               "order": float(order) if distance == "wasserstein" else None,
               "explained": emb.explained}
    return payload, dist
