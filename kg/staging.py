"""Files written under temporary names, renamed into place together: a reader sees all old or all new.

The build folder, the dumps and ``kg push``'s record are written this way:
each file streams into a temporary file in the output folder (``.NAME.*.tmp``)
and only when every one is complete are they renamed into place, in order, so
a manifest staged last lands last.  A failure changes nothing, and leaves no
temporary file behind.

A process killed mid-way (``kill -9``, a power cut) cannot clean up, so each
staging holds a lock on its folder (``flock`` on the folder itself: no lock
file, and the kernel lets go whatever ends the process) and, once it has it,
removes the temporary files it finds there: under the lock, nobody else is
writing them.  Two writers of one folder take turns.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from kg.errors import OutputError


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class Staging:
    """Files written under temporary names in a folder, renamed into place together on success."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.staged: list[tuple[str, Path]] = []

    def __enter__(self) -> Staging:
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            self._lock = os.open(self.out_dir, os.O_RDONLY | os.O_DIRECTORY)
            fcntl.flock(self._lock, fcntl.LOCK_EX)  # the kernel lets go when the process ends, however it ends
            for stale in self.out_dir.glob(".*.tmp"):  # left by a writer that was killed: nobody writes them now
                stale.unlink(missing_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create the output folder {self.out_dir}: {exc.strerror}") from None
        return self

    def write(self, name: str, chunks: Iterable[str]) -> tuple[int, str, int]:
        """Stream text into a temporary file; return its size, SHA-256 and line count."""
        return self.write_bytes(name, (chunk.encode("utf-8") for chunk in chunks))

    def write_bytes(self, name: str, chunks: Iterable[bytes]) -> tuple[int, str, int]:
        """Stream bytes into a temporary file; return its size, SHA-256 and line count."""
        digest, size, lines = hashlib.sha256(), 0, 0
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.out_dir)
            self.staged.append((name, Path(tmp)))
            os.fchmod(fd, 0o666 & ~_umask())  # mkstemp's 0600 would hide downloads from a web server's user
            with os.fdopen(fd, "wb") as handle:
                for data in chunks:
                    handle.write(data)
                    digest.update(data)
                    size += len(data)
                    lines += data.count(b"\n")
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise OutputError(f"cannot write to {self.out_dir}: {exc.strerror}") from None
        return size, digest.hexdigest(), lines

    def temporary(self, name: str) -> Path:
        """Where a file written in this staging waits until it is renamed into place (to read it back)."""
        return next(tmp for staged, tmp in reversed(self.staged) if staged == name)

    def __exit__(self, error_type, error, traceback) -> None:
        try:
            if error_type is None:
                for name, tmp in self.staged:  # in order: the manifest, staged last, lands last
                    os.replace(tmp, self.out_dir / name)
        except OSError as exc:
            raise OutputError(f"cannot write to {self.out_dir}: {exc.strerror}") from None
        finally:
            for _, tmp in self.staged:  # whatever was not renamed into place
                tmp.unlink(missing_ok=True)
            os.close(self._lock)


def busy(folder: Path) -> bool:
    """Is a staging writing into ``folder`` right now (its lock is held)?  False for a folder that is not there."""
    try:
        probe = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        fcntl.flock(probe, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(probe)
    return False
