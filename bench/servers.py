"""What the benchmarks that start servers share: the Oxigraph binary, loading it, and stopping a server.

Every server a benchmark starts runs in a process group of its own
(``start_new_session=True``), so :func:`stop` ends it with its workers.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path


def oxigraph_binary() -> str:
    """The ``oxigraph`` command of PyPI's oxigraph: next to this Python, or on PATH."""
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if found is None:
        raise SystemExit("the Oxigraph server is not installed: pip install oxigraph (the test or bench extra)")
    return found


def oxigraph_load(nquads: Path, location: Path) -> None:
    """A database in ``location`` holding the N-Quads, made offline by ``oxigraph load``."""
    subprocess.run([oxigraph_binary(), "load", "--location", str(location), "--file", str(nquads)], check=True,
                   capture_output=True)


def stop(process: subprocess.Popen) -> None:
    """End a server started in a process group of its own: SIGTERM, then SIGKILL after 30 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
