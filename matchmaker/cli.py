"""The `matchmaker` command: thin click commands over the library.

Each command parses paths and options, calls one library function, prints, and turns a
`MatchmakerError` into one clear line on stderr and its exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from . import __version__
from .errors import MatchmakerError

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Report a MatchmakerError as one line on stderr and exit with its code; bugs keep tracebacks."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except MatchmakerError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


@click.group(
    epilog="Example:\n\n  matchmaker pair candidacies.xlsx --partners partners.csv --out shortlist.xlsx",
)
@click.version_option(__version__, prog_name="matchmaker")
def main() -> None:
    """Select Flemish candidates for SDG partnerships and pair them with partners in Rwanda and Benin."""


# --- intake ------------------------------------------------------------------------------------

# --- score / review-sheet ----------------------------------------------------------------------

# --- pair ----------------------------------------------------------------------------------------

# --- verify --------------------------------------------------------------------------------------
