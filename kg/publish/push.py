"""Publish a build to a SPARQL 1.1 server: ``kg push``.

Every named graph of the build (each source's graph, the provenance graph and
the ontology) replaces the graph of the same name on the server, one graph
per request, in the order of their names:

* by the **Graph Store HTTP Protocol** (the main path): ``PUT STORE?graph=IRI``
  with the graph's canonical N-Triples, which replaces the graph whole;
* or by **SPARQL Update** when the server has no Graph Store endpoint:
  ``DROP SILENT GRAPH <g>`` and ``INSERT DATA { GRAPH <g> { ... } }`` in
  chunks of :data:`kg.client.CHUNK` triples.  The bodies are the canonical N-Triples
  lines the build's parser wrote back (:class:`kg.rdf.writers.Quads`); an IRI with
  a character that could end ``<...>`` is refused, never pasted.

Then the graphs the server holds under our base IRI (:data:`kg.namespaces.BASE`)
that are no longer in the build are removed.  Graphs with other names (other
people's data on the same server) are never touched.  So a push is idempotent:
pushing twice leaves the same data, and the server holds exactly the build.

A push that fails half-way raises :class:`PushIncomplete`, which says which
graphs were written and which one failed; nothing written is removed.  It
also records the written graphs in ``BUILD/push-state.json`` (per server), so
that a rerun of the same build skips them when the server still holds each
with as many triples, and writes the rest.  A push that completes forgets that
record: every later push writes every graph again.

The requests themselves, and what each failure means, are :mod:`kg.publish.client`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import OutputError, PushIncomplete, RemoteFailed
from kg.namespaces import BASE
from kg.staging import Staging

from .client import Server
from .graphs import BuiltGraphs

STATE = "push-state.json"
SHOWN = 10  # graphs named in a message before "and N more"


# --- the push ------------------------------------------------------------------------------------------


def short(iri: str) -> str:
    return iri[len(BASE):] if iri.startswith(BASE) else f"<{iri}>"


def named(iris: list[str]) -> str:
    shown = ", ".join(short(i) for i in iris[:SHOWN])
    return shown + (f" and {len(iris) - SHOWN} more" if len(iris) > SHOWN else "")


def incomplete(reason: str, failed: str, written: list[str], kept: list[str], total: int,
               note: str = "") -> PushIncomplete:
    """The error of a push that stopped half-way, saying what is on the server and how to complete it."""
    done = len(written) + len(kept)
    parts = [f"{reason}; the push stopped at graph {short(failed)} ({done + 1} of {total})"]
    if written:
        parts.append(f"{len(written)} graph{'s were' if len(written) != 1 else ' was'} written before it: "
                     f"{named(written)}")
    if kept:
        parts.append(f"{len(kept)} graph{'s' if len(kept) != 1 else ''} written by the push before "
                     f"{'were' if len(kept) != 1 else 'was'} found whole and kept")
    parts.append("rerun kg push to complete: it replaces every graph, so a rerun is safe" + note)
    return PushIncomplete("; ".join(parts), failed, written, kept)


@dataclass
class Pushed:
    """What a push did."""

    url: str  # where the graphs were written
    protocol: str
    written: list[str]
    triples: int  # triples written
    kept: list[str]  # graphs a failed push had written, found intact and not written again
    removed: list[str]  # graphs under our base that were no longer in the build
    seconds: float
    notes: list[str] = field(default_factory=list)


def push(built: BuiltGraphs, target: Server, progress: Callable[[int], None] = lambda triples: None) -> Pushed:
    """Write every graph of the build to the server, then remove ours that the build no longer has.

    ``progress`` is called with the number of triples written (or found intact) as the push goes.
    """
    started = time.perf_counter()
    state = _State(built.folder / STATE, target.write_url, built.digest)
    try:
        resumable = state.written()
        on_server = target.triples_per_graph() if resumable else {}
        written, kept, triples = [], [], 0
        for graph in built.graphs:
            if graph.iri in resumable and on_server.get(graph.iri) == graph.triples:
                kept.append(graph.iri)
                progress(graph.triples)
                continue
            try:
                for count in target.put(graph):
                    progress(count)
            except RemoteFailed as exc:
                if not written and not kept:
                    raise RemoteFailed(f"{exc}; no graph was written", exc.status) from None
                note = state.save([*kept, *written])
                raise incomplete(str(exc), graph.iri, written, kept, len(built.graphs), note) from None
            written.append(graph.iri)
            triples += graph.triples
        ours = {g.iri for g in built.graphs}
        try:
            removed = sorted(g for g in target.our_graphs() if g not in ours)
            for iri in removed:
                target.remove(iri)
        except RemoteFailed as exc:
            note = state.save([*kept, *written])
            raise RemoteFailed(f"{exc}; every graph of the build was written, but the graphs no longer in it "
                               f"were not all removed: rerun kg push to remove them{note}", exc.status) from None
    finally:
        target.client.close()
    note = state.forget()
    return Pushed(target.write_url, target.protocol, written, triples, kept, removed,
                  time.perf_counter() - started, [note.strip(" ()")] if note else [])


class _State:
    """``push-state.json``: per server, the graphs a failed push of this build wrote."""

    def __init__(self, path: Path, url: str, digest: str):
        self.path, self.url, self.digest = path, url, digest

    def _read(self) -> dict:
        try:
            state = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # no record (or a damaged one): every graph is written
        return state if isinstance(state, dict) else {}

    def written(self) -> set[str]:
        entry = self._read().get(self.url)
        if not self.digest or not isinstance(entry, dict) or entry.get("build") != self.digest:
            return set()
        return {g for g in entry.get("written", []) if isinstance(g, str)}

    def save(self, written: list[str]) -> str:
        """Record what a failed push wrote; a note when it cannot be recorded (a rerun then writes all)."""
        if not self.digest or not written:
            return ""
        state = self._read()
        state[self.url] = {"build": self.digest, "written": sorted(written)}
        return self._write(state)

    def forget(self) -> str:
        state = self._read()
        if self.url not in state:
            return ""
        del state[self.url]
        return self._write(state)

    def _write(self, state: dict) -> str:
        try:
            if not state:
                self.path.unlink(missing_ok=True)
                return ""
            with Staging(self.path.parent) as staging:
                staging.write(self.path.name, [json.dumps(state, indent=2, sort_keys=True) + "\n"])
        except OSError as exc:
            return f" (could not update {self.path}: {exc.strerror}; a rerun writes every graph)"
        except OutputError as exc:
            return f" (could not record the push in {self.path}: {exc}; a rerun writes every graph)"
        return ""
