"""What a sweep records so that a re-run resumes only the same computation.

In ``collection.attrs``:

- ``"sweep"``: the configuration shared by every entry (subspace, resolution, extent, seed,
  dtype, Hessian options, device kind). Another one is refused on resume: the collection's
  metrics must stay comparable.
- ``"sweep_inputs"``: ``{digest: fingerprint}`` of the inputs of each call (loss, data and the
  ``train``/``scalars`` functions; :mod:`landscape_widgets.io.fingerprint`). These may differ
  between calls that fill one collection with different keys (a PINN's loss changes with β).
- ``"sweep_entries"``: ``{entry id: {"inputs": digest, "state": hash of the checkpoint state or
  None}}`` for every entry finished by a sweep. An entry is skipped on resume only when it is
  listed here with this call's inputs and state; a different one is refused, naming what differs.
  Entries added another way, or left from before ``resume=False``, are recomputed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..io.fingerprint import callable_fingerprint, data_fingerprint, differing_fields
from ..io.fingerprint import refuse_different as _refuse

if TYPE_CHECKING:  # pragma: no cover
    from .collection import LandscapeCollection

_ADVICE = ("Pass the same arguments to resume the sweep, resume=False to start over (its "
           "entries are recomputed), or use a new directory.")


def sweep_inputs(loss_fn: Any, batches: Any, train: Any = None,
                 scalars: Any = None) -> dict[str, Any]:
    """The fingerprint of what a call brings besides the shared configuration."""
    return {
        **callable_fingerprint(loss_fn, "loss"),
        **data_fingerprint(batches.source, "data"),
        **(callable_fingerprint(train, "train") if train is not None else {}),
        **(callable_fingerprint(scalars, "scalars") if scalars is not None else {}),
    }


def _where(coll: LandscapeCollection) -> str:
    return "this collection" + ("" if coll.directory is None else f" in {coll.directory}")


class SweepRecord:
    """The finished entries of a collection's sweep and the inputs they were made with."""

    def __init__(self, coll: LandscapeCollection, config: dict[str, Any],
                 inputs: dict[str, Any], resume: bool, job_ids: list[str]) -> None:
        self.coll = coll
        self.inputs = inputs
        self.digest = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()
        attrs = coll.attrs
        stored = attrs.get("sweep")
        self.finished: dict[str, Any] = dict(attrs.get("sweep_entries") or {})
        self.known: dict[str, Any] = dict(attrs.get("sweep_inputs") or {})
        if stored is not None and resume:
            _refuse(_where(coll), config, stored, stored_as="saved", advice=_ADVICE)
        elif stored is not None and differing_fields(config, stored):
            # resume=False with another configuration: no entry of the old one may stay
            others = [e.label for e in coll.entries if e.id not in set(job_ids)]
            if others:
                raise ValueError(
                    f"resume=False: {_where(coll)} also holds entries of the earlier sweep that "
                    f"this one does not recompute ({'; '.join(others[:5])}"
                    f"{', ...' if len(others) > 5 else ''}); start over in a new directory"
                )
            self.finished = {}
        if not resume:  # this call's entries are recomputed whatever is recorded for them
            self.finished = {k: v for k, v in self.finished.items() if k not in set(job_ids)}
        self.known[self.digest] = inputs
        wanted = {"sweep": config, **self._attrs()}
        if any(json.dumps(attrs.get(k), sort_keys=True) != json.dumps(v, sort_keys=True)
               for k, v in wanted.items()):  # a finished sweep run again writes nothing
            coll.update_attrs(**wanted)

    def _attrs(self) -> dict[str, Any]:
        used = {e.get("inputs") for e in self.finished.values() if isinstance(e, Mapping)}
        return {"sweep_entries": self.finished,
                "sweep_inputs": {k: v for k, v in self.known.items()
                                 if k in used or k == self.digest}}

    def is_finished(self, key: Mapping[str, Any], label: str,
                    state_digest: Callable[[], str] | None) -> bool:
        """Whether the entry of ``key`` is done with this call's inputs and state; refused
        (naming what differs) when it was made from others."""
        entry = self.coll.get(key)
        if entry is None or not isinstance(self.finished.get(entry.id), Mapping):
            return False
        record = self.finished[entry.id]
        what = f"entry {label} of {_where(self.coll)}"
        if record.get("inputs") != self.digest:
            stored = self.known.get(record.get("inputs"))
            _refuse(what, self.inputs, stored if isinstance(stored, Mapping) else {},
                    stored_as="saved", advice=_ADVICE)
        if state_digest is not None and record.get("state") is not None:
            _refuse(what, {"model.state": state_digest()}, {"model.state": record["state"]},
                    stored_as="saved", advice="Pass the same checkpoints to resume the sweep, "
                    "or resume=False to start over (its entries are recomputed).")
        return True

    def record(self, entry_id: str, state: str | None) -> None:
        """Mark an entry finished (written at once with the collection's index)."""
        self.finished[entry_id] = {"inputs": self.digest, "state": state}
        self.coll.update_attrs(**self._attrs())
