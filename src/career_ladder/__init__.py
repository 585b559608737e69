"""Career ladders for product management, as data you can query: `Ladders` is the way in
(docs/api.md).

Every name below is imported when first used (PEP 562), not here: each run of the command imports
this package, and its start-up time is a feature.
"""

__version__ = "0.1.0"
# The shape of a ladder file; bump it when the models change what they accept or produce.
# Kept here, not in `models`, so the store can key on it without importing pydantic models.
SCHEMA_VERSION = 1

# Where each public name lives, imported from there on first use.
# The module each public name lives in (each module's names in one string), imported on first use.
_HOMES = {
    name: f"career_ladder.{module}"
    for module, names in [
        ("api", "Ladders"),
        ("errors", "LadderError InvalidLadder NotFound Ambiguous BadArgument Problem"),
        ("results", "LadderListing LadderView RungView LadderComparison SalaryReport ValidationReport"),
        ("results", "Created Copied Written Started ItemChanges"),
        ("results.moves", "NextView Routes"),
        ("results.knowledge", "AboutView EntryReport TrackList SourceList SourceFacts"),
        ("results.search", "SearchResult"),
        ("results.diff", "LadderDiff"),
    ]
    for name in names.split()
}

__all__ = [
    "AboutView",
    "Ambiguous",
    "BadArgument",
    "Copied",
    "Created",
    "EntryReport",
    "InvalidLadder",
    "ItemChanges",
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
    "Started",
    "TrackList",
    "ValidationReport",
    "Written",
    "__version__",
]

TYPE_CHECKING = False  # not `typing`'s: importing typing would double this package's import time
if TYPE_CHECKING:
    from career_ladder.api import Ladders
    from career_ladder.errors import Ambiguous, BadArgument, InvalidLadder, LadderError, NotFound, Problem
    from career_ladder.results import (
        Copied,
        Created,
        ItemChanges,
        LadderComparison,
        LadderListing,
        LadderView,
        RungView,
        SalaryReport,
        Started,
        ValidationReport,
        Written,
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
