"""Career ladders for product management, as data you can query: `Ladders` is the way in
(docs/api.md).

Every name below is imported when first used (PEP 562), not here: each run of the command imports
this package, and its start-up time is a feature.
"""

__version__ = "0.1.0"
# The shape of a ladder file; bump it when the models change what they accept or produce.
# Kept here, not in `models`, so the store can key on it without importing pydantic models.
SCHEMA_VERSION = 1

_HOMES = {
    "Ladders": "career_ladder.api",
    "LadderError": "career_ladder.errors",
    "InvalidLadder": "career_ladder.errors",
    "NotFound": "career_ladder.errors",
    "Ambiguous": "career_ladder.errors",
    "BadArgument": "career_ladder.errors",
    "Problem": "career_ladder.errors",
    "LadderListing": "career_ladder.results",
    "LadderView": "career_ladder.results",
    "RungView": "career_ladder.results",
    "LadderComparison": "career_ladder.results",
    "SalaryReport": "career_ladder.results",
    "ValidationReport": "career_ladder.results",
    "Created": "career_ladder.results",
    "Copied": "career_ladder.results",
    "NextView": "career_ladder.results.moves",
    "Routes": "career_ladder.results.moves",
    "AboutView": "career_ladder.results.knowledge",
    "EntryReport": "career_ladder.results.knowledge",
    "TrackList": "career_ladder.results.knowledge",
    "SourceList": "career_ladder.results.knowledge",
    "SourceFacts": "career_ladder.results.knowledge",
    "SearchResult": "career_ladder.results.search",
    "LadderDiff": "career_ladder.results.diff",
}

__all__ = [
    "AboutView",
    "Ambiguous",
    "BadArgument",
    "Copied",
    "Created",
    "EntryReport",
    "InvalidLadder",
    "LadderComparison",
    "LadderDiff",
    "LadderError",
    "LadderListing",
    "LadderView",
    "Ladders",
    "NextView",
    "NotFound",
    "Problem",
    "Routes",
    "RungView",
    "SalaryReport",
    "SearchResult",
    "SourceFacts",
    "SourceList",
    "TrackList",
    "ValidationReport",
    "__version__",
]

TYPE_CHECKING = False  # not `typing`'s: importing typing would double this package's import time
if TYPE_CHECKING:
    from career_ladder.api import Ladders
    from career_ladder.errors import Ambiguous, BadArgument, InvalidLadder, LadderError, NotFound, Problem
    from career_ladder.results import (
        Copied,
        Created,
        LadderComparison,
        LadderListing,
        LadderView,
        RungView,
        SalaryReport,
        ValidationReport,
    )
    from career_ladder.results.diff import LadderDiff
    from career_ladder.results.knowledge import AboutView, EntryReport, SourceFacts, SourceList, TrackList
    from career_ladder.results.moves import NextView, Routes
    from career_ladder.results.search import SearchResult


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module 'career_ladder' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
