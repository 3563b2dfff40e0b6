"""Processes that supervise each other, on a real `kg serve`: the query service killed with SIGKILL is started
again (/sparql answers within 5 s), a killed web worker is replaced, and when kg serve itself is killed the
service, its executors and the web workers end within 5 s; the service's temporary folder goes at a clean stop,
and a killed kg serve's is removed by the next one."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ..conftest import ROOT, free_port, kg_serve, stop, wait_for

ASK = "/sparql?query=ASK%7B%3Fs%3Fp%3Fo%7D"


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def roles(main: int) -> tuple[int, list[int], list[int]]:
    """(the query service, its executors, the web workers) of a kg serve."""
    kids = children(main)
    service = next(k for k in kids if children(k))  # the one child with children: its executors
    return service, children(service), [k for k in kids if k != service]


@pytest.fixture
def serving(tmp_path):
    """A kg serve of its own (these tests kill its processes), with a temporary directory of its own."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    port = free_port()
    process = subprocess.Popen([str(a) for a in kg_serve(tmp_path / "build", port, "--workers", "2")], cwd=ROOT,
                               env={**os.environ, "TMPDIR": str(temp)}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    assert wait_for(lambda: status(url + ASK) == 200, 120), "kg serve did not answer /sparql"
    yield process, url, temp
    if process.poll() is None:
        stop(process)


def test_a_killed_query_service_is_started_again(serving):
    process, url, _ = serving
    service, executors, _ = roles(process.pid)
    os.kill(service, signal.SIGKILL)
    killed = time.monotonic()
    assert wait_for(lambda: status(url + ASK) == 200 and roles(process.pid)[0] != service, 30)
    assert time.monotonic() - killed < 5
    assert wait_for(lambda: not any(alive(e) for e in executors), 5)  # the old executors went with it


def test_a_killed_web_worker_is_replaced(serving):
    process, url, _ = serving
    _, _, workers = roles(process.pid)
    os.kill(workers[0], signal.SIGKILL)
    assert wait_for(lambda: len(roles(process.pid)[2]) == 2 and workers[0] not in roles(process.pid)[2], 30)
    assert status(url + "/id/hero") == 200


def test_when_kg_serve_is_killed_everything_it_started_ends_and_its_folder_goes_next_time(serving, tmp_path):
    process, _, temp = serving
    service, executors, workers = roles(process.pid)
    folders = list(temp.glob("kg-query-service-*"))
    assert len(folders) == 1
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert wait_for(lambda: not any(alive(p) for p in (service, *executors, *workers)), 5)
    assert folders[0].exists()  # nobody was left to remove it
    port = free_port()
    again = subprocess.Popen([str(a) for a in kg_serve(tmp_path / "build", port)], cwd=ROOT,
                             env={**os.environ, "TMPDIR": str(temp)}, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: status(f"http://127.0.0.1:{port}/health") == 200, 120)
        assert not folders[0].exists() and len(list(temp.glob("kg-query-service-*"))) == 1
    finally:
        stop(again)
    assert list(temp.glob("kg-query-service-*")) == []  # a clean stop removes its own
