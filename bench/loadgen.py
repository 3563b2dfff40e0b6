"""wrk, the load generator every HTTP benchmark runs (Debian package ``wrk``), and what it measured.

``wrk_paths.lua`` asks for the paths of a file in turn and prints the run's figures as one JSON line;
:func:`wrk` runs it and returns them with answers per second and latencies in milliseconds.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

LUA = Path(__file__).with_name("wrk_paths.lua")


def wrk(url: str, paths_file: Path, seconds: float, clients: int, threads: int = 2, headers: tuple[str, ...] = (),
        timeout: str = "10s") -> dict:
    """One wrk run: rps, p50_ms, p90_ms, p99_ms, max_ms, requests, bytes (per answer) and errors."""
    argv = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds:g}s", "--timeout", timeout, "-s", str(LUA),
            *(option for header in headers for option in ("-H", header)), url, "--", str(paths_file)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    line = next((line for line in done.stdout.splitlines() if line.startswith("{")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    figures = json.loads(line)
    elapsed, latency, requests = figures["duration_us"] / 1e6, figures["latency_us"], figures["requests"]
    return {"rps": requests / elapsed, "p50_ms": latency["p50"] / 1000, "p90_ms": latency["p90"] / 1000,
            "p99_ms": latency["p99"] / 1000, "max_ms": latency["max"] / 1000, "requests": requests,
            "seconds": elapsed, "bytes": figures["bytes"] / max(requests, 1),
            "errors": sum(figures["errors"].values())}
