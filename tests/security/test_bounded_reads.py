"""Bounded reads (issue 14, items 5 and 8): a landscape, checkpoint or collection file is
checked before anything large is allocated (a 2 MB decompression bomb must not allocate 2 GB);
unknown format versions are refused with the versions supported; empty, truncated and garbled
files give a library error naming the file."""

from __future__ import annotations

import json
import struct
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.compare import LandscapeCollection

BOMB_BYTES = 2**31  # 2 GiB of float64 zeros
MIB = 2**20


def npy_header(shape: tuple[int, ...], descr: str = "<f8") -> bytes:
    import io

    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buf, {"descr": descr, "fortran_order": False, "shape": shape}
    )
    return buf.getvalue()


def zip_members(path: Path, members: list[tuple[str, int, int, int, Callable[[], Iterator[bytes]]]]
                ) -> None:
    """A zip archive written by hand: (name, method, crc, uncompressed size, chunks of the
    stored bytes). zipfile cannot write a member from already-compressed data."""
    central = b""
    with open(path, "wb") as fh:
        for name, method, crc, size, chunks in members:
            offset = fh.tell()
            header_at = fh.tell()
            fh.write(b"\0" * (30 + len(name)))  # the local header, filled in below
            compressed = 0
            for chunk in chunks():
                fh.write(chunk)
                compressed += len(chunk)
            end = fh.tell()
            fh.seek(header_at)
            fh.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc,
                                 compressed, size, len(name), 0) + name.encode())
            fh.seek(end)
            central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21,
                                   crc, compressed, size, len(name), 0, 0, 0, 0, 0,
                                   offset) + name.encode()
        start = fh.tell()
        fh.write(central)
        fh.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                             len(central), start, 0))


def stored(name: str, array: np.ndarray) -> tuple[str, int, int, int, Any]:
    import io

    buf = io.BytesIO()
    np.lib.format.write_array(buf, array, allow_pickle=False)
    data = buf.getvalue()
    return (name, zipfile.ZIP_STORED, zlib.crc32(data), len(data), lambda: iter([data]))


def bomb_member(name: str) -> tuple[str, int, int, int, Any]:
    """``name``: 2 GiB of zeros, deflated to about 2 MB. With a full flush after every MiB, each
    MiB of zeros compresses to the same bytes, so the stream is built without compressing 2 GiB.
    """
    header = npy_header((BOMB_BYTES // 8,))
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bytes(MIB)
    first = comp.compress(header + zeros) + comp.flush(zlib.Z_FULL_FLUSH)
    repeat = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
    last = comp.flush()
    crc = zlib.crc32(header)
    block = bytes(16 * MIB)
    for _ in range(BOMB_BYTES // len(block)):
        crc = zlib.crc32(block, crc)

    def chunks() -> Iterator[bytes]:
        yield first
        yield repeat * (BOMB_BYTES // MIB - 1)
        yield last

    return (name, zipfile.ZIP_DEFLATED, crc, len(header) + BOMB_BYTES, chunks)


@pytest.fixture(scope="module")
def bomb_values() -> tuple[str, int, int, int, Any]:
    return bomb_member("values.npy")


def meta_member(meta: dict[str, Any]) -> tuple[str, int, int, int, Any]:
    return stored("meta.npy", np.array(json.dumps(meta)))


LANDSCAPE_META = {"format": "landscape_widgets.Landscape", "version": 1,
                  "provenance": lw.Provenance().to_json()}


def peak_while(action: Callable[[], Any]) -> int:
    tracemalloc.start()
    try:
        action()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def refused_cheaply(action: Callable[[], Any], match: str) -> None:
    def run() -> None:
        with pytest.raises(ValueError, match=match):
            action()

    assert peak_while(run) < 32 * MIB


def test_decompression_bomb_landscape_is_refused_before_allocation(
    tmp_path: Path, bomb_values: Any
) -> None:
    path = tmp_path / "bomb.npz"
    zip_members(path, [meta_member(LANDSCAPE_META), bomb_values,
                       stored("axis_0.npy", np.arange(2.0))])
    assert path.stat().st_size < 3 * MIB  # an honest archive (its CRCs are right): a real bomb
    refused_cheaply(lambda: lw.Landscape.load(path),
                    r"bomb\.npz': its arrays would take 21474\d+ bytes in memory, more than "
                    r"the \d+ accepted for a file of \d+ bytes \(a decompression bomb\?\)")


def test_decompression_bomb_checkpoint_is_refused(tmp_path: Path, bomb_values: Any) -> None:
    from landscape_widgets.evaluation.checkpoint import FORMAT, VERSION, GridCheckpoint

    path = tmp_path / "run.npz"
    meta = {"format": FORMAT, "version": VERSION, "fingerprint": {}}
    zip_members(path, [meta_member(meta), bomb_values, stored("done.npy", np.zeros(4, bool))])
    refused_cheaply(lambda: GridCheckpoint.open(path, {}, size=BOMB_BYTES // 8),
                    "decompression bomb")


def test_decompression_bomb_in_a_collection_is_refused(tmp_path: Path, bomb_values: Any) -> None:
    d = tmp_path / "coll"
    c = LandscapeCollection(d)
    c.add({"seed": 0}, lw.Landscape.from_function(lambda p: (p**2).sum(1), resolution=5))
    zip_members(d / "landscapes" / "seed=0.npz", [meta_member(LANDSCAPE_META), bomb_values])
    refused_cheaply(lambda: LandscapeCollection.load(d).landscape("seed=0"), "decompression bomb")


def test_forged_shape_is_refused_before_allocation(tmp_path: Path) -> None:
    path = tmp_path / "forged.npz"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("meta.npy", _npy(np.array(json.dumps(LANDSCAPE_META))))
        zf.writestr("values.npy", npy_header((BOMB_BYTES // 8,)) + bytes(80))
        zf.writestr("axis_0.npy", _npy(np.arange(10.0)))
    refused_cheaply(lambda: lw.Landscape.load(path),
                    r"forged\.npz': array 'values' declares shape \(268435456,\) of float64 "
                    r"\(2147483648 bytes\) but its member holds 80 bytes")


def _npy(array: np.ndarray) -> bytes:
    import io

    buf = io.BytesIO()
    np.lib.format.write_array(buf, array, allow_pickle=False)
    return buf.getvalue()


def saved_landscape(tmp_path: Path) -> Path:
    return lw.Landscape.from_function(lambda p: (p**2).sum(1), resolution=9).save(
        tmp_path / "land.npz"
    )


def test_max_bytes_bounds_a_landscape_and_can_be_raised(tmp_path: Path) -> None:
    path = saved_landscape(tmp_path)
    with pytest.raises(ValueError, match=r"more than the 100 accepted .*pass max_bytes="):
        lw.Landscape.load(path, max_bytes=100)
    assert lw.Landscape.load(path, max_bytes=10**6).shape == (9, 9)


def test_files_of_the_previous_writer_still_load(tmp_path: Path) -> None:
    land = lw.Landscape.from_function(lambda p: (p**2).sum(1), resolution=7)
    path = tmp_path / "old.npz"  # what Landscape.save wrote before atomic writes
    np.savez_compressed(path, values=land.values, meta=np.array(json.dumps(LANDSCAPE_META)),
                        axis_0=land.axes[0], axis_1=land.axes[1])
    np.testing.assert_array_equal(lw.Landscape.load(path).values, land.values)


def test_object_arrays_are_never_unpickled(tmp_path: Path) -> None:
    path = tmp_path / "pickled.npz"
    np.savez(path, meta=np.array(json.dumps(LANDSCAPE_META)),
             values=np.array([{"evil": 1}, None], dtype=object))
    with pytest.raises(ValueError, match=r"pickled\.npz': array 'values' has dtype object; "
                                         r"expected numbers"):
        lw.Landscape.load(path)


# ---------------------------------------------------------------------------- damaged files
def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


DAMAGE = {
    "empty": (lambda p: p.write_bytes(b""), "got an empty file"),
    "truncated": (_truncate, "not a complete zip archive"),
    "text": (lambda p: p.write_text("hello"), "not a complete zip archive"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_landscape_files_name_the_file(tmp_path: Path, damage: str) -> None:
    path = saved_landscape(tmp_path)
    spoil, match = DAMAGE[damage]
    spoil(path)
    with pytest.raises(ValueError, match=rf"land\.npz': expected a saved Landscape.*{match}"):
        lw.Landscape.load(path)


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_checkpoints_name_the_file(tmp_path: Path, damage: str) -> None:
    from landscape_widgets.evaluation.checkpoint import GridCheckpoint
    from landscape_widgets.trajectories._checkpoint import TrajectoryCheckpoint

    spoil, match = DAMAGE[damage]
    grid = tmp_path / "grid.npz"
    ck = GridCheckpoint.open(grid, {}, size=3)
    ck.record(np.array([0]), np.array([1.0]))
    ck.save()
    spoil(grid)
    with pytest.raises(ValueError, match=rf"grid\.npz'.*{match}"):
        GridCheckpoint.open(grid, {}, size=3)
    traj = tmp_path / "traj.npz"
    tc = TrajectoryCheckpoint.open(traj, {}, 2, 3)
    tc.record(0, np.zeros(3), dict.fromkeys(("train_loss", "train_accuracy", "eval_loss",
                                             "eval_accuracy"), 0.0))
    tc.save()
    spoil(traj)
    with pytest.raises(ValueError, match=rf"traj\.npz'.*{match}"):
        TrajectoryCheckpoint.open(traj, {}, 2, 3)


@pytest.mark.parametrize(
    ("meta", "match"),
    [
        (np.array("{not json"), r"JSON is invalid"),
        (np.array("[1, 2]"), r"JSON object as header, got a JSON list"),
        (np.array("null"), r"JSON object as header, got a JSON NoneType"),
        (np.zeros(3), r"found no 'meta' header"),
        (None, r"found no 'meta' header"),
    ],
)
def test_bad_json_headers_name_the_file(tmp_path: Path, meta: Any, match: str) -> None:
    path = tmp_path / "bad.npz"
    arrays = {"values": np.zeros((3, 3))}
    if meta is not None:
        arrays["meta"] = meta
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=rf"bad\.npz'.*{match}"):
        lw.Landscape.load(path)


def test_bad_landscape_contents_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.npz"
    np.savez(path, meta=np.array(json.dumps(LANDSCAPE_META)), values=np.zeros((3, 3)),
             axis_0=np.arange(3.0))  # axis_1 missing
    with pytest.raises(ValueError, match=r"bad\.npz': expected a saved Landscape, could not "
                                         r"rebuild it \(KeyError: 'axis_1'\)"):
        lw.Landscape.load(path)
    bad_prov = dict(LANDSCAPE_META, provenance=["not", "a", "mapping"])
    np.savez(path, meta=np.array(json.dumps(bad_prov)), values=np.zeros(3), axis_0=np.arange(3.0))
    with pytest.raises(ValueError, match=r"bad\.npz': expected a saved Landscape"):
        lw.Landscape.load(path)


# ---------------------------------------------------------------------------- versions
@pytest.mark.parametrize("version", [2, 0, "1", None, True, 1.5])
def test_unknown_landscape_versions_are_refused(tmp_path: Path, version: Any) -> None:
    path = tmp_path / "future.npz"
    np.savez(path, meta=np.array(json.dumps(dict(LANDSCAPE_META, version=version))),
             values=np.zeros(3), axis_0=np.arange(3.0))
    with pytest.raises(ValueError, match=rf"future\.npz': a saved Landscape of format version "
                                         rf"{version!r}; .* reads versions \[1\]"):
        lw.Landscape.load(path)


@pytest.mark.parametrize("version", [2, 0, "1", None])
def test_unknown_collection_versions_are_refused(tmp_path: Path, version: Any) -> None:
    d = tmp_path / "coll"
    LandscapeCollection(d).add(
        {"seed": 0}, lw.Landscape.from_function(lambda p: (p**2).sum(1), resolution=5)
    )
    index = json.loads((d / "collection.json").read_text())
    index["version"] = version
    (d / "collection.json").write_text(json.dumps(index))
    with pytest.raises(ValueError, match=rf"collection\.json': a LandscapeCollection of format "
                                         rf"version {version!r}; .* reads versions \[1\]"):
        LandscapeCollection.load(d)


def test_unknown_checkpoint_versions_are_refused(tmp_path: Path) -> None:
    from landscape_widgets.evaluation.checkpoint import FORMAT, VERSION, GridCheckpoint

    path = tmp_path / "run.npz"
    np.savez(path, meta=np.array(json.dumps({"format": FORMAT, "version": 99})),
             values=np.zeros(3), done=np.zeros(3, bool))
    with pytest.raises(ValueError, match=rf"run\.npz': a checkpoint .* of format version 99; "
                                         rf".* reads versions \[{VERSION}\]"):
        GridCheckpoint.open(path, {}, size=3)


# ---------------------------------------------------------------------------- the index
@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", r"got an empty file"),
        ("{", r"the JSON is invalid"),
        ("[]", r"got a JSON list"),
        ('{"format": "landscape_widgets.LandscapeCollection", "version": 1, "entries": {}}',
         r"entries: expected an array, got an object"),
        ('{"format": "landscape_widgets.LandscapeCollection", "version": 1, "entries": [3]}',
         r"entries\[0\]: expected a JSON object, got a number"),
        ("[" * 100_000 + "]" * 100_000, r"the JSON is invalid"),
    ],
)
def test_bad_collection_indexes_name_the_file(tmp_path: Path, text: str, match: str) -> None:
    d = tmp_path / "coll"
    d.mkdir()
    (d / "collection.json").write_text(text)
    with pytest.raises(ValueError, match=rf"collection\.json'.*{match}"):
        LandscapeCollection.load(d)


def test_oversized_index_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    from landscape_widgets.io import bounded

    d = tmp_path / "coll"
    LandscapeCollection(d).add(
        {"seed": 0}, lw.Landscape.from_function(lambda p: (p**2).sum(1), resolution=5)
    )
    monkeypatch.setattr(bounded, "MAX_JSON_BYTES", 100)
    with pytest.raises(ValueError, match=r"collection\.json': expected .* of at most 100 bytes"):
        LandscapeCollection.load(d)


def test_trajectories_files_are_read_bounded(tmp_path: Path, bomb_values: Any) -> None:
    from landscape_widgets.trajectories import Trajectories
    from landscape_widgets.trajectories._result import FORMAT

    path = tmp_path / "traj.npz"
    header = {"format": FORMAT, "version": 1}
    zip_members(path, [stored("header.npy", np.array(json.dumps(header))),
                       (("params.npy",) + bomb_values[1:])])
    refused_cheaply(lambda: Trajectories.load(path), r"traj\.npz'.*decompression bomb")
    for damage in ("truncated", "text", "empty"):
        spoil, match = DAMAGE[damage]
        spoil(path)
        with pytest.raises(ValueError, match=rf"traj\.npz': expected a Trajectories file.*{match}"):
            Trajectories.load(path)
