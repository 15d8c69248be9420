"""The data a search was given: a CSV path or a pandas DataFrame, told apart once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported on use, so that `automl --help` stays instant
    import pandas as pd

FRAME_SOURCE = "DataFrame"
"""How a DataFrame is named where a file would be: results.json's data source, the command."""
FRAME_STEM = "dataframe"
"""The default run directory's name for a DataFrame: reports/dataframe."""


@dataclass(frozen=True, eq=False)
class DataInput:
    """A CSV path or a DataFrame, as the user passed it (`path_or_frame`, which the data
    loader reads), with the names and the hash a run records for it.

    Compared by identity: comparing two DataFrames does not give one truth value.
    """

    path_or_frame: str | Path | pd.DataFrame

    @classmethod
    def of(cls, data: str | Path | pd.DataFrame | DataInput) -> DataInput:
        return data if isinstance(data, DataInput) else cls(data)

    @property
    def path(self) -> Path | None:
        """The CSV file, or None for a DataFrame."""
        given = self.path_or_frame
        return Path(given) if isinstance(given, str | Path) else None

    @property
    def source(self) -> str:
        """The file name, or "DataFrame"."""
        return self.path.name if self.path is not None else FRAME_SOURCE

    @property
    def stem(self) -> str:
        """The file name without its suffix, or "dataframe": the default run directory."""
        return self.path.stem if self.path is not None else FRAME_STEM

    def describe(self) -> str:
        """The path as given, or "DataFrame"."""
        return str(self.path_or_frame) if self.path is not None else FRAME_SOURCE

    def sha256(self) -> str:
        """The hex SHA-256 of the file's bytes, or of a frame's values and column names
        (the index left out), so that --resume can tell whether the data changed."""
        digest = hashlib.sha256()
        given = self.path_or_frame
        if isinstance(given, str | Path):
            with open(given, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        else:
            import pandas as pd

            digest.update(pd.util.hash_pandas_object(given, index=False).to_numpy().tobytes())
            digest.update("\x1f".join(map(str, given.columns)).encode())
        return digest.hexdigest()
