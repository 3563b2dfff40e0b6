"""The home page, the spoiler form and its page of every release, and ``/health`` (for load balancers and
monitors)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Blueprint, g, make_response, redirect, render_template, request

from kg.namespaces import JWO

from .site import ALL, CANON, COOKIE, parse_canon, parse_level, site

bp = Blueprint("pages", __name__)
T = TypeVar("T")

#: The classes the home page counts, in this order.
COUNTED = [JWO.Work, JWO.Character, JWO.Person, JWO.Performance, JWO.Organization, JWO.Place, JWO.Scene,
           JWO.Event, JWO.Motif, JWO.Theme, JWO.Artifact, JWO.Rule, JWO.Source]

#: The characters in the most works; an episode counts as its series, so the series counts once.
MAIN_CHARACTERS = """
SELECT ?c (COUNT(DISTINCT ?work) AS ?n) WHERE {
  ?c a jwo:Character ; jwo:appearsIn ?w .
  OPTIONAL { ?w jwo:partOfSeries ?series }
  BIND(COALESCE(?series, ?w) AS ?work)
}
GROUP BY ?c ORDER BY DESC(?n) ?c LIMIT 12"""
#: Works whose story comes before another's, at no nearer place (the games and the comic before the films).
PREQUELS = "SELECT DISTINCT ?w ?before WHERE { ?w jwo:precedesInStory ?before }"
#: The spoiler menu on every page lists every release up to this many.  A longer ladder (the synthetic
#: million-triple universe has 1,076 releases: 2,158 options, most of each page's bytes, twice a page) lists
#: the releases nearest the fan's reading and links the page that lists them all (``/seen``).
MENU_LIMIT = 30
MENU_NEAR = 4  # releases listed on either side of the fan's, when the ladder is longer


def menu(releases: Sequence[T], seen: int | None) -> tuple[list[tuple[int, T]], bool]:
    """The (level, work) pairs the spoiler menu lists at reading ``seen`` (None: everything), and whether it
    leaves some out."""
    count = len(releases)
    if count <= MENU_LIMIT:
        return list(enumerate(releases, 1)), False
    at = count if seen is None else seen
    first = max(1, min(at - MENU_NEAR, count - 2 * MENU_NEAR))
    last = min(count, first + 2 * MENU_NEAR)
    return [(level, releases[level - 1]) for level in range(first, last + 1)], True


def own_page(target: str | None) -> str:
    """``target`` if it is a page of this site, else the home page: never an open redirect."""
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


@bp.get("/health")
def health():
    """A plain "ok" while this worker answers: what a load balancer or a monitor asks (and the benchmarks' ceiling:
    the cheapest answer the site's whole stack gives)."""
    response = make_response("ok\n")
    response.mimetype = "text/plain"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
def home():
    catalog = site().catalog
    counts = [(cls, catalog.counts.get(cls, 0)) for cls in COUNTED]
    by_story = sorted((w for w in catalog.releases if w.story is not None), key=lambda w: w.story)
    main = [row["c"] for row in site().store.select(MAIN_CHARACTERS)]
    wanted = (JWO.Organization, JWO.Motif, JWO.Theme)
    kinds = {c: [t for t in wanted if site().model.is_a(c, t)] for c in set(catalog.classes.values())}
    entries: dict = {cls: [] for cls in wanted}
    for entity, cls in catalog.classes.items():  # once over the entities (at 1M, three times took 1 s)
        for target in kinds[cls]:
            entries[target].append(entity)
    entries = {cls: sorted(found, key=catalog.label) for cls, found in entries.items()}
    prequels: dict = {}  # a work on the timeline -> the works said to come before it, at no nearer place
    for row in site().store.select(PREQUELS):
        if row["w"] not in catalog.works:
            prequels.setdefault(row["before"], []).append(row["w"])
    prequels = {w: sorted(found, key=catalog.label) for w, found in prequels.items()}
    return render_template("home.html", counts=counts, by_story=by_story, main_characters=main, entries=entries,
                           prequels=prequels,
                           organization=JWO.Organization, motif=JWO.Motif, theme=JWO.Theme,
                           release_row={w.iri: i for i, w in enumerate(catalog.releases)},
                           story_row={w.iri: i for i, w in enumerate(by_story)})


@bp.get("/spoilers")
def spoilers():
    """Set what the fan reads (the form on every page: spoiler level, canon only), then go back where they were."""
    releases = len(site().catalog.releases)
    given, level = parse_level(request.args.get(COOKIE), releases)
    canon_given, canon = parse_canon(request.args.get(CANON))
    target = own_page(request.args.get("next"))
    chosen = {**({COOKIE: ALL if level is None else str(level)} if given else {}),
              **({CANON: "1" if canon else "0"} if canon_given else {})}
    if chosen:
        parts = urlsplit(target)
        query = [(k, v) for k, v in parse_qsl(parts.query) if k not in chosen] + list(chosen.items())
        target = urlunsplit(("", "", parts.path, urlencode(query), parts.fragment))
    response = make_response(redirect(target))
    for name, value in chosen.items():
        response.set_cookie(name, value, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


@bp.get("/seen")
def seen():
    """Every release, to say up to which one the fan has seen: the spoiler menu's long form, which it links
    when it lists only the releases nearest the fan's reading (more than :data:`MENU_LIMIT`)."""
    return render_template("seen.html", target=own_page(request.args.get("next")))


@bp.app_context_processor
def spoiler_context():
    catalog = site().catalog
    levels, cut = menu(catalog.releases, g.get("seen"))
    return {"releases": catalog.releases, "seen": g.get("seen"), "menu_levels": levels, "menu_cut": cut,
            "menu_total": len(catalog.releases)}
