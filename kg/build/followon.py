"""Problems that follow from another, said as a compiler says them: the cause first, the echoes held back.

A file that cannot be parsed defines nothing, so every reference to what it
defined reads as "unknown entity" (one tab in characters.yaml gave 92
problems, 91 of them such echoes with misleading "did you mean" hints).  While
a file cannot be read, :func:`triage` keeps the unknown references out of the
list and says how many it held back (``--all-errors`` lists them all).

A file deleted from the working tree is found through git, when the data is
in a repository: an unknown reference to a slug that a deleted file defined
says so, and how to restore it.  Without git, or outside a repository, nothing
changes.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from kg.errors import Location, Problem

from . import vocab
from .load import YAMLFile

GIT_TIMEOUT = 10  # s


def triage(problems: list[Problem], files: list[YAMLFile], data_dir: Path,
           all_errors: bool = False) -> tuple[list[Problem], int]:
    """(the problems to show, how many were held back)."""
    gone = deleted_definitions(data_dir) if any(p.reference for p in problems) else {}
    shown, held = [], 0
    unreadable = any(f.root is None for f in files)
    explained: dict[str, int] = {}
    for problem in problems:
        if problem.reference is not None and problem.reference in gone:
            path = gone[problem.reference]
            explained[path] = explained.get(path, 0) + 1
            problem = Problem(problem.message, problem.location, problem.entity, problem.noun, problem.key,
                              f"'{problem.reference}' was defined in {path} until that file was deleted: "
                              f"restore it with git checkout -- {data_dir / path}", problem.reference)
        elif problem.reference is not None and unreadable and not all_errors:
            held += 1  # the unreadable file may define it
            continue
        shown.append(problem)
    for path, n in explained.items():
        shown.append(Problem(f"this file was deleted, and {n} reference{'s' if n != 1 else ''} to what it defined "
                             f"remain{'' if n != 1 else 's'}", Location(str(data_dir / path)),
                             hint=f"restore it with git checkout -- {data_dir / path}, or remove the references"))
    return shown, held


def deleted_definitions(data_dir: Path) -> dict[str, str]:
    """Slug -> the data file (relative to ``data_dir``) that defined it in git's HEAD and is now deleted."""
    deleted = _git(data_dir, "ls-files", "--deleted", "-z", "--", ".")
    found: dict[str, str] = {}
    for name in filter(None, (deleted or "").split("\0")):
        if Path(name).suffix not in (".yaml", ".yml"):
            continue
        text = _git(data_dir, "show", f"HEAD:./{name}")
        try:
            root = yaml.safe_load(text or "")
        except yaml.YAMLError:
            continue
        if not isinstance(root, dict):
            continue
        for section in vocab.KINDS_BY_SECTION:
            entities = root.get(section)
            if isinstance(entities, dict):
                for slug in entities:
                    found.setdefault(str(slug), name)
    return found


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], check=False, capture_output=True, text=True,
                              timeout=GIT_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None
