"""The exceptions of the ``kg`` library, in one place, and what each surface answers for them.

::

    KGError                    base of everything we raise on purpose
    ├── DataInvalid            the facts are wrong: one or more Problems
    │   └── ShapesViolated     the facts compiled but broke a SHACL shape
    ├── UsageError             the request is wrong: bad option, missing folder or build,
    │                          unreadable input, a query kg query cannot run
    ├── OutputError            an output cannot be written (folder, disk, permissions)
    ├── RemoteFailed           the server kg push writes to failed, refused us, or said no
    │   └── PushIncomplete     kg push stopped half-way: which graphs are written
    ├── StoreError             a remote SPARQL store (kg serve --endpoint) failed us
    │   ├── StoreUnavailable   unreachable, failing or too slow: try again later
    │   │   └── StoreTimedOut  the server stopped the query at its own time limit
    │   ├── StoreTruncated     the server cut its answer at its own row cap
    │   ├── StoreRefused       it refused our credentials
    │   └── StoreRejected      it rejected a query as malformed
    └── QueryRefused           a public query /sparql will not run: its own HTTP status
        └── QueryFailed        allowed, but it timed out or ended its executor

:data:`OUTCOMES` is the one table of what each means to a surface: the ``kg``
command's exit code (:func:`exit_code`) and the web app's HTTP status
(:func:`http_status`), the most specific class listed deciding.  The CLI
(:mod:`kg.cli`) and the web app (:mod:`web.errors`) translate through it and
nowhere else.  Two private exceptions never leave their modules: the loader's
``_Stop`` and the vocabulary's ``BadValue`` become :class:`Problem` s.

A :class:`Problem` is one thing wrong in the data.  It carries where it is
(file, line, column), what it is about (entity slug and kind, YAML key), what
is wrong and how to fix it, so that every surface (CLI, tests, the web app)
prints the same message::

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
    reference: str | None = None  # the slug an "unknown entity" problem names (kg.build.followon reads it)

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
    hidden: int = 0  # later problems held back until the first are fixed (kg.build.followon)

    def __post_init__(self) -> None:
        self.problems = sorted(self.problems, key=Problem.sort_key)
        super().__init__(self.summary())

    def summary(self) -> str:
        n = len(self.problems)
        said = f"{n} problem{'s' if n != 1 else ''} in the data"
        if self.hidden:
            said += (f" ({self.hidden} later problem{'s' if self.hidden != 1 else ''} hidden until "
                     f"{'it is' if n == 1 else 'they are'} fixed: --all-errors shows them)")
        return said

    def __str__(self) -> str:
        return "\n".join([*map(str, self.problems), self.summary()])


class ShapesViolated(DataInvalid):
    """The compiled graph breaks SHACL shapes; each problem is mapped back to YAML."""

    def summary(self) -> str:
        n = len(self.problems)
        return f"{n} SHACL violation{'s' if n != 1 else ''}"


class UsageError(KGError):
    """The request cannot be carried out as asked (bad option, folder, file or query)."""


class OutputError(KGError):
    """An output cannot be written: nothing of it was."""


class RemoteFailed(KGError):
    """The server ``kg push`` writes to failed, refused us or answered an error (``status``, if it answered)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class PushIncomplete(RemoteFailed):
    """A push stopped half-way: the graphs written before the failure are on the server, the rest not yet."""

    def __init__(self, message: str, failed: str, written: list[str], kept: list[str]):
        super().__init__(message)
        self.failed, self.written, self.kept = failed, written, kept


class StoreError(KGError):
    """The remote store did not answer as asked."""


class StoreUnavailable(StoreError):
    """The server cannot be reached, failed, or was too slow: try again later."""

    retry_after = 5


class StoreTimedOut(StoreUnavailable):
    """The server stopped the query at its own time limit (it may have offered an incomplete answer,
    which is never read)."""


class StoreTruncated(StoreError):
    """The server cut its answer at its own row cap (Virtuoso's ``ResultSetMaxRows``): ``body`` is the
    cut answer, ``rows`` the cap; it is never read as a whole answer."""

    def __init__(self, message: str, body: bytes = b"", rows: int = 0):
        super().__init__(message)
        self.body, self.rows = body, rows


class StoreRefused(StoreError):
    """The server refused our credentials."""


class StoreRejected(StoreError):
    """The server rejected a query as malformed (a query it reads differently from our parser).

    ``reason`` is the server's own first line, without the server's address (said to the public).
    """

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


class QueryRefused(KGError):
    """A query the public endpoint will not run: ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str, retry_after: int | None = None):
        super().__init__(status, message, retry_after)  # all in args: it pickles across processes
        self.status, self.message, self.retry_after = status, message, retry_after

    def __str__(self) -> str:
        return self.message


class QueryFailed(QueryRefused):
    """The query was allowed but did not finish: timed out, or ended its executor."""


@dataclass(frozen=True)
class Outcome:
    exit: int  # the kg command's exit code
    status: int  # the web app's HTTP status


#: What each error means to each surface; the most specific class listed decides.
OUTCOMES: dict[type[KGError], Outcome] = {
    KGError: Outcome(2, 500),
    DataInvalid: Outcome(1, 500),  # the web app serves a build: invalid data never reaches it
    UsageError: Outcome(2, 400),
    OutputError: Outcome(2, 500),
    RemoteFailed: Outcome(2, 502),
    StoreError: Outcome(3, 503),
    StoreRejected: Outcome(3, 400),
    QueryRefused: Outcome(2, 400),  # its own status wins (http_status)
}


def outcome(error: KGError) -> Outcome:
    return next(OUTCOMES[cls] for cls in type(error).__mro__ if cls in OUTCOMES)


def exit_code(error: KGError) -> int:
    """The exit code of the ``kg`` command: 1 invalid data, 2 usage or I/O, 3 a store that failed us."""
    return outcome(error).exit


def http_status(error: KGError) -> int:
    """The HTTP status of the web app: a refused query's own, else the table's."""
    return error.status if isinstance(error, QueryRefused) else outcome(error).status


def did_you_mean(word: str, candidates, hint: str | None = None) -> str | None:
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else hint
