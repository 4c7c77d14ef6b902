"""Common base of every view: bundle loading, the shared selection, size, keyword checking.

Each view ``FooView`` is an ``anywidget.AnyWidget`` whose browser half is the ES module
``landscape_widgets/static/foo_view.js`` (built from ``js/src/foo_view.js``). Array data sits in
the private ``_data`` trait, packed by :mod:`landscape_widgets.io.wire`.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, ClassVar

import anywidget
import traitlets
from ipywidgets import widget_serialization

from .selection import Selection

STATIC = Path(__file__).resolve().parent.parent / "static"


@functools.cache
def load_bundle(name: str) -> str:
    """Text of the built ES module ``static/<name>.js``.

    Raises:
        FileNotFoundError: when the bundle was not built (``cd js && npm ci && npm run build``).
    """
    path = STATIC / f"{name}.js"
    if not path.is_file():
        raise FileNotFoundError(
            f"the widget bundle {path} is missing; build it with `cd js && npm ci && npm run build`"
        )
    return path.read_text(encoding="utf-8")


class _BundleText:
    """Class attribute that reads the subclass's bundle on first access (``_esm``)."""

    def __get__(self, obj: object, owner: type) -> str:
        name = getattr(owner, "_bundle", None)
        return load_bundle(name) if name else ""


def check_kwargs(cls_name: str, kwargs: dict[str, Any], allowed: set[str]) -> None:
    """Raise a TypeError naming every keyword argument not in ``allowed``."""
    unknown = sorted(set(kwargs) - allowed)
    if unknown:
        raise TypeError(
            f"{cls_name}: unexpected keyword argument(s) {', '.join(unknown)}; "
            f"allowed: {', '.join(sorted(allowed))}"
        )


def size_validator() -> Any:
    """A fresh ``@validate("width", "height")`` handler: an int in 50..4000 CSS pixels.

    A new handler per class (``_valid_size = size_validator()``), since traitlets binds each
    handler to the class that holds it.
    """

    def valid_size(self: Any, proposal: dict[str, Any]) -> int:
        value = int(proposal["value"])
        if not 50 <= value <= 4000:
            raise traitlets.TraitError(
                f"{proposal['trait'].name}: expected 50..4000 pixels, got {value}"
            )
        return value

    return traitlets.validate("width", "height")(valid_size)


class BaseView(anywidget.AnyWidget):
    """A linked view. Subclasses set ``_bundle`` and fill ``_data``.

    Traits:
        selection: the shared :class:`Selection` (a new one unless given); pass the same object
            to several views to link them. The collection views (``Gallery``,
            ``MetricScatterView``) share an ``EntrySelection`` instead.
        width, height: size of the drawing in CSS pixels.
        _data: the arrays to draw, each a wire message ``{dtype, shape, buffer}`` (binary).
    """

    _bundle: ClassVar[str] = ""  # the JS bundle's name; "" = none
    _esm = _BundleText()
    _options: ClassVar[set[str]] = set()
    # the selection model made when none is given (collection views: EntrySelection)
    _selection_class: ClassVar[type[Any]] = Selection

    selection = traitlets.Instance(Selection, help="the shared selection model").tag(
        sync=True, **widget_serialization
    )
    width = traitlets.Int(420, help="width in CSS pixels").tag(sync=True)
    height = traitlets.Int(320, help="height in CSS pixels").tag(sync=True)
    _data = traitlets.Dict(help="packed arrays to draw (wire format)").tag(sync=True)
    _valid_size = size_validator()

    def __init__(self, **kwargs: Any) -> None:
        check_kwargs(type(self).__name__, kwargs, {"selection", "width", "height"} | self._options)
        self._init_traits(**kwargs)

    def _init_traits(self, **traits: Any) -> None:
        """Set up the widget with these trait values, a new selection unless one is given.

        For views whose constructor takes more than keyword options (``Gallery``,
        ``MetricScatterView``): they check their own arguments, then call this.
        """
        if traits.get("selection") is None:
            traits["selection"] = self._selection_class()
        anywidget.AnyWidget.__init__(self, **traits)

    def to_html(self, path: str | Path, title: str | None = None) -> Path:
        """Write this view (and the views it links to) as one standalone, offline HTML file."""
        from .export import to_html

        return to_html(self, path, title=title)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(selection={self.selection!r})"
