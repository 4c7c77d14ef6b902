"""Progress bars that leave a clean record in a saved notebook.

``tqdm.auto`` shows an ipywidgets bar in a notebook. Its plain-text fallback, which is what a
saved notebook (or nbconvert, or a viewer without the widget state) shows, is written once, when
the bar is first displayed: "0%|          | 0/1681". So every finished computation would read as
never started. Here the notebook bar is displayed under a display id and, when it closes, that
output is replaced by one plain line with the final state ("100%|██████████| 1681/1681 [00:12]"),
which is what a reader of the saved notebook sees. Outside a notebook this is plain ``tqdm``.
"""

from __future__ import annotations

import functools
from typing import Any


class _PlainText:
    """An object IPython displays as exactly this text (text/plain only)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


@functools.cache
def _notebook_bar_class() -> type | None:
    """The notebook bar class when ``tqdm.auto`` chose the widget bar, else None."""
    from tqdm.auto import tqdm as auto_tqdm

    try:
        from tqdm.notebook import tqdm as notebook_tqdm
    except ImportError:  # pragma: no cover - ipywidgets missing: tqdm.auto is the text bar
        return None
    if not issubclass(auto_tqdm, notebook_tqdm):
        return None

    class CleanRecordBar(auto_tqdm):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["display"] = False
            super().__init__(*args, **kwargs)
            self._handle = None
            if not self.disable:
                from IPython.display import display

                self._handle = display(self.container, display_id=True)
                self.displayed = True

        def close(self) -> None:
            if self.disable or self._handle is None:
                super().close()
                return
            handle, self._handle = self._handle, None
            super().close()
            # the bar's own rendering of its final state, as one line of text
            handle.update(_PlainText(self.container.__repr__(True)))

    return CleanRecordBar


def progress_bar(**kwargs: Any) -> Any:
    """A ``tqdm`` bar (``tqdm.auto``'s choice) that, in a notebook, ends as one line of text.

    Takes ``tqdm``'s keyword arguments (``total``, ``initial``, ``disable``, ``unit``, ``desc``...).

    Example:
        >>> bar = progress_bar(total=3, disable=True)
        >>> bar.update(3); bar.close()
    """
    cls = None if kwargs.get("disable") else _notebook_bar_class()
    if cls is None:
        from tqdm.auto import tqdm

        return tqdm(**kwargs)
    return cls(**kwargs)
