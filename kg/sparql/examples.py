"""The library of example SPARQL queries: fan questions, one ``.rq`` file each in ``kg/sparql/queries/``.

A file opens with comment lines that say what it asks, then the query::

    # title: Which actors play members of the Ruska Roma?
    # description: One or two sentences (several lines are joined with spaces).
    PREFIX jwo: <https://kg.johnwick.example/ontology/>
    SELECT ...

Every file declares the prefixes it uses, so it also runs on a plain SPARQL
server or rdflib, which do not predeclare ours.  The file name (a slug) is the
example's name; the library is in order of file name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.namespaces import is_slug

QUERIES_DIR = Path(__file__).resolve().parent / "queries"

_HEADER = re.compile(r"#\s*(title|description)\s*:\s*(.*)")


@dataclass(frozen=True)
class Example:
    name: str  # the file stem, a slug
    title: str  # the fan question
    description: str  # may be empty
    query: str  # the whole file, comments included


def parse_example(path: Path) -> Example:
    """The example in one ``.rq`` file; ValueError naming the file if it has no title or no slug name."""
    if not is_slug(path.stem):
        raise ValueError(f"{path}: an example's file name must be a slug like 'ruska-roma-actors.rq'")
    text = path.read_text(encoding="utf-8")
    titles: list[str] = []
    descriptions: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("#"):
            break  # the header is the comment block the file opens with
        match = _HEADER.fullmatch(line)
        if match:
            (titles if match[1] == "title" else descriptions).append(match[2].strip())
    if len(titles) != 1 or not titles[0]:
        found = "no" if not titles or not titles[0] else f"{len(titles)}"
        raise ValueError(f"{path}: {found} '# title: ...' line at the top of the file (write exactly one, "
                         f"the fan question, before the query)")
    return Example(path.stem, titles[0], " ".join(d for d in descriptions if d), text)


@cache
def load_examples() -> tuple[Example, ...]:
    """Every example of ``kg/sparql/queries/``, in order of file name."""
    return tuple(parse_example(path) for path in sorted(QUERIES_DIR.glob("*.rq")))


def example(name: str) -> Example | None:
    """The example called ``name``, or None."""
    return next((e for e in load_examples() if e.name == name), None)
