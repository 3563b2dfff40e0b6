"""Staging: temporary files left by a writer killed mid-way (kill -9) are removed by the next writer of the
folder, never those of a writer still at work (the folder's lock says which)."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading
import time

from kg.staging import Staging

from .conftest import wait_for


def test_a_killed_writers_temporary_files_go_with_the_next_write(tmp_path):
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from kg.staging import Staging
        with Staging(Path({str(tmp_path)!r})) as staging:
            staging.write("universe.nq", iter(["<a> <b> <c> .\\n"] * 1000))
            print("writing", flush=True)
            time.sleep(60)
    """)
    writer = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "writing"
    left = list(tmp_path.glob(".*.tmp"))
    assert len(left) == 1
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    assert left[0].exists()  # nobody could remove it: the writer was killed
    with Staging(tmp_path) as staging:  # the lock went with the killed process: no wait
        staging.write("other.txt", ["x"])
    assert not left[0].exists() and sorted(p.name for p in tmp_path.iterdir()) == ["other.txt"]


def test_two_writers_of_one_folder_take_turns_and_keep_each_others_files(tmp_path):
    inside = threading.Event()
    done: list[str] = []

    def slow() -> None:
        with Staging(tmp_path) as staging:
            staging.write("a.txt", ["a"])
            inside.set()
            time.sleep(0.5)
            done.append("a")

    first = threading.Thread(target=slow)
    first.start()
    assert wait_for(inside.is_set, 10)
    with Staging(tmp_path) as staging:  # waits for the first, then finds no stale file of it
        done.append("b")
        staging.write("b.txt", ["b"])
    first.join()
    assert done == ["a", "b"] and sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]
