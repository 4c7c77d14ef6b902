"""Real models built from code (no download) through loss closures: a 2-layer Hugging Face GPT-2
and BERT from configs (dict batches, the loss from ``labels``) and a PyTorch Geometric GNN on
generated graphs (``Batch`` objects weighted by ``num_graphs``). Each landscape equals a plain
``torch.func.functional_call`` loop over the grid points (float64); the Hessian eigenvalues of a
tiny GPT-2 equal its dense Hessian's; the model is bit-identical after every call. Skipped only
when the ``hf`` / ``graphs`` extra is absent."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pytest
import torch

import landscape_widgets as lw

from .conftest import assert_same_state, state_of
from .test_closure import _grid_points, functional_loop

RTOL = 1e-10  # float64 throughout: vmap and the loop only reorder sums
# ...except GPT-2's causal-LM loss: transformers casts the logits to float32 (``logits.float()``)
# before the cross-entropy, so vmap's and the loop's float64 logits (equal to ~1e-15) can round
# to float32 values one unit in the last place apart
GPT2_RTOL = 1e-6


def _silence_transformers() -> None:
    logging.getLogger("transformers").setLevel(logging.ERROR)


def gpt2(vocab: int = 11, width: int = 8, positions: int = 8, attention: str = "eager") -> Any:
    transformers = pytest.importorskip("transformers")
    _silence_transformers()
    torch.manual_seed(0)
    cfg = transformers.GPT2Config(
        vocab_size=vocab, n_positions=positions, n_embd=width, n_layer=2, n_head=2,
        resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0, bos_token_id=0, eos_token_id=0,
        # the SDPA kernels have no second derivative: Hessians need the eager attention
        attn_implementation=attention,
    )
    return transformers.GPT2LMHeadModel(cfg).double().eval()


def token_batches(vocab: int, length: int, sizes: tuple[int, ...]) -> list[dict[str, Any]]:
    gen = torch.Generator().manual_seed(1)
    out = []
    for n in sizes:
        ids = torch.randint(0, vocab, (n, length), generator=gen)
        out.append({"input_ids": ids, "attention_mask": torch.ones_like(ids), "labels": ids})
    return out


def tiny_bert() -> Any:
    """A 2-layer BERT classifier (vocabulary 13, 3 labels) in float64, without dropout."""
    transformers = pytest.importorskip("transformers")
    _silence_transformers()
    torch.manual_seed(0)
    cfg = transformers.BertConfig(
        vocab_size=13, hidden_size=8, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=16, max_position_embeddings=8, hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0, num_labels=3,
    )
    return transformers.BertForSequenceClassification(cfg).double().eval()


def hf_loss() -> Any:
    return lw.model_loss(lambda model, batch: model(**batch).loss)


def _check_against_loop(model: Any, loss: Any, batches: list[Any], weights: list[int],
                        rtol: float = RTOL, reference_batches: list[Any] | None = None) -> Any:
    sub = lw.random_subspace(model, dims=2, seed=0)
    before = state_of(model)
    land = lw.sample_landscape(model, loss, batches, sub, resolution=4, progress=False)
    assert_same_state(model, before)
    ref = functional_loop(model, loss, reference_batches or batches, sub, _grid_points(land),
                          weights)
    np.testing.assert_allclose(land.values.ravel(), ref, rtol=rtol)
    assert land.provenance.extra["dtype"] == "float64"
    return land


def test_gpt2_landscape_equals_a_functional_call_loop() -> None:
    model = gpt2()
    batches = token_batches(11, 8, (5, 3))
    _check_against_loop(model, hf_loss(), batches, [5, 3], rtol=GPT2_RTOL)


def test_bert_landscape_equals_a_functional_call_loop() -> None:
    transformers = pytest.importorskip("transformers")
    model = tiny_bert()
    gen = torch.Generator().manual_seed(2)
    batches = []
    for n in (6, 4):
        ids = torch.randint(0, 13, (n, 7), generator=gen)
        enc = transformers.BatchEncoding({"input_ids": ids, "attention_mask": torch.ones_like(ids),
                                          "labels": torch.randint(0, 3, (n,), generator=gen)})
        batches.append(enc)
    _check_against_loop(model, hf_loss(), batches, [6, 4])


def test_tiny_gpt2_hessian_eigenvalues_equal_the_dense_hessian() -> None:
    model = gpt2(vocab=5, width=4, positions=4)
    batch = token_batches(5, 4, (6,))[0]
    loss = hf_loss()
    names = [n for n, p in model.named_parameters() if p.requires_grad]
    params = dict(model.named_parameters())
    assert 300 <= sum(params[n].numel() for n in names) <= 800  # a few hundred parameters
    shapes = [params[n].shape for n in names]
    sizes = [params[n].numel() for n in names]
    theta = torch.cat([params[n].detach().reshape(-1) for n in names])

    def f(flat: torch.Tensor) -> torch.Tensor:  # the reference: plain autograd, no torch.func
        d = {n: q.view(s) for n, q, s in zip(names, flat.split(sizes), shapes, strict=True)}
        return torch.func.functional_call(model, d, (), batch).loss

    dense = torch.autograd.functional.hessian(f, theta)
    expected = np.linalg.eigvalsh(dense.numpy())
    before = state_of(model)
    op = lw.hvp_operator(model, loss, batch)
    assert op.size == theta.numel()
    top = lw.lanczos_eigenpairs(op, k=3, tol=1e-8, seed=0).eigenvalues
    np.testing.assert_allclose(np.sort(np.asarray(top))[::-1], expected[::-1][:3], rtol=1e-6)
    sub = lw.hessian_subspace(model, loss, batch, dims=2, seed=0)
    np.testing.assert_allclose(sub.eigenvalues, expected[::-1][:2], rtol=1e-6)
    assert_same_state(model, before)


# ---------------------------------------------------------------------------- graphs
def _gnn() -> Any:
    pyg_nn = pytest.importorskip("torch_geometric.nn")

    class GNN(torch.nn.Module):
        """Two graph convolutions, mean pooling per graph, a linear regression head."""

        def __init__(self) -> None:
            super().__init__()
            self.conv1 = pyg_nn.GCNConv(3, 8)
            self.conv2 = pyg_nn.GCNConv(8, 8)
            self.head = torch.nn.Linear(8, 1)

        def forward(self, batch: Any) -> torch.Tensor:
            h = torch.tanh(self.conv1(batch.x, batch.edge_index))
            h = torch.tanh(self.conv2(h, batch.edge_index))
            pooled = pyg_nn.global_mean_pool(h, batch.batch, size=batch.num_graphs)
            return self.head(pooled).squeeze(-1)

    torch.manual_seed(0)
    return GNN().double().eval()


def graph_batches(counts: tuple[int, ...], dtype: torch.dtype = torch.float64) -> list[Any]:
    """Ring graphs with 4-8 nodes and random features; the target is the mean feature sum."""
    data = pytest.importorskip("torch_geometric.data")
    gen = torch.Generator().manual_seed(3)
    out = []
    for count in counts:
        graphs = []
        for _ in range(count):
            n = int(torch.randint(4, 9, (1,), generator=gen))
            x = torch.randn(n, 3, generator=gen).double()  # float32 values either way
            src = torch.arange(n)
            dst = (src + 1) % n
            edges = torch.stack([torch.cat([src, dst]), torch.cat([dst, src])])
            y = (x.sum() / n).float().double().reshape(1)  # exact in float32 too
            graphs.append(data.Data(x=x.to(dtype), edge_index=edges, y=y.to(dtype)))
        out.append(data.Batch.from_data_list(graphs))
    return out


def gnn_loss(weight_by_graphs: bool = True) -> Any:
    fn = lambda model, batch: torch.nn.functional.mse_loss(model(batch), batch.y)  # noqa: E731
    return lw.model_loss(fn, batch_size=(lambda b: b.num_graphs) if weight_by_graphs else None)


def test_gnn_landscape_equals_a_functional_call_loop_weighted_by_graphs() -> None:
    model = _gnn()
    # float32 features, a float64 model: sample_landscape casts (a copy of) each Batch
    batches = graph_batches((7, 3), torch.float32)
    x_before = [b.x.clone() for b in batches]
    wide = graph_batches((7, 3), torch.float64)
    land = _check_against_loop(model, gnn_loss(), batches, [7, 3], reference_batches=wide)
    for b, x in zip(batches, x_before, strict=True):  # the user's batches are untouched
        assert b.x.dtype == torch.float32 and torch.equal(b.x, x)
    # the default weight (the first tensor's leading dimension: nodes) is another mean
    by_nodes = lw.sample_landscape(model, gnn_loss(False), batches, lw.random_subspace(
        model, dims=2, seed=0), resolution=4, progress=False)
    assert not np.allclose(by_nodes.values, land.values, rtol=1e-6)


def test_gnn_hessian_and_retraining_through_the_closure() -> None:
    model = _gnn()
    batches = graph_batches((5, 5))
    loss = gnn_loss()
    before = state_of(model)
    op = lw.hvp_operator(model, loss, batches)
    dense = op.dense()
    torch.testing.assert_close(dense, dense.T, rtol=1e-8, atol=1e-10)  # a real Hessian
    traj = lw.jump_and_retrain(model, loss, batches, lambda p: torch.optim.Adam(p, lr=1e-2),
                               seeds=(0,), step_sizes=(0.5,), epochs=3, progress=False)
    train = traj.metric("train_loss")
    assert np.isfinite(train).all() and train[-1] < train[0]  # retraining lowers the loss
    assert_same_state(model, before)


def test_fused_attention_without_second_derivative_is_explained() -> None:
    transformers = pytest.importorskip("transformers")
    _silence_transformers()
    cfg = transformers.GPT2Config(vocab_size=5, n_positions=4, n_embd=4, n_layer=1, n_head=1,
                                  bos_token_id=0, eos_token_id=0, attn_implementation="sdpa")
    model = transformers.GPT2LMHeadModel(cfg).double().eval()
    op = lw.hvp_operator(model, hf_loss(), token_batches(5, 4, (3,))[0])
    with pytest.raises(RuntimeError, match="attn_implementation='eager'"):
        op.matvec(torch.ones(op.size, dtype=torch.float64))
