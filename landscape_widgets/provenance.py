"""Where a landscape came from (:class:`Provenance`): the subspace, seed, grid, loss and model
that made it, kept with the landscape through save and load."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from ._checks import is_integer, json_object, json_type


@dataclass(frozen=True)
class Provenance:
    """Where a landscape came from; JSON-serialisable so it survives save/load.

    ``source`` is one of "array", "function", "random", "hessian", "interpolation".
    """

    source: str = "array"
    normalization: str | None = None
    seed: int | None = None
    eigenvalues: tuple[float, ...] | None = None
    resolution: tuple[int, ...] | None = None
    extent: tuple[tuple[float, float], ...] | None = None
    loss_name: str | None = None
    model_name: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["extra"] = dict(self.extra)
        return out

    @classmethod
    def from_json(cls, data: object) -> Provenance:
        """The inverse of :meth:`to_json`; every field's JSON type is checked (a saved file is
        untrusted input: anything but a JSON object is refused), unknown fields are refused."""
        data = dict(json_object("provenance", data))
        unknown = sorted(set(data) - set(cls.__dataclass_fields__))
        if unknown:
            raise ValueError(
                f"provenance: expected the fields {sorted(cls.__dataclass_fields__)}, got "
                f"unknown ones {unknown}"
            )
        for key in ("source", "normalization", "loss_name", "model_name"):
            value = data.get(key)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"provenance.{key}: expected a string or null, got "
                                 f"{json_type(value)}")
        if data.get("source", "") is None:
            raise ValueError("provenance.source: expected a string, got null")
        if data.get("seed") is not None and not is_integer(data["seed"]):
            raise ValueError(f"provenance.seed: expected an integer or null, got "
                             f"{json_type(data['seed'])}")
        for key, item in (("eigenvalues", "number"), ("resolution", "integer")):
            value = data.get(key)
            if value is None:
                continue
            good = is_integer if item == "integer" else _is_json_number
            if not isinstance(value, list) or not all(good(v) for v in value):
                raise ValueError(f"provenance.{key}: expected an array of {item}s or null, got "
                                 f"{json_type(value)}")
            data[key] = tuple(value)
        extent = data.get("extent")
        if extent is not None:
            if not isinstance(extent, list) or not all(
                isinstance(p, list) and len(p) == 2 and all(_is_json_number(b) for b in p)
                for p in extent
            ):
                raise ValueError(f"provenance.extent: expected an array of [low, high] number "
                                 f"pairs or null, got {json_type(extent)}")
            data["extent"] = tuple(tuple(float(b) for b in pair) for pair in extent)
        if "extra" in data:
            data["extra"] = dict(json_object("provenance.extra", data["extra"]))
        return cls(**data)


def _is_json_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
