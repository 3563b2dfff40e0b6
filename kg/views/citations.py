"""Citations: the sources a page cites, numbered in the order it first cites them, and its references list.

Wikipedia's and SQID's habit: a fact ends with short numbered marks
(``[1][3]``) that lead to the references at the foot of the page, each naming
its source in words, its tier (canon work, reference, interpretation) and
where to read it.  :class:`References` numbers the sources as the page asks
for them (the page is rendered top to bottom, so the numbers read in order),
and lists them once the page is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from rdflib import URIRef

from kg.store.catalog import Catalog

from .facts import Statement


def cite_as(label: str, iri: str, version: str) -> str:
    """How to cite a page of the graph, as plain text."""
    return f"\u201c{label}.\u201d The John Wick universe knowledge graph, version {version}. {iri}"


_BIBTEX = str.maketrans({c: "\\" + c for c in "{}%&$#_"} | {"\\": "\\textbackslash{}", "~": "\\textasciitilde{}",
                                                             "^": "\\textasciicircum{}"})


def bibtex(label: str, iri: str, slug: str, version: str) -> str:
    """How to cite a page of the graph in BibTeX (every value escaped, so no label can end a field)."""
    key = "jwkg-" + "".join(c if c.isalnum() else "-" for c in slug)
    fields = {"title": label, "howpublished": "The John Wick universe knowledge graph", "url": iri,
              "note": f"Version {version}"}
    body = ",\n".join(f"  {name} = {{{value.translate(_BIBTEX) if name != 'url' else value}}}"
                       for name, value in fields.items())
    return f"@misc{{{key},\n{body}\n}}\n"


#: How each tier of source is named on a page.
TIER_NAMES = {"canon": "canon work", "reference": "reference", "interpretation": "interpretation"}


@dataclass(frozen=True)
class Reference:
    number: int
    source: URIRef
    label: str
    tier: str  # canon | reference | interpretation
    url: str | None  # where it can be read
    site: str | None  # the host of that address ("en.wikipedia.org"), said beside the title

    @property
    def anchor(self) -> str:
        return f"ref-{self.number}"


class References:
    """The numbered references of one page."""

    def __init__(self, catalog: Catalog, page: URIRef | None = None):
        self.catalog, self.page = catalog, page  # a source's page does not cite itself
        self._numbers: dict[URIRef, Reference] = {}

    def cite(self, statement: Statement) -> list[Reference]:
        """The references of a statement's visible sources, numbered on first citation, in number order."""
        cited: dict[URIRef, Reference] = {}
        for source in statement.sources:
            if source.visible and source.source not in cited and source.source != self.page:
                cited[source.source] = self.reference(source.source, source.kind)
        return sorted(cited.values(), key=lambda r: r.number)

    def reference(self, source: URIRef, tier: str) -> Reference:
        found = self._numbers.get(source)
        if found is None:
            url = self.catalog.urls.get(source)
            found = self._numbers[source] = Reference(
                len(self._numbers) + 1, source, self.catalog.label(source), tier, str(url) if url else None,
                urlsplit(str(url)).hostname if url else None)
        return found

    @property
    def entries(self) -> list[Reference]:
        return sorted(self._numbers.values(), key=lambda r: r.number)
