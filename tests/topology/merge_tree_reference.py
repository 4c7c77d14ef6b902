"""A slow, obviously-correct merge tree for small graphs, to test the fast one against.

It shares no code with the library: at every step of the sweep it recomputes the connected
components of the visited set from scratch by breadth-first search.
"""

from __future__ import annotations

from collections import deque

import numpy as np


def components(visited: set[int], adjacency: list[list[int]]) -> dict[int, frozenset[int]]:
    """Map each visited vertex to the frozenset of its component within the visited set."""
    label: dict[int, frozenset[int]] = {}
    for start in visited:
        if start in label:
            continue
        seen = {start}
        queue = deque([start])
        while queue:
            x = queue.popleft()
            for y in adjacency[x]:
                if y in visited and y not in seen:
                    seen.add(y)
                    queue.append(y)
        comp = frozenset(seen)
        for x in comp:
            label[x] = comp
    return label


def reference_merge_tree(values: np.ndarray, adjacency: list[list[int]]) -> dict:
    """Minima, saddles, vertex-level parent links, basins, pairs, deaths of a merge tree."""
    sv = np.where(np.isnan(values), np.inf, values).astype(float)
    n = sv.size

    def key(v: int) -> tuple[float, int]:
        return (sv[v], v)

    order = sorted(range(n), key=key)
    visited: set[int] = set()
    minima: list[int] = []
    saddles: list[int] = []
    parent: dict[int, int] = {}  # tree node vertex -> parent node vertex
    nodes: set[int] = set()
    basins = np.full(n, -1)
    death: dict[int, int] = {}
    elder_of: dict[int, int] = {}
    for v in order:
        label = components(visited, adjacency)
        touching = {label[u] for u in adjacency[v] if u in visited}
        if not touching:
            minima.append(v)
            nodes.add(v)
            basins[v] = v
        else:
            # the oldest minimum of a component is its lowest vertex in sweep order
            oldest = [min(c, key=key) for c in touching]
            elder = min(oldest, key=key)
            basins[v] = elder
            if len(touching) >= 2:
                saddles.append(v)
                for comp in touching:
                    top = max((x for x in comp if x in nodes), key=key)
                    parent[top] = v
                nodes.add(v)
                for o in oldest:
                    if o != elder:
                        death[o] = v
                        elder_of[o] = elder
        visited.add(v)
    pairs = [(sv[mn], sv[death[mn]] if mn in death else np.inf) for mn in minima[1:]]
    return {
        "minima": minima,
        "saddles": saddles,
        "parent": parent,
        "basins": basins,
        "pairs": np.array(pairs, dtype=float).reshape(-1, 2),
        "death_saddle": [death.get(mn, -1) for mn in minima],
        "parent_minimum": [elder_of.get(mn, -1) for mn in minima],
    }


def vertex_parents(tree) -> dict[int, int]:
    """The fast tree's node_parent as a vertex -> parent vertex mapping (roots left out)."""
    return {
        int(tree.node_vertex[i]): int(tree.node_vertex[p])
        for i, p in enumerate(tree.node_parent)
        if p >= 0
    }


def adjacency_of(graph) -> list[list[int]]:
    return [graph.neighbors(v).tolist() for v in range(graph.n_vertices)]
