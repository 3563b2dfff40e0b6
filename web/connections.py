"""Connections: how two entities are linked, and the graph view of one entity's surroundings.

``/connections?from=&to=`` (and its JSON twin ``/api/connections``) finds the
shortest chains of facts between two entities; ``/graph/<slug>`` draws an
entity's neighbourhood (data from ``/api/graph/<slug>?depth=&rel=``).  Both ask
the entity graph of :mod:`kg.views.connections`, read from the store once in the
background when the app starts (:mod:`web.warm`, as "kg-connections"); what
the fan types never reaches SPARQL.  Only facts and names visible at the fan's
spoiler level are used.
"""

from __future__ import annotations

from flask import Blueprint, g, jsonify, render_template, request, url_for
from rdflib import URIRef
from werkzeug.exceptions import NotFound

from kg.namespaces import JWO, JWR, term_name
from kg.views.chainmap import NAME, chain_map, link_marks
from kg.views.connections import (
    ENTITY_PATH,
    MAX_STEPS,
    Connection,
    Neighbourhood,
    close_names,
    connect,
    neighbourhood,
    resolve,
)
from kg.views.entitygraph import BACKWARD, EntityGraph, Lens, Link, load_graph
from kg.views.marks import PLAIN_MARKS, Marks, entity_marks

from .filters import entity_path, exporting, href, kind, label
from .search import index as search_index
from .site import site
from .warm import ready, warmer

bp = Blueprint("connections", __name__)

EXTENSION = "kg-connections"
ENDS = ("from", "to")
MAX_INPUT = 200  # characters of a typed name or slug that are read (and echoed)
DEPTHS = (1, 2)
CAP = 60  # entities drawn at most
MAX_RELATIONS = 100  # rel= values read
#: The broad kinds the graph colours (connections.css names their colours), most particular first.
GROUPS = (JWO.Character, JWO.Person, JWO.Work, JWO.Organization, JWO.Company, JWO.Office, JWO.Place, JWO.Scene,
          JWO.Event, JWO.Motif, JWO.Theme, JWO.Artifact, JWO.Rule)


@bp.record_once
def _build(state) -> None:
    """The entity graph of the store the app serves, built in the background (web.warm)."""
    kg = state.app.extensions["kg"]
    warmer(state.app).add(EXTENSION, lambda: load_graph(kg.store, kg.catalog, kg.model))


def entity_graph() -> EntityGraph:
    return ready(EXTENSION)


def _visible(graph: URIRef) -> bool:
    return site().catalog.visible(graph, g.reading)


def _lens() -> Lens:
    return Lens(entity_graph(), _visible, canon_only=g.canon_only)


def _ask() -> dict:
    """Read from= and to=: what was typed (a slug, a name or an alias: the search index reads it), what it
    names, and what it might have meant (the best of a search for it, typos forgiven)."""
    lens, names, reading = _lens(), search_index(), g.reading
    typed = {end: request.args.get(end, "")[:MAX_INPUT] for end in ENDS}
    found = {end: resolve(site().catalog, text, lens.shown, names, reading) if text.strip() else []
             for end, text in typed.items()}
    unknown = {end: close_names(site().catalog, typed[end], lens.shown, index=names, reading=reading)
               for end in ENDS if typed[end].strip() and not found[end]}
    ends = {end: found[end][0] for end in ENDS if found[end]}
    hidden = [end for end, entity in ends.items() if not lens.shown(entity)]
    connection = drawn = None
    if len(ends) == 2 and not hidden and ends["from"] != ends["to"]:
        connection = connect(entity_graph(), ends["from"], ends["to"], _visible, canon_only=g.canon_only)
        if connection.chains:
            drawn = chain_map(connection.chains, lens, site().catalog, reading)
    return {"typed": typed, "ends": ends, "unknown": unknown, "hidden": hidden, "connection": connection,
            "drawn": drawn, "others": {end: found[end][1:] for end in ENDS},
            "fact_marks": lambda link: link_marks(lens, site().catalog, link)}


@bp.get("/connections")
def connections():
    asked = _ask()
    return render_template("connections.html", entity_path=entity_path, max_steps=MAX_STEPS, group=group,
                           name_max=NAME, entity_marks=lambda e: entity_marks(site().catalog, e, g.reading),
                           **asked), 404 if asked["unknown"] else 200


@bp.get("/api/connections")
def connections_api():
    asked = _ask()
    if asked["unknown"]:
        raise NotFound("No entity has that name or slug: " + ", ".join(
            f"{end}={asked['typed'][end]!r}" for end in asked["unknown"]))
    connection: Connection | None = asked["connection"]
    fact_marks = asked["fact_marks"]
    return jsonify(
        ends={end: _node(entity) for end, entity in asked["ends"].items() if end not in asked["hidden"]},
        hidden=asked["hidden"], same=len(asked["ends"]) == 2 and asked["ends"]["from"] == asked["ends"]["to"],
        via_trivial=bool(connection and connection.via_trivial),
        chains=[{"entities": [dict(_node(e), marks=entity_marks(site().catalog, e, g.reading).words)
                              for e in chain.entities],
                 "steps": [[{"relation": term_name(link.predicate), "label": label(link.predicate),
                             "direction": link.direction, "marks": fact_marks(link).words}
                            for link in step.links] for step in chain.steps]}
                for chain in (connection.chains if connection else [])])


def _entity(slug: str) -> URIRef:
    """The entity of a graph view, or a 404 with suggestions."""
    if ENTITY_PATH.fullmatch(slug) and site().catalog.is_entity(JWR[slug]):
        return JWR[slug]
    error = NotFound(f"Nothing in the universe is called '{slug[:MAX_INPUT]}'.")
    error.suggestions = close_names(site().catalog, slug[:MAX_INPUT], _lens().shown)
    raise error


def _view_args() -> tuple[int, frozenset[URIRef] | None]:
    """depth= (1 or 2; else 1) and rel= (property names; unknown ones ignored, none: every relation)."""
    text = request.args.get("depth", "")
    depth = int(text) if text in {str(d) for d in DEPTHS} else DEPTHS[0]
    properties = site().model.properties
    chosen = frozenset(JWO[name] for name in request.args.getlist("rel")[:MAX_RELATIONS]
                       if name.isidentifier() and JWO[name] in properties)
    return depth, chosen or None


def _surroundings(slug: str) -> dict:
    center = _entity(slug)
    depth, relations = _view_args()
    hood = neighbourhood(entity_graph(), center, depth, _visible, relations, CAP, canon_only=g.canon_only)
    rel_args = {"rel": sorted(term_name(p) for p in relations)} if relations else {}
    choices = sorted(({"name": term_name(p), "label": label(p), "count": n, "checked": not relations or p in relations}
                      for p, n in hood.relations.items()), key=lambda r: (r["label"], r["name"]))
    lens = _lens()
    edges = [(s, p, o, symmetric, _fact_marks(lens, s, p, o)) for s, p, o, symmetric in
             sorted(hood.edges, key=lambda e: (center not in (e[0], e[2]), label(e[0]), label(e[1]), label(e[2])))]
    groups = sorted({group(e) for e in hood.depth})
    return {"slug": slug, "center": center, "hood": hood, "edges": edges, "depth": depth, "depths": DEPTHS,
            "relations": choices, "groups": groups, "shown": bool(hood.depth),
            "around": max(len(hood.depth) - 1, 0), "found": max(hood.total - 1, 0),  # neither counts the center
            "data_url": url_for("connections.graph_api", slug=slug, depth=depth, **rel_args)}


def _fact_marks(lens: Lens, s: URIRef, p: URIRef, o: URIRef) -> Marks:
    """How the fact s p o is marked for this fan (kg.views.chainmap.link_marks)."""
    link: Link | None = next((link for link in lens.links(s).get(o, ())
                              if link.predicate == p and link.direction != BACKWARD), None)
    return PLAIN_MARKS if link is None else link_marks(lens, site().catalog, link)


@bp.get("/graph/<path:slug>")
def graph(slug: str):
    if exporting():  # the static export's page is walked and drawn in the browser (web/static/offline-graph.js)
        return render_template("graph.html", **_shell(slug))
    return render_template("graph.html", **_surroundings(slug))


def _shell(slug: str) -> dict:
    """The graph view with nothing around its entity yet: what the browser fills in, at the fan's reading."""
    center = _entity(slug)
    return {"slug": slug, "center": center, "hood": Neighbourhood(center, {center: 0}, [], {}, 1), "edges": [],
            "depth": DEPTHS[0], "depths": DEPTHS, "relations": [], "groups": [], "shown": True, "around": 0,
            "found": 0, "data_url": url_for("connections.graph_api", slug=slug), "offline": True}


@bp.get("/api/graph/<path:slug>")
def graph_api(slug: str):
    view = _surroundings(slug)
    hood = view["hood"]
    return jsonify(
        center=entity_path(view["center"]), depth=view["depth"], hidden=not view["shown"],
        nodes=[dict(_node(e), depth=d, center=e == hood.center, marks=entity_marks(site().catalog, e, g.reading).words)
               for e, d in hood.depth.items()],
        edges=[{"id": f"{entity_path(s)} {term_name(p)} {entity_path(o)}", "source": entity_path(s),
                "target": entity_path(o), "relation": term_name(p), "label": label(p), "symmetric": symmetric,
                "marks": fact_marks.words}
               for s, p, o, symmetric, fact_marks in view["edges"]],
        relations=view["relations"], capped=hood.capped, total=hood.total, cap=CAP)


def _node(entity: URIRef) -> dict:
    return {"id": entity_path(entity), "label": label(entity), "kind": kind(entity), "url": href(entity),
            "group": group(entity)}


def group(entity: URIRef) -> str:
    """The broad kind an entity is drawn as: 'character', 'work', 'place'... (a colour in the graph)."""
    cls = site().catalog.classes.get(entity)
    return next((term_name(top).lower() for top in GROUPS if cls is not None and site().model.is_a(cls, top)), "other")

