"""deepenough: is a shallow network enough for this data, or does it need a deep one?

`deepenough.search(...)` runs a search and returns a `SearchResult`; the
heavy machinery (TensorFlow, Keras, Optuna) is imported on first use, so
importing this package is instant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["SearchResult", "search"]

if TYPE_CHECKING:
    from deepenough._api import SearchResult, search


def __getattr__(name: str) -> Any:
    if name in __all__:
        from deepenough import _api

        return getattr(_api, name)
    raise AttributeError(f"module 'deepenough' has no attribute {name!r}")
