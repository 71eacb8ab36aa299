"""Scale-out: the same flow with its batches on a Dask LocalCluster lands the same warehouse."""
from __future__ import annotations

import shutil
import threading

import psutil
import pytest

from tests.conftest import RAW, SEEDS, run_pipeline
from tests.landed import copy_seeds, tables


def test_dask_local_cluster_lands_the_same_tables(prefect_server, tmp_path):
    if not SEEDS.is_dir():
        pytest.skip(f"no seeds at {SEEDS}")
    raw = copy_seeds(SEEDS, tmp_path / "raw", sorted(p.name for p in SEEDS.glob("*.txt")))
    local = run_pipeline(raw, tmp_path / "local", batch_size=2)
    on_dask = run_pipeline(raw, tmp_path / "dask", batch_size=2, dask_address="local")
    assert on_dask.reports_landed == local.reports_landed > 0
    assert {"ingest", "metrics", "quality", "stage"} <= set(on_dask.seconds)
    assert tables(tmp_path / "dask") == tables(tmp_path / "local")


def test_a_worker_killed_mid_batch_costs_a_retry_not_the_run(prefect_server, tmp_path):
    """A Dask worker that dies inside a batch (a segfault, the OOM killer) is restarted by its nanny;
    the scheduler runs the lost task again and the run lands everything, as without the crash."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    local = run_pipeline(raw, tmp_path / "local", batch_size=2)
    killed: list[int] = []
    stop = threading.Event()
    assassin = threading.Thread(target=_kill_first_busy_worker, args=(killed, stop), daemon=True)
    assassin.start()
    try:
        on_dask = run_pipeline(raw, tmp_path / "dask", batch_size=2, dask_address="local")
    finally:
        stop.set()
        assassin.join()
    assert killed, "no worker was seen inside a batch, so none was killed: the test proved nothing"
    assert on_dask.reports_landed == local.reports_landed > 0
    assert tables(tmp_path / "dask") == tables(tmp_path / "local")


def _kill_first_busy_worker(killed: list[int], stop: threading.Event) -> None:
    """SIGKILL the first Dask worker process seen reading a file (its parser sandbox child is alive)."""
    me = psutil.Process()
    while not stop.is_set() and not killed:
        for proc in me.children(recursive=True):
            try:
                if "flows.isolation" in proc.cmdline() and proc.parent().pid != me.pid:  # a worker's sandbox
                    proc.parent().kill()
                    killed.append(proc.parent().pid)
                    return
            except psutil.Error:
                continue
        stop.wait(0.02)
