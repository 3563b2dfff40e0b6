"""The exceptions of the ``kg`` library, in one place.

::

    KGError                  base of everything we raise on purpose
    ├── DataInvalid          the facts are wrong: one or more Problems (CLI exit 1)
    │   └── ShapesViolated   the facts compiled but broke a SHACL shape
    ├── UsageError           the request is wrong: bad option, missing folder,
    │   │                    unreadable file, bad SPARQL (CLI exit 2)
    │   └── PushIncomplete   kg push stopped half-way: which graphs are written (kg.publish.push)
    └── StoreError           a remote SPARQL server (kg.store.remote) failed us (CLI exit 3; web 503)
        ├── StoreUnavailable unreachable, failing or too slow: try again later
        ├── StoreRefused     it refused our credentials
        └── StoreRejected    it rejected a query as malformed (/sparql 400)

The store errors live beside the remote store, in :mod:`kg.store.remote`.

A :class:`Problem` is one thing wrong in the data.  It carries where it is
(file, line, column), what it is about (entity slug and kind, YAML key), what
is wrong and how to fix it, so that every surface (CLI, tests, later the web
app) can print the same message::

    data/characters.yaml:42: character 'eve-macarro': member_of: unknown
    organization 'ruska-rome' (did you mean 'ruska-roma'?)

Anything else that escapes the library is a bug: it is not caught here, so it
surfaces as a traceback in development and as a logged 500 in the web app.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Location:
    """A place in a YAML file: 1-based line and column."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, said for the fan who edits the YAML."""

    message: str
    location: Location | None = None
    entity: str | None = None  # slug
    noun: str | None = None  # "character", "work", ...
    key: str | None = None  # YAML key, e.g. "member_of"
    hint: str | None = None  # how to fix it

    def __str__(self) -> str:
        parts = []
        if self.location is not None:
            parts.append(str(self.location))
        if self.entity:
            parts.append(f"{self.noun or 'entity'} '{self.entity}'")
        if self.key:
            parts.append(self.key)
        parts.append(self.message + (f" ({self.hint})" if self.hint else ""))
        return ": ".join(parts)

    def sort_key(self) -> tuple:
        loc = self.location or Location("")
        return (loc.file, loc.line, loc.column, self.message)


class KGError(Exception):
    """Base class of the errors the library raises on purpose."""


@dataclass
class DataInvalid(KGError):
    """The data has problems; nothing was written."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.problems = sorted(self.problems, key=Problem.sort_key)
        super().__init__(self.summary())

    def summary(self) -> str:
        n = len(self.problems)
        return f"{n} problem{'s' if n != 1 else ''} in the data"

    def __str__(self) -> str:
        return "\n".join([*map(str, self.problems), self.summary()])


class ShapesViolated(DataInvalid):
    """The compiled graph breaks SHACL shapes; each problem is mapped back to YAML."""

    def summary(self) -> str:
        n = len(self.problems)
        return f"{n} SHACL violation{'s' if n != 1 else ''}"


class UsageError(KGError):
    """The request cannot be carried out as asked (bad option, folder, file or query)."""


def did_you_mean(word: str, candidates, hint: str | None = None) -> str | None:
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else hint
