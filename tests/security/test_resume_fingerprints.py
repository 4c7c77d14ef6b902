"""Resume only what is the same computation (issue 14, item 3).

A checkpoint of ``sample_landscape``, ``jump_and_retrain`` or a sweep records one fingerprint of
everything that determines its results. Each test changes one field and checks that the re-run is
refused with a message naming it (and, for a finished checkpoint, that no old values come back);
an identical re-run resumes and computes only what is missing (counted); ``resume=False`` starts
over. Models are tiny: every run takes milliseconds.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from torch import nn

import landscape_widgets as lw
from landscape_widgets.compare import LandscapeCollection
from landscape_widgets.evaluation import sample_landscape
from landscape_widgets.io.fingerprint import data_fingerprint
from landscape_widgets.trajectories import jump_and_retrain


@pytest.fixture(autouse=True)
def single_thread() -> Iterator[None]:
    before = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny ops: threads only cost time on a shared machine
    yield
    torch.set_num_threads(before)


def tiny_model(seed: int = 0) -> nn.Module:
    """4 -> 5 -> BatchNorm -> 3: parameters and buffers (non-trivial running statistics)."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 5), nn.BatchNorm1d(5), nn.ReLU(), nn.Linear(5, 3))
    with torch.no_grad():
        model[1].running_mean.uniform_(-0.2, 0.2)
        model[1].running_var.uniform_(0.8, 1.2)
    return model.eval()


def tiny_data(seed: int = 1, n: int = 24) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, 4, generator=g), torch.randint(0, 3, (n,), generator=g)


class Counting:
    """Cross-entropy that counts its calls and raises KeyboardInterrupt at call ``stop_at``
    (instrumentation: a plain callable object is fingerprinted by its class and code)."""

    def __init__(self, stop_at: int | None = None) -> None:
        self.calls, self.stop_at = 0, stop_at

    def __call__(self, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        self.calls += 1
        if self.stop_at is not None and self.calls >= self.stop_at:
            raise KeyboardInterrupt
        return nn.functional.cross_entropy(out, y)


# ------------------------------------------------------------------------- sample_landscape
# one batch, a fixed chunk: 2 centre calls, then one loss call per chunk of 5 of the 25 points
GRID = dict(resolution=5, extent=0.5, chunk_size=5, progress=False, dtype=torch.float64)
N_CHUNKS = 5


def landscape_run(tmp_path: Path) -> tuple[dict[str, Any], Path]:
    """The arguments of a finished checkpointed run, and its file."""
    model, data = tiny_model(), tiny_data()
    args = dict(model=model, loss_fn=Counting(), data=data,
                subspace=lw.random_subspace(model, dims=2, seed=0), checkpoint=tmp_path / "l.npz",
                **GRID)
    sample_landscape(**args)
    return args, tmp_path / "l.npz"


def _bumped_parameter(args: dict[str, Any]) -> dict[str, Any]:
    model = tiny_model()
    with torch.no_grad():
        model[0].weight[0, 0] += 1e-3
    return {**args, "model": model}


def _bumped_buffer(args: dict[str, Any]) -> dict[str, Any]:
    model = tiny_model()
    model[1].running_mean[0] += 1e-3
    return {**args, "model": model}


def _other_data(args: dict[str, Any]) -> dict[str, Any]:
    x, y = tiny_data()
    x = x.clone()
    x[3, 2] += 0.5  # the same sizes, one value changed
    return {**args, "data": (x, y)}


def _label_smoothing(args: dict[str, Any]) -> dict[str, Any]:
    return {**args, "loss_fn": nn.CrossEntropyLoss(label_smoothing=0.1)}


SAMPLE_CHANGES = {
    "model parameters": _bumped_parameter,
    "model buffers": _bumped_buffer,
    "directions": lambda a: {**a, "subspace": lw.random_subspace(a["model"], dims=2, seed=1)},
    "data": _other_data,
    "loss function": lambda a: {**a, "loss_fn": nn.CrossEntropyLoss()},
    "resolution": lambda a: {**a, "resolution": (5, 7)},
    "extent": lambda a: {**a, "extent": 0.6},
    "dtype": lambda a: {**a, "dtype": torch.float32},
}


@pytest.mark.parametrize("field", list(SAMPLE_CHANGES))
def test_sample_landscape_refuses_a_finished_checkpoint_of_another_computation(
    tmp_path: Path, field: str
) -> None:
    args, path = landscape_run(tmp_path)
    before = path.read_bytes()
    with pytest.raises(ValueError, match=rf"different configuration \(different [^)]*{field}"):
        sample_landscape(**SAMPLE_CHANGES[field](args))
    assert path.read_bytes() == before  # the refused run left the file alone


def test_sample_landscape_names_the_loss_module_setting(tmp_path: Path) -> None:
    args, _ = landscape_run(tmp_path)
    args["loss_fn"] = nn.CrossEntropyLoss()
    sample_landscape(**{**args, "resume": False})
    with pytest.raises(ValueError, match=r"loss function \(loss\.settings: \{[^}]*"
                                         r"'label_smoothing': 0\.0[^}]*\} in the file, "
                                         r"\{[^}]*'label_smoothing': 0\.1"):
        sample_landscape(**_label_smoothing(args))


def test_sample_landscape_refuses_another_loss_function(tmp_path: Path) -> None:
    args, _ = landscape_run(tmp_path)
    args["loss_fn"] = nn.functional.cross_entropy
    sample_landscape(**{**args, "resume": False})
    smoothed = functools.partial(nn.functional.cross_entropy, label_smoothing=0.2)
    with pytest.raises(ValueError, match=r"loss function \(loss\.keywords: \{\} in the file, "
                                         r"\{'label_smoothing': 0\.2\} in this run"):
        sample_landscape(**{**args, "loss_fn": smoothed})

    def doubled(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return 2 * nn.functional.cross_entropy(out, y)

    with pytest.raises(ValueError, match=r"loss function \(loss\.name: "
                                         r"'torch\.nn\.functional\.cross_entropy' in the file"):
        sample_landscape(**{**args, "loss_fn": doubled})


def test_sample_landscape_identical_rerun_computes_only_what_is_missing(tmp_path: Path) -> None:
    model, data = tiny_model(), tiny_data()
    sub = lw.random_subspace(model, dims=2, seed=0)
    full = sample_landscape(model, Counting(), data, sub, **GRID)
    path = tmp_path / "l.npz"
    with pytest.raises(KeyboardInterrupt):  # chunks 1-2 finish, chunk 3 is interrupted
        sample_landscape(model, Counting(stop_at=2 + 3), data, sub, checkpoint=path, **GRID)
    again = Counting()
    resumed = sample_landscape(model, again, data, sub, checkpoint=path, **GRID)
    assert again.calls == 2 + (N_CHUNKS - 2)
    np.testing.assert_array_equal(resumed.values, full.values)
    finished = Counting()
    sample_landscape(model, finished, data, sub, checkpoint=path, **GRID)
    assert finished.calls == 2  # only the centre checks


def test_sample_landscape_resume_false_starts_over(tmp_path: Path) -> None:
    args, path = landscape_run(tmp_path)
    changed = {**args, "extent": 0.8, "loss_fn": Counting(), "resume": False}
    fresh = sample_landscape(**changed)
    assert changed["loss_fn"].calls == 2 + N_CHUNKS  # every point again
    reference = sample_landscape(**{**changed, "checkpoint": None, "loss_fn": Counting()})
    np.testing.assert_array_equal(fresh.values, reference.values)
    # the file now holds the new computation: it resumes, the old one is refused
    again = Counting()
    sample_landscape(**{**changed, "loss_fn": again, "resume": True})
    assert again.calls == 2
    with pytest.raises(ValueError, match=r"\(different extent\)"):
        sample_landscape(**args)


def test_resume_false_never_overwrites_a_foreign_file(tmp_path: Path) -> None:
    args, _ = landscape_run(tmp_path)
    foreign = tmp_path / "mine.npz"
    np.savez(foreign, weights=np.arange(3.0))
    before = foreign.read_bytes()
    with pytest.raises(ValueError, match="expected a grid checkpoint"):
        sample_landscape(**{**args, "checkpoint": foreign, "resume": False})
    assert foreign.read_bytes() == before


class _Pairs(torch.utils.data.Dataset):
    def __init__(self, x: torch.Tensor, y: torch.Tensor) -> None:
        self.x, self.y = x, y

    def __len__(self) -> int:
        return len(self.y)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.x[i], self.y[i]


def test_shuffled_loader_resumes_and_other_loader_data_is_refused(tmp_path: Path) -> None:
    model, (x, y) = tiny_model(), tiny_data()
    sub = lw.random_subspace(model, dims=2, seed=0)
    own = torch.Generator().manual_seed(7)
    loader = torch.utils.data.DataLoader(_Pairs(x, y), batch_size=8, shuffle=True,
                                         generator=own)
    path = tmp_path / "l.npz"
    sample_landscape(model, Counting(), loader, sub, checkpoint=path, **GRID)
    again = Counting()  # a shuffled loader shows the same fingerprint every time: it resumes
    sample_landscape(model, again, loader, sub, checkpoint=path, **GRID)
    assert again.calls == 2 * 3  # the centre checks only (3 batches each)
    state = own.get_state()  # fingerprinting pins the loader's generator, then restores it
    assert data_fingerprint(loader) == data_fingerprint(loader)
    assert torch.equal(own.get_state(), state)
    other = torch.utils.data.DataLoader(_Pairs(x + 0.05, y), batch_size=8, shuffle=True,
                                        generator=torch.Generator().manual_seed(7))
    with pytest.raises(ValueError, match=r"\(different data[,)].*data\.first_batch"):
        sample_landscape(model, Counting(), other, sub, checkpoint=path, **GRID)
    x2 = x.clone()  # one sample changed, maybe beyond the first batch: the centre loss shows it
    x2[0, 0] += 1.0
    one = torch.utils.data.DataLoader(_Pairs(x2, y), batch_size=8, shuffle=True)
    with pytest.raises(ValueError, match=r"\(different (data, )?loss at the centre\)"):
        sample_landscape(model, Counting(), one, sub, checkpoint=path, **GRID)
    bigger = torch.utils.data.DataLoader(_Pairs(x, y), batch_size=12, shuffle=True)
    with pytest.raises(ValueError, match=r"data\.batch_size: 8 in the file, 12 in this run"):
        sample_landscape(model, Counting(), bigger, sub, checkpoint=path, **GRID)


# ------------------------------------------------------------------------- jump_and_retrain
class CountingSGD(torch.optim.SGD):
    """SGD that counts its steps (class-wide) and raises KeyboardInterrupt at step ``stop_at``."""

    steps = 0
    stop_at = -1

    def step(self, closure: Any = None) -> Any:
        type(self).steps += 1
        if type(self).steps == type(self).stop_at:
            raise KeyboardInterrupt
        return super().step(closure)


def sgd(params: Any) -> torch.optim.Optimizer:
    return CountingSGD(params, lr=0.1, momentum=0.9)


# 24 samples in batches of 8: 3 steps per epoch; one trajectory of 3 epochs
JUMP = dict(seeds=(0,), step_sizes=(0.5,), epochs=3, batch_size=8, progress=False,
            save_interval=0)
STEPS_PER_EPOCH = 3


def jump_args(tmp_path: Path) -> dict[str, Any]:
    return dict(model=tiny_model(), loss_fn=nn.CrossEntropyLoss(), train_data=tiny_data(),
                make_optimizer=sgd, eval_data=tiny_data(seed=2, n=9),
                checkpoint=tmp_path / "j.npz", **JUMP)


def _jump_bumped_parameter(args: dict[str, Any]) -> dict[str, Any]:
    return _bumped_parameter(args)


def _jump_bumped_buffer(args: dict[str, Any]) -> dict[str, Any]:
    return _bumped_buffer(args)


def _jump_other_data(args: dict[str, Any]) -> dict[str, Any]:
    x, y = tiny_data()
    y = y.clone()
    y[5] = (y[5] + 1) % 3  # the same sizes, one label changed
    return {**args, "train_data": (x, y)}


JUMP_CHANGES = {
    "model parameters": _jump_bumped_parameter,
    "model buffers": _jump_bumped_buffer,
    "data": _jump_other_data,
    "evaluation data": lambda a: {**a, "eval_data": tiny_data(seed=3, n=9)},
    "loss function": lambda a: {**a, "loss_fn": nn.CrossEntropyLoss(label_smoothing=0.1)},
    "learning rate": lambda a: {**a, "make_optimizer": lambda p: CountingSGD(p, lr=0.05,
                                                                             momentum=0.9)},
    "optimizer class": lambda a: {**a, "make_optimizer": lambda p: torch.optim.Adam(p)},
    "optimizer": lambda a: {**a, "make_optimizer": lambda p: CountingSGD(p, lr=0.1,
                                                                         momentum=0.5)},
    "seeds": lambda a: {**a, "seeds": (1,)},
    "step sizes": lambda a: {**a, "step_sizes": (0.25,)},
    "epochs": lambda a: {**a, "epochs": 2},
    "shuffle seed": lambda a: {**a, "shuffle_seed": 5},
}


@pytest.fixture
def finished_jump(tmp_path: Path) -> dict[str, Any]:
    args = jump_args(tmp_path)
    jump_and_retrain(**args)
    return args


@pytest.mark.parametrize("field", list(JUMP_CHANGES))
def test_jump_and_retrain_refuses_a_finished_checkpoint_of_another_computation(
    finished_jump: dict[str, Any], field: str
) -> None:
    path = finished_jump["checkpoint"]
    before = path.read_bytes()
    CountingSGD.steps = 0
    with pytest.raises(ValueError, match=rf"different configuration \(different [^)]*{field}"):
        jump_and_retrain(**JUMP_CHANGES[field](finished_jump))
    assert CountingSGD.steps == 0 and path.read_bytes() == before


def test_jump_and_retrain_names_the_learning_rate(finished_jump: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"\(different learning rate\): learning rate "
                                         r"\(optimizer\.lr: 0\.1 in the file, 0\.05 in this run"):
        jump_and_retrain(**JUMP_CHANGES["learning rate"](finished_jump))


def interrupted_jump(tmp_path: Path) -> dict[str, Any]:
    """A run stopped in epoch 2 (after 1 finished epoch was saved with its optimizer state)."""
    args = jump_args(tmp_path)
    CountingSGD.steps, CountingSGD.stop_at = 0, STEPS_PER_EPOCH + 2
    with pytest.raises(KeyboardInterrupt):
        jump_and_retrain(**args)
    CountingSGD.steps, CountingSGD.stop_at = 0, -1
    return args


def test_partial_jump_resume_with_another_optimizer_class_is_a_clear_error(
    tmp_path: Path,
) -> None:
    args = interrupted_jump(tmp_path)
    with pytest.raises(ValueError, match=r"\(different optimizer class, .*optimizer\.class: "
                                         r"'[\w.]*CountingSGD' in the file, "
                                         r"'torch\.optim\.adam\.Adam' in this run"):
        jump_and_retrain(**{**args, "make_optimizer": lambda p: torch.optim.Adam(p, lr=0.1)})


def test_jump_identical_rerun_trains_only_what_is_missing(tmp_path: Path) -> None:
    full = jump_and_retrain(**{**jump_args(tmp_path), "checkpoint": None})
    args = interrupted_jump(tmp_path)
    resumed = jump_and_retrain(**args)
    assert CountingSGD.steps == (JUMP["epochs"] - 1) * STEPS_PER_EPOCH  # epochs 2 and 3
    np.testing.assert_array_equal(resumed.params, full.params)
    np.testing.assert_array_equal(resumed.train_loss, full.train_loss)
    CountingSGD.steps = 0
    jump_and_retrain(**args)
    assert CountingSGD.steps == 0


def test_jump_resume_false_starts_over(finished_jump: dict[str, Any]) -> None:
    slower = JUMP_CHANGES["learning rate"](finished_jump)
    CountingSGD.steps = 0
    fresh = jump_and_retrain(**slower, resume=False)
    assert CountingSGD.steps == JUMP["epochs"] * STEPS_PER_EPOCH
    reference = jump_and_retrain(**{**slower, "checkpoint": None})
    np.testing.assert_array_equal(fresh.params, reference.params)
    with pytest.raises(ValueError, match=r"\(different learning rate\)"):
        jump_and_retrain(**finished_jump)


# ------------------------------------------------------------------------- sweeps
def states() -> list[tuple[dict[str, Any], dict[str, torch.Tensor]]]:
    return [({"run": i}, tiny_model(seed=i).state_dict()) for i in range(2)]


class CountingModule(nn.Module):
    """Cross-entropy module counting its calls (the count is not a setting: not fingerprinted)."""

    def __init__(self, label_smoothing: float = 0.0) -> None:
        super().__init__()
        self.label_smoothing, self.calls = label_smoothing, 0

    def forward(self, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        self.calls += 1
        return nn.functional.cross_entropy(out, y, label_smoothing=self.label_smoothing)


def sweep(directory: Path, items: Any = None, **kw: Any) -> LandscapeCollection:
    args: dict[str, Any] = dict(make_model=lambda: tiny_model(), loss_fn=CountingModule(),
                                data=tiny_data(), directory=directory, resolution=5,
                                extent=0.5, chunk_size=5, progress=False)
    args.update(kw)
    return lw.sweep_checkpoints(states() if items is None else items, **args)


SWEEP_CHANGES = {
    "loss function": {"loss_fn": CountingModule(label_smoothing=0.1)},
    "data": {"data": _other_data({"data": None})["data"]},
    "resolution": {"resolution": 7},
    "extent": {"extent": 0.6},
    "seed": {"seed": 1},
    "dtype": {"dtype": torch.float64},
}


@pytest.mark.parametrize("field", list(SWEEP_CHANGES))
def test_sweep_refuses_another_computation(tmp_path: Path, field: str) -> None:
    sweep(tmp_path / "c")
    with pytest.raises(ValueError, match=rf"different configuration \(different [^)]*{field}"):
        sweep(tmp_path / "c", **SWEEP_CHANGES[field])


def test_sweep_refuses_a_finished_entry_of_another_checkpoint(tmp_path: Path) -> None:
    sweep(tmp_path / "c")
    changed = states()
    changed[1][1]["3.bias"] += 1e-3
    with pytest.raises(ValueError, match=r"entry run=1 .* \(different model parameters and "
                                         r"buffers\)"):
        sweep(tmp_path / "c", changed)


def test_sweep_identical_rerun_computes_only_what_is_missing(tmp_path: Path) -> None:
    d = tmp_path / "c"
    sweep(d, states()[:1])
    loss = CountingModule()
    both = sweep(d, loss_fn=loss)
    assert loss.calls == 2 + N_CHUNKS  # the second entry only
    again = CountingModule()
    index = (d / "collection.json").read_bytes()
    assert sweep(d, loss_fn=again).table().equals(both.table())
    assert again.calls == 0 and (d / "collection.json").read_bytes() == index


def test_sweep_resume_false_starts_over_and_an_interrupted_start_over_resumes(
    tmp_path: Path,
) -> None:
    d = tmp_path / "c"
    sweep(d)
    built: list[int] = []

    def make_model() -> nn.Module:
        built.append(1)
        if len(built) == 2:
            raise RuntimeError("node lost")
        return tiny_model()

    with pytest.raises(RuntimeError, match="node lost"):  # start over, stopped after entry 0
        sweep(d, extent=0.8, make_model=make_model, resume=False)
    built.clear()
    loss = CountingModule()
    resumed = sweep(d, extent=0.8, make_model=make_model, loss_fn=loss)
    # entry 1, still from the earlier sweep, is not taken as finished: it is recomputed
    assert len(built) == 1 and loss.calls == 2 + N_CHUNKS
    reference = sweep(None, extent=0.8)
    assert resumed.table().equals(reference.table())
    loss = CountingModule()
    sweep(d, extent=0.8, loss_fn=loss, resume=False)
    assert loss.calls == 2 * (2 + N_CHUNKS)  # every entry again


def test_sweep_resume_false_refuses_to_leave_entries_of_another_sweep(tmp_path: Path) -> None:
    d = tmp_path / "c"
    sweep(d)
    with pytest.raises(ValueError, match=r"resume=False: .* also holds entries of the earlier "
                                         r"sweep .*\(run=1\)"):
        sweep(d, states()[:1], extent=0.8, resume=False)
    assert LandscapeCollection.load(d).attrs["sweep"]["extent"] == [[-0.5, 0.5], [-0.5, 0.5]]


# ------------------------------------------------------------------------- device kind
@pytest.mark.gpu
def test_device_kind_is_part_of_the_fingerprint_and_a_cuda_rerun_resumes(tmp_path: Path) -> None:
    args, _ = landscape_run(tmp_path)  # on the CPU
    with pytest.raises(ValueError, match=r"\(different device kind[,)].*"
                                         r"device: 'cpu' in the file, 'cuda' in this run"):
        sample_landscape(**{**args, "device": "cuda"})
    on_cuda = {**args, "device": "cuda", "checkpoint": tmp_path / "cuda.npz"}
    first = sample_landscape(**{**on_cuda, "loss_fn": Counting()})
    again = Counting()  # tensors hashed from the device, the centre loss reproduced: it resumes
    resumed = sample_landscape(**{**on_cuda, "loss_fn": again})
    assert again.calls == 2
    np.testing.assert_array_equal(resumed.values, first.values)
    jump = {**jump_args(tmp_path), "device": "cpu"}
    jump_and_retrain(**jump)
    with pytest.raises(ValueError, match=r"device: 'cpu' in the file, 'cuda' in this run"):
        jump_and_retrain(**{**jump, "device": "cuda"})


def test_calls_with_their_own_loss_fill_one_collection_and_each_resumes(tmp_path: Path) -> None:
    """A loss that changes with the key (a PINN's beta): one call per value into one collection.
    Each call's entries carry their own loss and data fingerprint."""
    d = tmp_path / "c"
    items = states()
    for smoothing, (key, state) in zip((0.0, 0.2), items):
        sweep(d, [({**key, "smoothing": smoothing}, state)],
              loss_fn=CountingModule(label_smoothing=smoothing))
    for smoothing, (key, state) in zip((0.0, 0.2), items):
        loss = CountingModule(label_smoothing=smoothing)
        sweep(d, [({**key, "smoothing": smoothing}, state)], loss_fn=loss)
        assert loss.calls == 0  # finished with these very inputs
    with pytest.raises(ValueError, match=r"entry run=1, smoothing=0\.2 .*\(different loss "
                                         r"function\): .*'label_smoothing': 0\.2\} saved, "
                                         r"\{'label_smoothing': 0\.0\} in this run"):
        sweep(d, [({**items[1][0], "smoothing": 0.2}, items[1][1])], loss_fn=CountingModule())
    assert len(LandscapeCollection.load(d)) == 2


def test_resume_must_be_a_bool(tmp_path: Path) -> None:
    args, _ = landscape_run(tmp_path)
    with pytest.raises(TypeError, match=r"resume: expected True .* or False .*, got 'no'"):
        sample_landscape(**{**args, "resume": "no"})
    with pytest.raises(TypeError, match=r"resume: expected True .* got 0"):
        jump_and_retrain(**jump_args(tmp_path), resume=0)
    with pytest.raises(TypeError, match=r"resume: expected True .* got None"):
        sweep(tmp_path / "c", resume=None)


def test_a_checkpoint_of_an_earlier_version_is_refused_in_one_sentence(tmp_path: Path) -> None:
    args, path = landscape_run(tmp_path)
    with np.load(path, allow_pickle=False) as saved:  # the fields an earlier version recorded
        arrays = {k: saved[k] for k in saved.files}
    meta = json.loads(str(arrays.pop("meta")))
    meta["fingerprint"] = {"shape": [5, 5], "bounds": [[-0.5, 0.5]] * 2, "dtype": "torch.float64",
                           "weights_sha256": "0" * 64, "directions_sha256": "1" * 64}
    np.savez(path, meta=np.array(json.dumps(meta)), **arrays)
    with pytest.raises(ValueError, match=r"was made for a different configuration: it records "
                                         r"other fields than this version .*not recorded in the "
                                         r"file: resolution, extent, device kind, model class.*"
                                         r"unknown here: shape, bounds, weights sha256"):
        sample_landscape(**args)
    again = Counting()
    sample_landscape(**{**args, "loss_fn": again, "resume": False})
    assert again.calls == 2 + N_CHUNKS


SMOOTHING = 0.0  # a notebook-style global the loss function reads


def smoothed_loss(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return nn.functional.cross_entropy(out, y, label_smoothing=SMOOTHING)


def test_a_global_setting_the_loss_reads_is_part_of_its_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args, _ = landscape_run(tmp_path)
    args["loss_fn"] = smoothed_loss
    sample_landscape(**{**args, "resume": False})
    monkeypatch.setitem(globals(), "SMOOTHING", 0.3)
    with pytest.raises(ValueError, match=r"\(different loss function, loss at the centre\): "
                                         r"loss function \(loss\.globals: \{'SMOOTHING': 0\.0\} "
                                         r"in the file, \{'SMOOTHING': 0\.3\} in this run\)"):
        sample_landscape(**args)
