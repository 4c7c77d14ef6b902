"""On-disk side of a LandscapeCollection: the JSON index and one ``.npz`` per landscape.

``_CollectionStore`` is a mixin of :class:`~landscape_widgets.compare.LandscapeCollection`:
opening and saving a directory, writing the index atomically, and loading landscapes and merge
trees on demand (a few are cached). Split from ``collection.py``.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..landscape import Landscape
from .entry import Entry, check_index

if TYPE_CHECKING:  # pragma: no cover
    from ..topology.tree import MergeTree
    from .collection import LandscapeCollection

FORMAT = "landscape_widgets.LandscapeCollection"
VERSION = 1
INDEX = "collection.json"
LANDSCAPES = "landscapes"
_CACHE_SIZE = 4


def _write_json_atomic(path: Path, data: Any) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=1, allow_nan=False), encoding="utf-8")
    os.replace(tmp, path)



class _CollectionStore:
    """Directory I/O of :class:`LandscapeCollection` (a mixin; the state lives there)."""

    _root: Path | None
    _entries: dict[str, Entry]
    _memory: dict[str, Landscape]
    _cache: OrderedDict[str, Landscape]
    _trees: OrderedDict[str, Any]
    _attrs: dict[str, Any]
    _settings: dict[str, Any]

    # ------------------------------------------------------------------ opening
    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> LandscapeCollection:
        """Open a saved collection.

        Raises:
            FileNotFoundError: when ``directory`` holds no ``collection.json``.
        """
        path = Path(directory)
        if not (path / INDEX).is_file():
            raise FileNotFoundError(f"{path}: no saved LandscapeCollection ({INDEX} missing)")
        return cls(path)

    def _read_index(self) -> dict[str, Any]:
        path = self._root / INDEX  # type: ignore[operator]
        data = json.loads(path.read_text(encoding="utf-8"))
        data = check_index(data, path)  # JSON types: the directory is untrusted input
        if data.get("format") != FORMAT:
            raise ValueError(f"{path}: not a LandscapeCollection index "
                             f"(format={data.get('format')!r})")
        if data.get("version", 0) > VERSION:
            raise ValueError(f"{path}: written by a newer version ({data['version']} > {VERSION})")
        return data

    # ------------------------------------------------------------------ reading
    @staticmethod
    def _remember(cache: OrderedDict[str, Any], entry_id: str, value: Any) -> None:
        cache[entry_id] = value
        cache.move_to_end(entry_id)
        while len(cache) > _CACHE_SIZE:
            cache.popitem(last=False)

    def landscape(self, key: Mapping[str, Any] | str | Entry) -> Landscape:
        """The landscape of an entry (read from its file when on disk; a few are cached)."""
        entry = self._resolve(key)
        if entry.id in self._memory:
            return self._memory[entry.id]
        if entry.id in self._cache:
            self._cache.move_to_end(entry.id)
            return self._cache[entry.id]
        if entry.file is None or not entry.file.is_file():
            raise FileNotFoundError(f"the landscape file of entry {entry.label} is missing: "
                                    f"{entry.file}")
        land = Landscape.load(entry.file)
        self._remember(self._cache, entry.id, land)
        return land

    def tree(self, key: Mapping[str, Any] | str | Entry) -> MergeTree:
        """The merge tree of an entry (computed with the collection's connectivity, cached)."""
        entry = self._resolve(key)
        if entry.id in self._trees:
            self._trees.move_to_end(entry.id)
            return self._trees[entry.id]
        from ..topology import merge_tree

        tree = merge_tree(self.landscape(entry), connectivity=self._settings["connectivity"])
        self._remember(self._trees, entry.id, tree)
        return tree

    # ------------------------------------------------------------------ saving
    def _index(self, root: Path | None, entries: Iterable[Entry] | None = None) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "keys": list(self.keys),
            "settings": dict(self._settings),
            "attrs": self._attrs,
            "entries": [e._to_json(root) for e in (entries if entries is not None
                                                    else self._entries.values())],
        }

    def _write_index(self) -> None:
        assert self._root is not None
        self._root.mkdir(parents=True, exist_ok=True)
        _write_json_atomic(self._root / INDEX, self._index(self._root))

    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Write the whole collection (index + one ``.npz`` per landscape) to ``directory``
        and return its path. Open it again with :meth:`load`.

        Raises:
            FileExistsError: when ``directory`` already holds a different collection.
        """
        root = Path(directory)
        if self._root is not None and root.resolve() == self._root.resolve():
            self._write_index()
            return root
        if (root / INDEX).exists():
            raise FileExistsError(f"{root} already holds a collection; choose another directory")
        folder = root / LANDSCAPES
        folder.mkdir(parents=True, exist_ok=True)
        saved = []
        for e in self._entries.values():
            file = folder / f"{e.id}.npz"
            if e.id in self._memory:
                self._memory[e.id].save(file)
            elif e.file is not None:
                shutil.copyfile(e.file, file)
            saved.append(Entry(id=e.id, key=e.key, topology=e.topology, hessian=e.hessian,
                               scalars=e.scalars, file=file))
        _write_json_atomic(root / INDEX, self._index(root, saved))
        return root

