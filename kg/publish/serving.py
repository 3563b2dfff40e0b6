"""What ``kg serve`` needs on disk before its workers start: the build and its downloads.

Over a local build, the build is made if the data changed (:func:`kg.build.ensure_built`)
and its dumps written if they are not those of this build.  Over a remote
store, what the store holds is fetched once, as a build of its own
(``OUT/remote``, replaced only when it changed), and dumped into its
downloads, so /downloads offers exactly what the store serves.  Either way the
web app itself (``create_app``) only reads.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kg.build import ensure_built
from kg.build.output import nquads, write_build
from kg.settings import DOWNLOADS, NQUADS, REMOTE, Settings
from kg.store.remote import RemoteStore, fetch_dataset

from .dumps import ensure_dumps


def prepare(settings: Settings, store: RemoteStore | None = None, say: Callable[[str], None] = lambda _: None) -> Path:
    """Make what the settings serve ready on disk; the build's N-Quads, or the remote store's fetched ones.
    ``say`` is told each step as it starts (kg serve prints them: a first build takes a while)."""
    if store is not None:
        say(f"fetching what {store.endpoint} holds, for the downloads")
        return prepare_remote(store, settings.out_dir, settings.dumps_dir)
    say(f"checking the build in {settings.out_dir} against {settings.data_dir} (built again if the data changed)")
    built = ensure_built(settings.data_dir, settings.out_dir)
    say(f"checking the downloads in {settings.dumps_dir} (written again if the build changed)")
    ensure_dumps(settings.out_dir, settings.dumps_dir)
    return built


def prepare_remote(store: RemoteStore, out_dir: Path, dumps_dir: Path | None = None) -> Path:
    """The quads of a remote store fetched into ``OUT/remote`` as a build (rewritten only when they changed),
    and dumped into ``dumps_dir`` (``OUT/remote/downloads`` by default)."""
    build_dir = out_dir / REMOTE
    fetched = fetch_dataset(store)
    if nquads(fetched) != _read_or_none(build_dir / NQUADS):
        write_build(fetched, build_dir)
    ensure_dumps(build_dir, dumps_dir or build_dir / DOWNLOADS)
    return build_dir / NQUADS


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
