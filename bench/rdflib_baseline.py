"""The baseline of the SPARQL benchmark: an rdflib-backed endpoint over a build's N-Quads.

``rdflib-endpoint`` (PyPI) serves an rdflib Dataset with the default graph as
the union of its graphs, the same dataset ``/sparql`` answers from.  Run by
:mod:`bench.sparql_bench` as

    python -m bench.rdflib_baseline NQUADS PORT WORKERS
"""

from __future__ import annotations

import os
import sys

from rdflib import Dataset


def app():
    """The ASGI app (a factory, so that each uvicorn worker loads its own copy)."""
    from rdflib_endpoint import SparqlEndpoint

    dataset = Dataset(default_union=True)
    dataset.parse(os.environ["KG_BASELINE_NQUADS"], format="nquads")
    return SparqlEndpoint(graph=dataset, path="/sparql", cors_enabled=True)


def main() -> None:
    import uvicorn

    nquads, port, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.environ["KG_BASELINE_NQUADS"] = nquads
    uvicorn.run("bench.rdflib_baseline:app", factory=True, host="127.0.0.1", port=port, workers=workers,
                log_level="warning")


if __name__ == "__main__":
    main()
