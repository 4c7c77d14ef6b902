"""Shared plumbing for stages that touch a PyTorch model: its parameters as named dicts, the
user's data as batches, and a guard that leaves the model exactly as it was found."""

from .data import Batches, as_batches, mean_loss
from .params import named_trainable, parameter_count, split_bias_and_norm
from .state import preserved_model

__all__ = [
    "Batches",
    "as_batches",
    "mean_loss",
    "named_trainable",
    "parameter_count",
    "split_bias_and_norm",
    "preserved_model",
]
