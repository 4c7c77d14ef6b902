"""A collection directory is untrusted input: its index can name no file outside it, and
saving a collection never writes outside the target directory (issue 14, item 2)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.compare import LandscapeCollection


def bowl(shift: float) -> lw.Landscape:
    return lw.Landscape.from_function(lambda p: (p**2).sum(1) + shift, dims=2, resolution=5)


@pytest.fixture()
def saved(tmp_path: Path) -> Path:
    d = tmp_path / "coll"
    c = LandscapeCollection(d)
    c.add({"seed": 0}, bowl(0.0))
    c.add({"seed": 1}, bowl(1.0))
    return d


def edit_index(d: Path, change: Any) -> None:
    index = json.loads((d / "collection.json").read_text())
    change(index)
    (d / "collection.json").write_text(json.dumps(index))


def outside_landscape(tmp_path: Path) -> Path:
    return bowl(100.0).save(tmp_path / "outside.npz")


def test_a_clean_collection_opens(saved: Path) -> None:
    c = LandscapeCollection.load(saved)
    assert c.ids == ["seed=0", "seed=1"] and c.landscape("seed=1").values.min() == 1.0


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("id", "../evil", r"entry 0 \(id '\.\./evil'\): expected an id that is a plain file name"),
        ("id", "/etc/passwd", r"entry 0 \(id '/etc/passwd'\): expected an id that is a plain"),
        ("id", "..", r"entry 0 \(id '\.\.'\): expected an id"),
        ("id", "a/b", r"entry 0 \(id 'a/b'\): expected an id"),
        ("id", 7, r"entry 0 \(id 7\): expected an id"),
        ("file", "../outside.npz", r"entry 0 \(id 'seed=0'\): file '\.\./outside\.npz' is not a "
                                   r"plain file name"),
        ("file", "landscapes/../../outside.npz", r"file 'landscapes/\.\./\.\./outside\.npz' is "
                                                 r"not a plain file name"),
        ("file", "/tmp/outside.npz", r"file '/tmp/outside\.npz' is not a plain file name"),
        ("file", "landscapes/sub/x.npz", r"file 'landscapes/sub/x\.npz' is not a plain"),
        ("file", "landscapes\\..\\..\\x.npz", r"is not a plain file name"),
        ("file", "landscapes/.hidden.npz", r"is not a plain file name"),
        ("file", None, r"file None is not a plain file name"),
    ],
)
def test_traversal_ids_and_files_are_refused(
    saved: Path, tmp_path: Path, field: str, value: Any, match: str
) -> None:
    outside_landscape(tmp_path)

    def change(index: dict[str, Any]) -> None:
        index["entries"][0][field] = value

    edit_index(saved, change)
    with pytest.raises(ValueError, match=match):
        LandscapeCollection.load(saved)
    with pytest.raises(ValueError, match=match):
        LandscapeCollection(saved)  # opening to continue it is checked the same way


def test_absolute_path_to_a_real_landscape_is_refused(saved: Path, tmp_path: Path) -> None:
    target = outside_landscape(tmp_path)

    def change(index: dict[str, Any]) -> None:
        index["entries"][0]["file"] = str(target)

    edit_index(saved, change)
    with pytest.raises(ValueError, match="entry 0 .* is not a plain file name"):
        LandscapeCollection.load(saved)


def test_symlinked_landscape_leading_out_is_refused(saved: Path, tmp_path: Path) -> None:
    target = outside_landscape(tmp_path)
    link = saved / "landscapes" / "seed=1.npz"
    link.unlink()
    link.symlink_to(target)
    with pytest.raises(ValueError, match=r"entry 1 \(id 'seed=1'\): .*symlink leading out"):
        LandscapeCollection.load(saved)


def test_symlink_swapped_in_after_opening_is_refused(saved: Path, tmp_path: Path) -> None:
    c = LandscapeCollection.load(saved)
    target = outside_landscape(tmp_path)
    link = saved / "landscapes" / "seed=1.npz"
    link.unlink()
    link.symlink_to(target)
    with pytest.raises(ValueError, match="leads out of the collection directory"):
        c.landscape("seed=1")


def test_symlink_inside_the_directory_is_fine(saved: Path) -> None:
    link = saved / "landscapes" / "seed=1.npz"
    link.unlink()
    link.symlink_to(saved / "landscapes" / "seed=0.npz")
    assert LandscapeCollection.load(saved).landscape("seed=1").values.min() == 0.0


def test_symlinked_landscapes_folder_is_refused(saved: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (saved / "landscapes").rename(elsewhere)
    (saved / "landscapes").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(ValueError, match="symlink leading out"):
        LandscapeCollection.load(saved)


def test_symlinked_index_is_refused(saved: Path, tmp_path: Path) -> None:
    real = tmp_path / "real_index.json"
    (saved / "collection.json").rename(real)
    (saved / "collection.json").symlink_to(real)
    with pytest.raises(ValueError, match="collection.json.*symlink leading out"):
        LandscapeCollection.load(saved)


def test_saving_never_writes_through_a_symlinked_folder(saved: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    target = tmp_path / "target"
    target.mkdir()
    (target / "landscapes").symlink_to(victim, target_is_directory=True)
    for source in (LandscapeCollection.load(saved), in_memory()):
        with pytest.raises(ValueError, match="symlink; refusing to write through it"):
            source.save(target)
        assert list(victim.iterdir()) == []
        assert not (target / "collection.json").exists()


def test_saving_never_follows_a_symlinked_lock_file(saved: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    target = tmp_path / "target"
    target.mkdir()
    (target / "collection.lock").symlink_to(victim)
    with pytest.raises(FileExistsError, match="collection.lock': expected a lock file, got a "
                                              "symlink"):
        LandscapeCollection.load(saved).save(target)
    assert victim.read_text() == "precious" and not (target / "collection.json").exists()


def in_memory() -> LandscapeCollection:
    c = LandscapeCollection()
    c.add({"seed": 0}, bowl(0.0))
    c.add({"seed": 1}, bowl(1.0))
    return c


@pytest.mark.parametrize("kind", ["landscape", "other"])
def test_saving_never_writes_through_a_symlinked_file(
    saved: Path, tmp_path: Path, kind: str
) -> None:
    victim = tmp_path / "victim.npz"
    if kind == "landscape":
        bowl(50.0).save(victim)
    else:
        victim.write_bytes(b"precious data")
    before = victim.read_bytes()
    for i, source in enumerate((LandscapeCollection.load(saved), in_memory())):
        target = tmp_path / f"target{i}"
        (target / "landscapes").mkdir(parents=True)
        (target / "landscapes" / "seed=0.npz").symlink_to(victim)
        if kind == "landscape":  # replaced by a file of its own: the link, not its target
            back = LandscapeCollection.load(source.save(target))
            assert back.landscape("seed=0").values.min() == 0.0
            assert not (target / "landscapes" / "seed=0.npz").is_symlink()
        else:
            with pytest.raises(FileExistsError, match="is not a saved Landscape"):
                source.save(target)
        assert victim.read_bytes() == before


def test_adding_to_a_directory_with_a_symlinked_folder_is_refused(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    d = tmp_path / "d"
    d.mkdir()
    (d / "landscapes").symlink_to(victim, target_is_directory=True)
    with pytest.raises(ValueError, match="symlink; refusing to write through it"):
        LandscapeCollection(d).add({"seed": 0}, bowl(0.0))
    assert list(victim.iterdir()) == []


def test_index_errors_name_the_entry(saved: Path) -> None:
    def drop_topology(index: dict[str, Any]) -> None:
        del index["entries"][1]["topology"]

    edit_index(saved, drop_topology)
    with pytest.raises(ValueError, match=r"entry 1 \(id 'seed=1'\): expected key, topology"):
        LandscapeCollection.load(saved)


def test_duplicate_ids_are_refused(saved: Path) -> None:
    def duplicate(index: dict[str, Any]) -> None:
        index["entries"][1]["id"] = index["entries"][0]["id"]

    edit_index(saved, duplicate)
    with pytest.raises(ValueError, match=r"entry 1: the id 'seed=0' appears twice"):
        LandscapeCollection.load(saved)


def test_entry_ids_made_by_the_collection_are_plain_names(tmp_path: Path) -> None:
    hostile = ["../../x", "/abs", "..", ".hidden", "a\\b", "é/ü", "<img src=x>"]
    c = LandscapeCollection(tmp_path / "d")
    for i, name in enumerate(hostile):
        c.add({"name": name}, bowl(float(i)))
    back = LandscapeCollection.load(tmp_path / "d")
    assert len(back) == len(hostile)
    files = sorted(os.listdir(tmp_path / "d" / "landscapes"))
    assert len(files) == len(hostile) and all("/" not in f and not f.startswith(".")
                                              for f in files)
    for i, name in enumerate(hostile):
        assert np.min(back.landscape({"name": name}).values) == float(i)
