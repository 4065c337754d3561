"""matchmaker: candidacy selection and matchmaking for VVSG's SDG partnerships.

The pipeline reads top to bottom: intake -> scoring -> pairing -> export.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
