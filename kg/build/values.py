"""The kinds of value a YAML key may hold, each parsing text into an RDF term or saying what is wrong.

:class:`Text`, :class:`Pattern` (ids, years), :class:`Date`, :class:`Count`,
:class:`Url`, :class:`Wikidata`, :class:`Imdb`, :class:`Choice` parse a scalar;
:class:`Ref` is a slug checked after loading; :class:`Cast` and :class:`Plot`
are the composite values of a work's cast and plot.  A value of the wrong form
raises :class:`BadValue`, which :mod:`kg.build.collect` turns into a
:class:`~kg.errors.Problem` with its file and line (it never leaves the build).
:mod:`kg.build.vocab` says which key takes which.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.namespaces import JWO, SCHEMA, WD


class BadValue(Exception):
    """A value does not have the form its key needs."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass(frozen=True)
class Text:
    """Free text: names are plain strings, prose is English (``lang='en'``)."""

    lang: str | None = None
    what: str = "text"

    def parse(self, text: str) -> Literal:
        text = text.strip()
        if not text:
            raise BadValue("is empty", "write a value or remove the key")
        return Literal(text, lang=self.lang)


@dataclass(frozen=True)
class Pattern:
    """Text of a fixed form, such as an id or a date."""

    regex: str
    what: str
    example: str
    datatype: URIRef | None = None

    def parse(self, text: str) -> Literal:
        text = text.strip()
        if not re.fullmatch(self.regex, text):
            raise BadValue(f"'{text}' is not {self.what}", f"write it like {self.example}")
        return Literal(text, datatype=self.datatype)


@dataclass(frozen=True)
class Date(Pattern):
    def parse(self, text: str) -> Literal:
        text = text.strip()
        if re.fullmatch(self.regex, text):
            try:  # before rdflib sees it: rdflib logs a traceback for an impossible date
                dt.date.fromisoformat(text)
            except ValueError:
                raise BadValue(f"'{text}' is not a real date", f"write it like {self.example}") from None
        return super().parse(text)


@dataclass(frozen=True)
class Count(Pattern):
    def parse(self, text: str) -> Literal:
        return Literal(int(super().parse(text)), datatype=XSD.integer)


@dataclass(frozen=True)
class Url:
    what: str = "a web address"

    def parse(self, text: str) -> URIRef:
        text = text.strip()
        if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", text):
            raise BadValue(f"'{text}' is not a web address", "write it like https://example.org/page")
        return URIRef(text)


@dataclass(frozen=True)
class Wikidata(Pattern):
    def parse(self, text: str) -> URIRef:
        return WD[str(super().parse(text))]


@dataclass(frozen=True)
class Imdb(Pattern):
    def also(self, value: Literal) -> list[tuple[URIRef, URIRef]]:
        kind = "title" if str(value).startswith("tt") else "name"
        return [(SCHEMA.sameAs, URIRef(f"https://www.imdb.com/{kind}/{value}/"))]


@dataclass(frozen=True)
class Choice:
    options: tuple[tuple[str, URIRef], ...]

    @property
    def what(self) -> str:
        return "one of " + ", ".join(name for name, _ in self.options)

    def parse(self, text: str) -> URIRef:
        for name, iri in self.options:
            if text.strip() == name:
                return iri
        raise BadValue(f"'{text.strip()}' is not {self.what}")


@dataclass(frozen=True)
class Cast:
    """The composite value of ``cast``: performer slug -> character slug (or a mapping)."""

    what: str = "a mapping of performer to character"
    fields: tuple[str, ...] = ("character", "credited_as", "source", "note", "confirmation")


@dataclass(frozen=True)
class Plot:
    """The composite value of ``plot``: a list of parts, each ``{act: N, text: ...}`` with its qualifiers."""

    what: str = "a list of parts, each with 'act:' and 'text:'"
    fields: tuple[str, ...] = ("act", "text", "source", "revealed_in", "note", "confirmation")


@dataclass(frozen=True)
class Ref:
    """A reference by slug to an entity of one of ``classes`` (checked after loading)."""

    classes: tuple[URIRef, ...]
    what: str = "a slug"


NAME = Text()
PROSE = Text(lang="en")
DATE = Date(r"\d{4}-\d{2}-\d{2}", "a date", "2014-10-24", XSD.date)
YEAR = Pattern(r"[1-9][0-9]{3}", "a year", "1975", XSD.gYear)
COUNT = Count(r"[1-9][0-9]{0,5}", "a whole number from 1", "101")
URL = Url()
WIKIDATA = Wikidata(r"Q[1-9][0-9]*", "a Wikidata item id", "Q12345")
IMDB = Imdb(r"(tt|nm)[0-9]{7,8}", "an IMDb id", "tt2911666 (a title) or nm0000206 (a person)")
CONFIRMATION = Choice((("unconfirmed", JWO.Unconfirmed), ("disputed", JWO.Disputed)))
STATUS = Choice((("released", JWO.Released), ("announced", JWO.Announced)))


def ref(*names: str) -> Ref:
    return Ref(tuple(JWO[n] for n in names))
