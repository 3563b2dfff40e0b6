"""``kg query``: a SPARQL query over a compiled dataset, answered by the one engine and printed.

The dataset is loaded into pyoxigraph and the query answered by
:mod:`kg.sparql.engine`, exactly as ``/sparql`` answers it: the default graph
is the union of all named graphs (facts, provenance and ontology), ``GRAPH
?g { ... }`` reaches each source's graph, our prefixes (``jwo:``, ``jwr:``,
``schema:`` ...) are predeclared, and what the endpoint refuses is refused.
SELECT and ASK print as a table, SPARQL JSON or CSV; CONSTRUCT and DESCRIBE as
Turtle.
"""

from __future__ import annotations

import io
import json

import pyoxigraph as ox
from rdflib import Dataset, Literal

from kg.errors import QueryRefused, UsageError
from kg.namespaces import PREFIXES
from kg.rdf.terms import Terms, from_ox

from .engine import Local, QueryRequest, evaluate, write

FORMATS = ("table", "json", "csv")


def run(dataset: Dataset, text: str, fmt: str = "table") -> str:
    """The answer to ``text`` over ``dataset``, as text in ``fmt`` (CONSTRUCT and DESCRIBE: Turtle)."""
    backend = Local.of(dataset)
    request = QueryRequest(text, result_format="json" if fmt == "table" else fmt, rdf_format="turtle",
                           row_limit=None)
    try:
        inspected, result = evaluate(backend, request)
        if fmt == "table" and isinstance(result, ox.QuerySolutions):
            return table(result)
        body = write(result, request).body.decode("utf-8")
    except QueryRefused as refused:
        raise UsageError(f"the query cannot run: {refused.message}") from None
    if isinstance(result, ox.QueryBoolean):
        return ("true" if bool(result) else "false") + "\n" if fmt == "table" else _pretty(body, fmt)
    return _pretty(body, fmt) if inspected.form in ("SELECT", "ASK") else body


def _pretty(body: str, fmt: str) -> str:
    return json.dumps(json.loads(body), indent=2) + "\n" if fmt == "json" else body


def table(solutions: ox.QuerySolutions) -> str:
    """Solutions as an aligned text table, IRIs as prefixed names, then the number of rows."""
    names = [v.value for v in solutions.variables]
    form = Terms(PREFIXES)

    def show(value) -> str:
        if value is None:
            return ""
        term = from_ox(value)
        return str(term) if isinstance(term, Literal) else form(term)

    rows = [[show(value) for value in solution] for solution in solutions]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    out = io.StringIO()
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    out.write(line(names) + "\n")
    out.write(line(["-" * w for w in widths]) + "\n")
    for r in rows:
        out.write(line(r) + "\n")
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")
    return out.getvalue()
