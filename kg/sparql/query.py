"""Run a SPARQL query over a compiled dataset and format the answer.

The default graph is the union of all named graphs (facts, provenance and
ontology); ``GRAPH ?g { ... }`` reaches each source's graph.  Our prefixes
(``jwo:``, ``jwr:``, ``schema:`` ...) are predeclared.
"""

from __future__ import annotations

import io
import json

from pyparsing import ParseException
from rdflib import Dataset, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import Result

from kg.errors import UsageError
from kg.namespaces import PREFIXES

FORMATS = ("table", "json", "csv")


def run(dataset: Dataset, text: str) -> Result:
    try:
        prepared = prepareQuery(text, initNs=dict(PREFIXES))
    except ParseException as exc:
        raise UsageError(f"invalid SPARQL at line {exc.lineno}, column {exc.col}: {exc.msg}") from None
    except Exception as exc:  # rdflib reports an undeclared prefix with a bare Exception
        if str(exc).startswith("Unknown namespace prefix"):
            raise UsageError(f"invalid SPARQL: {exc} (declare it with PREFIX)") from None
        raise
    return dataset.query(prepared)


def render(result: Result, fmt: str, dataset: Dataset) -> str:
    """SELECT/ASK as a table, SPARQL JSON or CSV; CONSTRUCT/DESCRIBE as Turtle."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        graph = result.graph
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns, override=True, replace=True)
        return graph.serialize(format="turtle")
    if fmt == "json":
        return json.dumps(json.loads(result.serialize(format="json")), indent=2) + "\n"
    if result.type == "ASK":
        return ("true" if result.askAnswer else "false") + "\n"
    if fmt == "csv":
        return result.serialize(format="csv").decode("utf-8")
    return _table(result, dataset)


def _show(term, dataset: Dataset) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return dataset.namespace_manager.normalizeUri(term)
    if isinstance(term, Literal):
        return str(term)
    return term.n3()


def _table(result: Result, dataset: Dataset) -> str:
    names = [str(v) for v in result.vars]
    rows = [[_show(row[v], dataset) for v in result.vars] for row in result]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    out = io.StringIO()
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    out.write(line(names) + "\n")
    out.write(line(["-" * w for w in widths]) + "\n")
    for r in rows:
        out.write(line(r) + "\n")
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")
    return out.getvalue()

