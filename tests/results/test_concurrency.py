"""Two writers at once, and a writer killed mid-run: nothing stored is lost or half-written."""

import multiprocessing
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from results_cases import insert_rows, make_record

from edgernn.results import ResultsDB

ROWS_PER_WRITER = 60


def test_two_processes_writing_at_once_both_succeed(tmp_path):
    path = tmp_path / "shared.sqlite"  # not created yet: both processes race to create it
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    writers = [
        context.Process(target=insert_rows, args=(str(path), ROWS_PER_WRITER, tag, start))
        for tag in ("a", "b")
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
    assert [w.exitcode for w in writers] == [0, 0]
    with ResultsDB(path) as db:
        records = db.list()
        assert len(records) == 2 * ROWS_PER_WRITER
        for tag in ("a", "b"):
            assert len(db.list(target=f"board-{tag}")) == ROWS_PER_WRITER
        assert sorted(r.id for r in records) == list(range(1, 2 * ROWS_PER_WRITER + 1))


def test_a_killed_writer_leaves_only_complete_rows(tmp_path):
    path = tmp_path / "killed.sqlite"
    script = Path(__file__).parent / "results_cases.py"
    writer = subprocess.Popen(
        [sys.executable, str(script), str(path), "100000"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout.readline().strip() == "started"
        time.sleep(0.2)
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with ResultsDB(path) as db:
        records = db.list()  # every row parses into a valid, complete record
        count = len(records)
        assert 20 < count < 100000
        assert [r.id for r in records] == list(range(1, count + 1))
        expected = [make_record(index=i) for i in range(count)]
        for record, want in zip(records, expected, strict=True):
            record.id = None
            assert record == want
        db.add(make_record(index=count))  # and the database takes new records
        assert len(db) == count + 1
