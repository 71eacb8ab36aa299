"""Analysts may query during a run: a process holding warehouse.duckdb open read-only, querying in a
loop, neither blocks the run nor fails, and never sees metrics of a report missing from `reports`."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, SEEDS, query, run_pipeline
from tests.landed import consistent, copy_seeds

# Mode `held`: one read-only connection for the whole test (an analyst's open session). Mode `fresh`:
# a new connection per round (in its own process: DuckDB shares one database instance per path and
# process, so a fresh connection beside a held one would see what the held one sees).
READER = r"""
import json, sys, time
from pathlib import Path
import duckdb

db, stop, mode = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
CHECK = '''select (select count(*) from reports),
                  (select count(*) from metrics where report_id not in (select report_id from reports)),
                  (select count(*) from sections where report_id not in (select report_id from reports))'''
held = duckdb.connect(db, read_only=True) if mode == "held" else None
rounds, errors, orphans, counts = 0, [], 0, set()
while not stop.exists():
    try:
        con = held or duckdb.connect(db, read_only=True)
        [(n, lost_metrics, lost_sections)] = con.execute(CHECK).fetchall()
        orphans += lost_metrics + lost_sections
        counts.add(n)
        if not held:
            con.close()
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    rounds += 1
print(json.dumps({"rounds": rounds, "errors": errors[:5], "n_errors": len(errors), "orphans": orphans,
                  "counts": sorted(counts)}))
"""


def test_reader_in_a_loop_during_runs(prefect_server, tmp_path):
    if not SEEDS.is_dir():
        pytest.skip(f"no seeds at {SEEDS}")
    names = sorted(p.name for p in SEEDS.glob("*.txt"))
    raw, w = copy_seeds(SEEDS, tmp_path / "raw", names[:2]), tmp_path / "w"
    run_pipeline(raw, w)
    stop = tmp_path / "stop"
    readers = {mode: subprocess.Popen([sys.executable, "-c", READER, str(w / "warehouse.duckdb"), str(stop), mode],
                                      cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for mode in ("held", "fresh")}
    try:
        time.sleep(1.0)
        copy_seeds(SEEDS, raw, names[2:])  # new files, landed in several batches
        landed = run_pipeline(raw, w, batch_size=1)
        assert landed.reports_landed + landed.quarantined == len(names) - 2
        with open(raw / names[0], "a", encoding="utf-8") as handle:  # a changed file: rows replaced
            handle.write("\n附：本段由并发读取测试追加。\n")
        changed = run_pipeline(raw, w, batch_size=1)
        assert (changed.files_new, changed.reports_landed + changed.quarantined) == (1, 1)
        time.sleep(1.0)
    finally:
        stop.touch()
        outputs = {mode: reader.communicate(timeout=60) for mode, reader in readers.items()}
    seen = {}
    for mode, (out, err) in outputs.items():
        assert readers[mode].returncode == 0, err[-2000:]
        seen[mode] = json.loads(out)
        assert seen[mode]["n_errors"] == 0, (mode, seen[mode]["errors"])
        assert seen[mode]["orphans"] == 0, mode
        assert seen[mode]["rounds"] > 10, mode
    [(final,)] = query(w, "select count(*) from reports")
    assert final >= 3
    assert seen["fresh"]["counts"][-1] == final > seen["fresh"]["counts"][0]  # new sessions see each run land
    assert len(seen["held"]["counts"]) == 1  # an open session keeps the snapshot it opened
    consistent(w)


def test_superseded_snapshots_stay_for_open_sessions(tmp_path):
    from warehouse.store import READER_GRACE_SECONDS, Warehouse

    wh = Warehouse(tmp_path / "w")
    now = time.time()
    ages = [4 * READER_GRACE_SECONDS, 3 * READER_GRACE_SECONDS, 2 * READER_GRACE_SECONDS, 60, 30, 10]
    for i, age in enumerate(ages):  # s0 oldest … s5 live; each replaced by the next one
        snap = wh.root / "snapshots" / f"s{i}"
        snap.mkdir(parents=True)
        os.utime(snap, (now - age, now - age))
    (wh.root / "current").symlink_to("snapshots/s5")
    wh._prune()
    kept = sorted(p.name for p in (wh.root / "snapshots").iterdir())
    # s0 and s1 were replaced longer than the grace period ago; s2 only a minute ago (by s3), so a session
    # opened on it may still be reading; the last three always stay
    assert kept == ["s2", "s3", "s4", "s5"]
