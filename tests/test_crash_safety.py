"""A `fazhi run` killed with SIGKILL at any point of landing leaves the warehouse as before or after
the run; the next run completes the work with no duplicates and nothing lost.

The killed run is a real subprocess reporting to the session's Prefect server; FAZHI_KILL_AT makes it
SIGKILL itself at one named point (warehouse/store.py KILL_POINTS), so every step of the commit is hit.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SEEDS, query, run_pipeline
from tests.landed import consistent, copy_seeds, tables
from warehouse.store import KILL_POINTS


@pytest.fixture(scope="module")
def names():
    if not SEEDS.is_dir():
        pytest.skip(f"no seeds at {SEEDS}")
    return sorted(p.name for p in SEEDS.glob("*.txt"))[:3]


@pytest.fixture(scope="module")
def clean(prefect_server, names, tmp_path_factory):
    """The tables of one uninterrupted run over the three files."""
    base = tmp_path_factory.mktemp("clean")
    w = base / "w"
    run_pipeline(copy_seeds(SEEDS, base / "raw", names), w, batch_size=1)
    return tables(w)


@pytest.mark.parametrize("point", KILL_POINTS)
def test_killed_run_then_normal_run_equals_clean_run(prefect_server, names, clean, tmp_path, point):
    from prefect.settings import PREFECT_API_URL

    raw, w = copy_seeds(SEEDS, tmp_path / "raw", names[:1]), tmp_path / "w"
    run_pipeline(raw, w)  # an earlier run: the killed one must leave this intact
    before = tables(w)
    copy_seeds(SEEDS, raw, names[1:])
    env = {**os.environ, "FAZHI_KILL_AT": point, "PREFECT_API_URL": PREFECT_API_URL.value()}
    killed = subprocess.run([sys.executable, "-m", "flows.cli", "run", str(raw), "--warehouse", str(w),
                             "--batch-size", "1"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert (w / "staging").exists() or point in ("swapped", "viewed")
    # a reader right after the kill sees the warehouse before or after the run, whole
    seen = tables(w)
    assert seen == before or seen == clean
    consistent(w)
    summary = run_pipeline(raw, w, batch_size=1)
    assert summary.status == "completed"
    assert tables(w) == clean
    consistent(w)
    assert not (w / "staging").exists() or not any((w / "staging").iterdir())
    assert not list((w / "snapshots").glob("*.building"))
    assert query(w, "select count(*) from runs") == [(3 if point in ("swapped", "viewed") else 2,)]


def test_second_concurrent_run_is_refused(prefect_server, tmp_path):
    from warehouse.store import Warehouse, WarehouseBusy

    with Warehouse(tmp_path / "w").lock():
        with pytest.raises(WarehouseBusy):
            with Warehouse(tmp_path / "w").lock():
                pass
    shutil.rmtree(tmp_path / "w")
