"""Comparing a run's fingerprint (:mod:`.fingerprint`) with a stored one: which fields differ,
what they mean in words, and the error that refuses a resume of another computation, naming
every difference.

Example:
    >>> differing_fields({"epochs": 3, "seed": 0}, {"epochs": 4, "seed": 0})
    ['epochs']
    >>> label("optimizer.param_groups.0.lr")
    'learning rate'
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

# Fields recomputed by every run (not inputs): equal up to float round-off.
APPROXIMATE = frozenset({"center_loss"})
_LABELS = {
    "model.class": "model class", "model.parameters": "model parameters",
    "model.buffers": "model buffers", "model.state": "model parameters and buffers",
    "directions": "directions", "resolution": "resolution",
    "extent": "extent", "dtype": "dtype", "device": "device kind", "seeds": "seeds",
    "step_sizes": "step sizes", "epochs": "epochs", "center_loss": "loss at the centre",
    "n_samples": "number of samples", "optimizer.class": "optimizer class",
    "optimizer.lr": "learning rate", "shuffle_seed": "shuffle seed", "seed": "seed",
    "projection": "projection", "batch_size": "batch size", "n_train": "number of training samples",
    "n_eval": "number of evaluation samples", "n_params": "number of parameters",
    "record_jump": "record_jump", "train_metrics": "train metrics", "hessian": "Hessian options",
}
_PREFIX_LABELS = {"data.": "data", "eval_data.": "evaluation data", "loss.": "loss function",
                  "optimizer.": "optimizer", "model.": "model", "train.": "train function",
                  "subspace.": "subspace function", "scalars.": "scalars function"}


def check_resume(resume: Any) -> bool:
    """``resume`` must be a bool: a truthy string such as ``"no"`` must not resume."""
    if type(resume).__name__ not in ("bool", "bool_"):
        raise TypeError(
            f"resume: expected True (continue the same computation) or False (start over), got "
            f"{resume!r}"
        )
    return bool(resume)


def label(key: str) -> str:
    """What a fingerprint field means, in words (``optimizer.lr`` -> ``learning rate``)."""
    if key in _LABELS:
        return _LABELS[key]
    if key.startswith("optimizer.") and key.rsplit(".", 1)[-1] == "lr":
        return "learning rate"
    for prefix, words in _PREFIX_LABELS.items():
        if key.startswith(prefix):
            return words
    return key.replace("_", " ")


def same_value(key: str, ours: Any, stored: Any) -> bool:
    """Fields agree exactly as JSON; recomputed floats (``APPROXIMATE``) up to round-off."""
    ours = json.loads(json.dumps(ours))
    if key in APPROXIMATE and isinstance(ours, (int, float)) and isinstance(stored, (int, float)):
        a, b = float(ours), float(stored)
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-6,
                                                                   abs_tol=1e-9)
    if isinstance(ours, float) and isinstance(stored, float):
        return ours == stored or (math.isnan(ours) and math.isnan(stored))
    return bool(ours == stored)


def _show(value: Any) -> str:
    text = repr(value)
    if isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value):
        text = f"sha256 {value[:12]}..."
    return text if len(text) <= 200 else text[:197] + "..."


def differing_fields(ours: Mapping[str, Any], stored: Mapping[str, Any]) -> list[str]:
    """The fields (keys) where the two fingerprints differ, a missing field included; in the
    order of ``ours`` (inputs before derived values such as the centre loss)."""
    return [key for key in [*ours, *(k for k in stored if k not in ours)]
            if key not in ours or key not in stored
            or not same_value(key, ours[key], stored[key])]


def fingerprint_differences(ours: Mapping[str, Any], stored: Mapping[str, Any],
                            stored_as: str = "in the file") -> list[str]:
    """One line per differing field (its meaning, then the stored and the current value); fields
    recorded on one side only are grouped by meaning."""
    lines, absent, unknown = [], {}, {}
    for key in differing_fields(ours, stored):
        if key not in stored:
            absent.setdefault(label(key), []).append(key)
        elif key not in ours:
            unknown.setdefault(label(key), []).append(key)
        else:
            lines.append(f"{label(key)} ({key}: {_show(stored[key])} {stored_as}, "
                         f"{_show(ours[key])} in this run)")
    if len(absent) + len(unknown) > 3 and not lines:  # most likely another version's file
        return [f"it records other fields than this version of landscape_widgets (not recorded "
                f"{stored_as}: {', '.join(absent) or 'none'}; unknown here: "
                f"{', '.join(unknown) or 'none'}), so it cannot be shown to be the same "
                "computation"]
    lines += [f"{name} ({', '.join(keys)}: not recorded {stored_as}, given in this run)"
              for name, keys in absent.items()]
    lines += [f"{name} ({', '.join(keys)}: recorded {stored_as}, not given in this run)"
              for name, keys in unknown.items()]
    return lines


def refuse_different(what: str, ours: Mapping[str, Any], stored: Mapping[str, Any],
                     extra: str | None = None, advice: str | None = None,
                     stored_as: str = "in the file") -> None:
    """Raise a ValueError naming every field where ``stored`` differs from ``ours``:
    ``<what> was made for a different configuration (different learning rate): ...``."""
    if not isinstance(stored, Mapping):  # a damaged header: nothing is known to match
        stored = {}
    keys = differing_fields(ours, stored)
    if not keys and not extra:
        return
    details = fingerprint_differences(ours, stored, stored_as)
    if details and details[0].startswith("it records other fields"):
        labels = []  # another version's file: the summary says it all
    else:
        labels = list(dict.fromkeys(label(k) for k in keys))
    details += [extra] if extra else []
    raise ValueError(
        f"{what} was made for a different configuration"
        + (f" (different {', '.join(labels)})" if labels else "") + ": "
        + "; ".join(details) + ". "
        + (advice or "Pass the same arguments to resume it, or resume=False to start over "
                     "(the file is overwritten).")
    )
