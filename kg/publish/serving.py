"""What ``kg serve`` needs on disk: the build before its workers start, its downloads while they serve.

Over a local build, the build is made if the data changed (:func:`kg.build.ensure_built`)
and its dumps written if they are not those of this build.  Over a remote
store, what the store holds is fetched once, as a build of its own
(``OUT/remote``, replaced only when it changed), and dumped into its
downloads, so /downloads offers exactly what the store serves.  Either way the
web app itself (``create_app``) only reads.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import wait
from pathlib import Path

from kg.build import ensure_built
from kg.build.output import nquads, write_build
from kg.errors import KGError
from kg.settings import DOWNLOADS, NQUADS, REMOTE, Settings
from kg.store.remote import RemoteStore, fetch_dataset

from .dumps import ensure_dumps

log = logging.getLogger(__name__)

NICE = 19  # the downloads writer's priority: the lowest (measured: first page at 1M 25 s beside it unniced)


def prepare(settings: Settings, store: RemoteStore | None = None, say: Callable[[str], None] = lambda _: None,
            downloads: bool = True) -> Path | None:
    """Make what the settings serve ready on disk; the build's N-Quads, or the remote store's fetched ones.
    ``say`` is told each step as it starts (kg serve prints them: a first build takes a while).  Without
    ``downloads``, only what pages need (:func:`start_downloads` writes the rest while the site serves)."""
    if store is not None:
        if not downloads:
            return None
        say(f"fetching what {store.endpoint} holds, for the downloads")
        return prepare_remote(store, settings.out_dir, settings.dumps_dir)
    say(f"checking the build in {settings.out_dir} against {settings.data_dir} (built again if the data changed)")
    built = ensure_built(settings.data_dir, settings.out_dir)
    if downloads:
        say(f"checking the downloads in {settings.dumps_dir} (written again if the build changed)")
        ensure_dumps(settings.out_dir, settings.dumps_dir)
    return built


def start_downloads(settings: Settings, store: RemoteStore | None = None) -> multiprocessing.Process:
    """Write the downloads in a process of their own, while the site already serves its pages (at a million
    triples they took 30 s of a first start); /downloads says they are being written meanwhile (the dump
    folder's lock is held: :func:`kg.staging.busy`).  The process ends with its parent, however that ends."""
    process = multiprocessing.get_context("fork").Process(target=_write_downloads, args=(settings, store),
                                                          name="kg-downloads", daemon=True)
    process.start()
    return process


def _write_downloads(settings: Settings, store: RemoteStore | None) -> None:
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    os.nice(NICE)  # the web workers loading the store come first: the first page is not kept waiting
    try:
        if store is not None:
            prepare_remote(store, settings.out_dir, settings.dumps_dir)
        else:
            ensure_dumps(settings.out_dir, settings.dumps_dir)
    except KGError as exc:
        log.error("the downloads could not be written: %s", exc)
        sys.exit(1)


def _exit_with_parent() -> None:
    wait([multiprocessing.parent_process().sentinel])
    os._exit(0)


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
