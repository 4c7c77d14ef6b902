"""Grid evaluation: the loss of a model on a regular n-D grid in a subspace of its parameters,
batched with ``torch.func.vmap`` over chunks of grid points."""

from .sample import sample_landscape

__all__ = ["sample_landscape"]
