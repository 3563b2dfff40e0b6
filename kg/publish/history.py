"""The release history shipped with the dumps: what each release changed, and the patch from the one before.

``kg dump --changes-from OLD`` compares the previous release (a dump or build
folder, or a git revision: :mod:`kg.publish.releases`) with this build and
writes, beside the dumps:

    changes.ru.gz   SPARQL 1.1 Update turning a store holding OLD into NEW (:mod:`kg.publish.changes`),
                    gzipped; listed with its checksum in SHA256SUMS and the VoID/DCAT description
    changes.json    the history: one entry per release, newest first, each with what changed, by entity and
                    source graph, and a name for its patch that says both versions

A dump folder of the previous release carries its own ``changes.json``: the
new history is this release's entry followed by those, so the history grows
release after release without rebuilding old ones.  The site's ``/changes``
page and each entity page's "last changed" read this file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from kg.errors import UsageError

from .changes import Changes, Release, as_json

HISTORY = "changes.json"
KEPT = 50  # releases a history keeps (the newest)
_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]+")


def version_of(release: Release) -> str:
    """A release's version for file names and pages: its recorded version, else what the user named it."""
    return release.version or Path(release.label).name or release.label


def patch_name(changes: Changes) -> str:
    """What a mirror may call the patch of this release (the dumps ship it as ``changes.ru.gz``)."""
    old, new = (_UNSAFE.sub("_", version_of(r)).strip("_.") or "release" for r in (changes.old, changes.new))
    return f"changes-{old}-{new}.ru.gz"


def entry(changes: Changes) -> dict:
    """This release's entry of the history (JSON-able, deterministic)."""
    report = as_json(changes)
    return {
        "version": version_of(changes.new), "released": changes.new.released,
        "since": version_of(changes.old), "since_released": changes.old.released,
        "added": report["added"], "removed": report["removed"],
        "patch": patch_name(changes), "entities": report["entities"], "graphs": report["graphs"],
    }


def previous_history(folder: Path | None) -> list[dict]:
    """The history a previous release's dump folder carries (empty for a build folder or a revision)."""
    if folder is None or not (folder / HISTORY).is_file():
        return []
    try:
        history = json.loads((folder / HISTORY).read_text(encoding="utf-8"))["releases"]
    except (OSError, ValueError, KeyError, TypeError):
        raise UsageError(f"{folder / HISTORY}: not a release history written by kg dump") from None
    if not isinstance(history, list):
        raise UsageError(f"{folder / HISTORY}: not a release history written by kg dump")
    return history


def history_text(changes: Changes, previous: list[dict]) -> str:
    """The history with this release first; a release compared with its own version adds nothing, and one
    dumped again replaces its entry."""
    new = entry(changes)
    if new["version"] == new["since"]:
        kept = previous[:KEPT]
    else:
        kept = [new, *(e for e in previous if e.get("version") != new["version"])][:KEPT]
    return json.dumps({"releases": kept}, separators=(",", ":"), sort_keys=True, ensure_ascii=False) + "\n"


def read_history(folder: Path) -> list[dict]:
    """The history in a dump folder, newest first; empty when it has none or it cannot be read."""
    try:
        return previous_history(folder)
    except UsageError:
        return []
