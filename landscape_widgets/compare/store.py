"""On-disk side of a LandscapeCollection: the JSON index and one ``.npz`` per landscape.

``_CollectionStore`` is a mixin of :class:`~landscape_widgets.compare.LandscapeCollection`:
opening and saving a directory, writing the index atomically, and loading landscapes and merge
trees on demand (a few are cached). Split from ``collection.py``.

A collection directory is untrusted input (it is shared with colleagues and reviewers): every
entry of ``collection.json`` must name a plain file in the directory's ``landscapes/`` folder
(no ``..``, no absolute path, no separator, no symlink leading out of the directory), the index
is read with a size bound, and every write goes to a temporary file in the directory and is
renamed into place (:mod:`landscape_widgets.io.atomic`), never through a symlink. Writers take
the directory's lock (``collection.lock``) and re-read the index under it, so two processes
adding to one directory both keep their entries.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..io.atomic import atomic_open, write_json_atomic
from ..io.bounded import FileFormatError, check_version, read_json
from ..io.landscape_npz import is_landscape_file
from ..io.lock import directory_lock
from ..landscape import Landscape
from .entry import Entry, check_index

if TYPE_CHECKING:  # pragma: no cover
    from ..topology.tree import MergeTree
    from .collection import LandscapeCollection

FORMAT = "landscape_widgets.LandscapeCollection"
VERSION = 1
SUPPORTED_VERSIONS = (1,)
INDEX = "collection.json"
LANDSCAPES = "landscapes"
LOCK = "collection.lock"
LOCK_TIMEOUT_S = 60.0
_CACHE_SIZE = 4
# What ids are made of (``_slug``): no separator, no leading dot, so never "..", never absolute.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_=+\-][A-Za-z0-9_.=+\-]{0,199}")

_write_json_atomic = write_json_atomic  # the name older imports use


def is_plain_name(name: Any) -> bool:
    """Whether ``name`` is a file name the collection would make itself (a bare name: no
    directory part, no leading dot)."""
    return isinstance(name, str) and _PLAIN_NAME.fullmatch(name) is not None


def _inside(root: Path, path: Path) -> bool:
    """Whether ``path``, symlinks followed, stays inside ``root``."""
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """Identity of the index file's current version (each atomic write makes a new inode)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _landscapes_folder(root: Path) -> Path:
    """``root/landscapes``, created if needed; refused when it is a symlink or leads out."""
    folder = root / LANDSCAPES
    if folder.is_symlink() or (folder.exists() and not _inside(root, folder)):
        raise FileFormatError(
            f"{str(folder)!r}: expected a plain folder inside the collection directory, got a "
            "symlink; refusing to write through it"
        )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _entry_from_index(root: Path, index: Path, position: int, raw: Any) -> Entry:
    """One entry of ``collection.json``, its id and file checked to stay in ``root`` (the
    ``landscapes`` folder itself is checked once by the caller)."""
    entry_id = raw.get("id") if isinstance(raw, Mapping) else None
    where = f"{str(index)!r}: entry {position} (id {entry_id!r})"
    if not isinstance(raw, Mapping):
        raise FileFormatError(f"{str(index)!r}: entry {position}: expected a JSON object, "
                              f"got {type(raw).__name__}")
    if not is_plain_name(entry_id):
        raise FileFormatError(
            f"{where}: expected an id that is a plain file name (letters, digits, '_.=+-', no "
            "leading dot, no separator)"
        )
    file = raw.get("file")
    parts = file.split("/") if isinstance(file, str) else []
    if len(parts) != 2 or parts[0] != LANDSCAPES or not is_plain_name(parts[1]):
        raise FileFormatError(
            f"{where}: file {file!r} is not a plain file name in the collection's "
            f"'{LANDSCAPES}/' folder; refusing to read outside the collection directory"
        )
    path = root / LANDSCAPES / parts[1]
    if path.is_symlink() and not _inside(root, path):
        raise FileFormatError(
            f"{where}: file {file!r} is a symlink leading out of the collection directory "
            f"{str(root)!r}; refusing to read it"
        )
    try:
        return Entry._from_json(raw, root)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise FileFormatError(f"{where}: expected key, topology, hessian and scalars "
                              f"({type(exc).__name__}: {exc})") from exc


class _CollectionStore:
    """Directory I/O of :class:`LandscapeCollection` (a mixin; the state lives there)."""

    _root: Path | None
    _keys: tuple[str, ...] | None
    _entries: dict[str, Entry]
    _by_key: dict[tuple[Any, ...], str]
    _memory: dict[str, Landscape]
    _cache: OrderedDict[str, Landscape]
    _trees: OrderedDict[str, Any]
    _attrs: dict[str, Any]
    _settings: dict[str, Any]
    _index_stamp: tuple[int, int, int] | None = None

    if TYPE_CHECKING:  # pragma: no cover
        def _canon(self, key: Mapping[str, Any]) -> tuple[Any, ...]: ...
        def _resolve(self, key: Any) -> Entry: ...
        @property
        def keys(self) -> tuple[str, ...]: ...

    # ------------------------------------------------------------------ opening
    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> LandscapeCollection:
        """Open a saved collection.

        Raises:
            FileNotFoundError: when ``directory`` holds no ``collection.json``.
            FileFormatError: (a ValueError) for a damaged or unsafe index: bad JSON, an
                unknown format version, an entry whose file is not a plain name inside the
                directory.
        """
        path = Path(directory)
        if not (path / INDEX).is_file():
            raise FileNotFoundError(f"{path}: no saved LandscapeCollection ({INDEX} missing)")
        make: Any = cls  # the mixin's subclass LandscapeCollection takes the directory
        return make(path)

    def _read_index(self) -> dict[str, Any]:
        """The checked index: ``entries`` as :class:`Entry` objects, ``keys``, ``settings``,
        ``attrs``."""
        root = self._root
        assert root is not None
        path = root / INDEX
        if not _inside(root, path):
            raise FileFormatError(f"{str(path)!r}: a symlink leading out of the collection "
                                  "directory; refusing to read it")
        data = read_json(path, f"a LandscapeCollection index ({INDEX})")
        data = check_index(data, path)  # JSON types: the directory is untrusted input
        if data.get("format") != FORMAT:
            raise FileFormatError(f"{str(path)!r}: not a LandscapeCollection index "
                                  f"(format={data.get('format')!r})")
        check_version(data.get("version"), SUPPORTED_VERSIONS, path, "a LandscapeCollection")
        keys = data.get("keys")  # a list of strings or None (check_index)
        for name in ("settings", "attrs"):
            if not isinstance(data.setdefault(name, {}), dict):
                raise FileFormatError(f"{str(path)!r}: {name}: expected a JSON object, got "
                                      f"{type(data[name]).__name__}")
        folder = root / LANDSCAPES
        if (folder.is_symlink() or folder.exists()) and not _inside(root, folder):
            raise FileFormatError(f"{str(folder)!r}: a symlink leading out of the collection "
                                  "directory; refusing to read through it")
        raw_entries = data.get("entries", [])
        if not isinstance(raw_entries, list):
            raise FileFormatError(f"{str(path)!r}: entries: expected a list, got "
                                  f"{type(raw_entries).__name__}")
        entries: list[Entry] = []
        seen: set[str] = set()
        for position, raw in enumerate(raw_entries):
            entry = _entry_from_index(root, path, position, raw)
            if entry.id in seen:
                raise FileFormatError(f"{str(path)!r}: entry {position}: the id {entry.id!r} "
                                      "appears twice")
            if keys is not None and set(entry.key) != set(keys):
                raise FileFormatError(f"{str(path)!r}: entry {position} (id {entry.id!r}): key "
                                      f"names {list(entry.key)}, expected {keys}")
            seen.add(entry.id)
            entries.append(entry)
        data["entries"] = entries
        self._index_stamp = _stamp(path)
        return data

    @contextmanager
    def _writing(self, root: Path | None = None) -> Iterator[Path]:
        """Hold the directory's lock (other processes wait, up to ``LOCK_TIMEOUT_S``)."""
        root = self._root if root is None else root
        assert root is not None
        root.mkdir(parents=True, exist_ok=True)
        with directory_lock(root, LOCK, timeout=LOCK_TIMEOUT_S):
            yield root

    def _merge_from_disk(self) -> None:
        """Under the lock: take in the entries and attrs other processes wrote meanwhile."""
        assert self._root is not None
        path = self._root / INDEX
        if not path.is_file() or _stamp(path) == getattr(self, "_index_stamp", None):
            return  # nobody wrote since we last read or wrote it
        stored = self._read_index()
        for name, value in self._settings.items():
            old = stored["settings"].get(name)
            if old is not None and old != value:
                raise ValueError(
                    f"LandscapeCollection: {name}={value!r} contradicts the collection another "
                    f"process wrote to {self._root} ({name}={old!r})"
                )
        if stored.get("keys"):
            if self._keys is not None and tuple(stored["keys"]) != self._keys:
                raise ValueError(
                    f"LandscapeCollection: keys={self._keys} contradict the collection another "
                    f"process wrote to {self._root} (keys={tuple(stored['keys'])})"
                )
            self._keys = tuple(stored["keys"])
        self._attrs = dict(stored["attrs"])
        merged: dict[str, Entry] = {}
        for entry in stored["entries"]:
            mine = self._entries.get(entry.id)
            if mine is not None and mine._to_json(self._root) != entry._to_json(self._root):
                self._cache.pop(entry.id, None)  # replaced by another process
                self._trees.pop(entry.id, None)
            merged[entry.id] = entry
        for entry_id, entry in self._entries.items():
            merged.setdefault(entry_id, entry)
        self._entries = merged
        self._by_key = {self._canon(e.key): e.id for e in merged.values()}

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
        if self._root is not None and not _inside(self._root, entry.file):
            raise FileFormatError(f"entry {entry.label}: {str(entry.file)!r} leads out of the "
                                  f"collection directory {str(self._root)!r}; refusing to read it")
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
        """Write the index (call with the lock held, after ``_merge_from_disk``)."""
        assert self._root is not None
        write_json_atomic(self._root / INDEX, self._index(self._root))
        self._index_stamp = _stamp(self._root / INDEX)

    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Write the whole collection (index + one ``.npz`` per landscape) to ``directory``
        and return its path. Open it again with :meth:`load`. Nothing is written outside
        ``directory``: its ``landscapes/`` folder must not be a symlink, and files are replaced
        atomically, never written through a symlink.

        Raises:
            FileExistsError: when ``directory`` already holds a different collection, or a file
                that is not a landscape where an entry's landscape goes.
        """
        root = Path(directory)
        if self._root is not None and root.resolve() == self._root.resolve():
            with self._writing():
                self._merge_from_disk()
                self._write_index()
            return root
        with self._writing(root):
            if (root / INDEX).exists() or (root / INDEX).is_symlink():
                raise FileExistsError(
                    f"{root} already holds a collection; choose another directory")
            folder = _landscapes_folder(root)
            saved = []
            for e in self._entries.values():
                file = folder / f"{e.id}.npz"
                if (file.exists() or file.is_symlink()) and not is_landscape_file(file):
                    raise FileExistsError(
                        f"{str(file)!r} exists and is not a saved Landscape; refusing to "
                        "replace it (choose another directory)")
                if e.id in self._memory:
                    self._memory[e.id].save(file, overwrite=True)
                elif e.file is not None:
                    if self._root is not None and not _inside(self._root, e.file):
                        raise FileFormatError(f"entry {e.label}: {str(e.file)!r} leads out of "
                                              f"the collection directory {str(self._root)!r}")
                    with open(e.file, "rb") as src, atomic_open(file) as dst:
                        shutil.copyfileobj(src, dst)
                saved.append(Entry(id=e.id, key=e.key, topology=e.topology, hessian=e.hessian,
                                   scalars=e.scalars, file=file))
            write_json_atomic(root / INDEX, self._index(root, saved))
        return root
