"""Query answers -> bytes in the format asked for, with the row cap said out loud.

pyoxigraph writes complete answers, but a public endpoint stops at a row
limit and must say so: the rows are read up to the limit here and written in
SPARQL 1.1 JSON, XML, CSV or TSV (SELECT) or any RDF format of
:mod:`kg.rdf.formats` (CONSTRUCT, DESCRIBE).  A truncated JSON answer carries
``"truncated": true`` and the limit beside ``head``; every format gets the
``X-Result-Truncated`` header from the caller.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from itertools import islice
from xml.sax.saxutils import XMLGenerator

import pyoxigraph as ox

from kg.rdf.formats import (
    RESULTS_CSV,
    RESULTS_JSON,
    RESULTS_TSV,
    RESULTS_XML,
    RdfFormat,
    ResultFormat,
)
from kg.rdf.quads import Quads

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


@dataclass(frozen=True)
class Written:
    body: bytes
    media_type: str
    rows: int  # solutions or triples written
    truncated: bool


def write_boolean(answer: ox.QueryBoolean, fmt: ResultFormat) -> Written:
    return Written(answer.serialize(format=fmt.ox), _charset(fmt.media_type), 1, False)


def write_solutions(solutions: ox.QuerySolutions, fmt: ResultFormat, limit: int | None,
                    capped: int | None = None) -> Written:
    """The solutions, cut after ``limit`` rows (None: all of them); ``capped``: a server had already cut
    them at that many rows, and they are said to be cut."""
    names = [v.value for v in solutions.variables]
    rows = list(islice(solutions, None if limit is None else limit + 1))
    truncated = limit is not None and len(rows) > limit
    rows = rows[:limit]
    if capped is not None and not truncated:
        truncated, limit = True, len(rows)
    writer = {RESULTS_JSON.name: _json, RESULTS_XML.name: _xml, RESULTS_CSV.name: _csv, RESULTS_TSV.name: _tsv}
    body = writer[fmt.name](names, rows, limit if truncated else None)
    return Written(body, _charset(fmt.media_type), len(rows), truncated)


def write_triples(triples, fmt: RdfFormat, limit: int | None, capped: int | None = None) -> Written:
    """The triples, cut after ``limit`` (None: all of them); ``capped``: as for :func:`write_solutions`."""
    kept = list(islice(triples, None if limit is None else limit + 1))  # a store's Triples, or a server's Quads
    truncated = limit is not None and len(kept) > limit or capped is not None
    kept = kept[:limit]  # a quad format writes them in the default graph
    return Written(fmt.write(Quads.of(kept)), _charset(fmt.media_type), len(kept), truncated)


def _charset(media_type: str) -> str:
    return f"{media_type}; charset=utf-8"


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        value = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            value["datatype"] = term.datatype.value
        return value
    return {"type": "triple", "value": {"subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
                                       "object": _json_term(term.object)}}


def _json(names: list[str], rows: list, limit: int | None) -> bytes:
    bindings = [{name: _json_term(value) for name, value in zip(names, row, strict=True) if value is not None}
                for row in rows]
    document = {"head": {"vars": names}, "results": {"bindings": bindings}}
    if limit is not None:
        document["truncated"] = True
        document["limit"] = limit
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _xml(names: list[str], rows: list, limit: int | None) -> bytes:
    out = io.BytesIO()
    xml = XMLGenerator(out, encoding="utf-8", short_empty_elements=True)
    xml.startDocument()
    xml.startElement("sparql", {"xmlns": RESULTS_NS})
    xml.startElement("head", {})
    for name in names:
        xml.startElement("variable", {"name": name})
        xml.endElement("variable")
    if limit is not None:  # the results format's own place for notes about the answer
        xml.startElement("link", {"href": f"#truncated-at-{limit}-rows"})
        xml.endElement("link")
    xml.endElement("head")
    xml.startElement("results", {})
    for row in rows:
        xml.startElement("result", {})
        for name, value in zip(names, row, strict=True):
            if value is not None:
                xml.startElement("binding", {"name": name})
                _xml_term(xml, value)
                xml.endElement("binding")
        xml.endElement("result")
    xml.endElement("results")
    xml.endElement("sparql")
    xml.endDocument()
    return out.getvalue()


def _xml_term(xml: XMLGenerator, term) -> None:
    if isinstance(term, ox.NamedNode):
        tag, attributes, text = "uri", {}, term.value
    elif isinstance(term, ox.BlankNode):
        tag, attributes, text = "bnode", {}, term.value
    elif isinstance(term, ox.Literal):
        tag, text = "literal", term.value
        attributes = ({"xml:lang": term.language} if term.language
                      else {} if term.datatype.value == XSD_STRING else {"datatype": term.datatype.value})
    else:
        tag, attributes, text = "literal", {}, str(term)
    xml.startElement(tag, attributes)
    xml.characters(text)
    xml.endElement(tag)


def _csv(names: list[str], rows: list, limit: int | None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow(["" if v is None else v.value if not isinstance(v, ox.BlankNode) else f"_:{v.value}"
                         for v in row])
    return out.getvalue().encode("utf-8")


def _tsv(names: list[str], rows: list, limit: int | None) -> bytes:
    lines = ["\t".join(f"?{name}" for name in names)]
    lines += ["\t".join("" if v is None else str(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")
