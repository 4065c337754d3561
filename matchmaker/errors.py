"""The engine's errors: a user sees their message, never a traceback.

Every error a user can cause by their input derives from `MatchmakerError`; the CLI maps it to a
one-line message and an exit code. A bug is any other exception and keeps its traceback.
"""

from __future__ import annotations


class MatchmakerError(Exception):
    """Bad input or an impossible request; the message says which file and what is wrong."""

    exit_code = 2


class IntakeError(MatchmakerError):
    """A form export or partners file that cannot be read at all."""


class CriteriaError(MatchmakerError):
    """A criteria or mapping file that is not valid."""


class ReviewError(MatchmakerError):
    """A reviewer sheet that cannot be read back."""


class DecisionError(MatchmakerError):
    """Committee decisions that contradict each other or the constraints."""


class InfeasibleError(MatchmakerError):
    """Slots stay unfilled under --strict, or locks that no pairing can honour."""

    exit_code = 3


class OutputError(MatchmakerError):
    """An output file that cannot or must not be written."""


class VerifyError(MatchmakerError):
    """A result file that cannot be verified: missing, not JSON, or not a matchmaker result."""
