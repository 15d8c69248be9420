"""Error types shared by every package.

`UserError` is a mistake the user can fix (bad file, bad option, bad space):
the CLI prints it as one line and exits with code 2, never a traceback.
Everything else is a bug or an environment failure and is reported as such.
"""

from __future__ import annotations


class DeepenoughError(Exception):
    """Base class of every error deepenough raises on purpose."""


class UserError(DeepenoughError):
    """A problem with the user's input, stated with the fix.

    The message names the problem and ends with what to do about it, so that
    the CLI can print `str(error)` alone on one line.
    """

    def __init__(self, problem: str, *, fix: str) -> None:
        self.problem = problem
        self.fix = fix
        super().__init__(f"{problem.rstrip('.')}. {fix}")


class DataError(UserError):
    """The data file cannot be used as given."""


class SpaceError(UserError):
    """A search-space file breaks the schema."""


class RunDirectoryError(UserError):
    """The output directory cannot take this run."""


class SearchFailed(DeepenoughError):
    """No trial of the search completed, so there is nothing to export."""
