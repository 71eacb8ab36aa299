"""Scale-out: the same flow with its batches on a Dask LocalCluster lands the same warehouse."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading

import psutil
import pytest

from tests.conftest import RAW, ROOT, SEEDS, query, run_pipeline
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
    # the workers recorded their task runs on the flow's server, not on temporary servers of their own
    [(flow_run_id,)] = query(tmp_path / "dask", f"select flow_run_id from runs where run_id = '{on_dask.run_id}'")
    batches = -(-len(list(raw.iterdir())) // 2)
    assert _task_runs(flow_run_id) == {stage: batches for stage in ("ingest", "cleanup", "sections", "metrics", "quality")}


def test_without_a_prefect_server_the_workers_use_the_runs_temporary_one(tmp_path):
    """`fazhi run` with no PREFECT_API_URL starts one temporary server; the local workers are given its
    address (else each would start a temporary server of its own, 12-24 s, and record its task runs there)."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    run = subprocess.Popen([sys.executable, "-m", "flows.cli", "run", str(raw), "--warehouse", str(tmp_path / "w"),
                            "--dask-address", "local", "--batch-size", "2"], cwd=ROOT, env=env, text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        output, _ = run.communicate(timeout=240)  # ~25 s here; workers with servers of their own take minutes
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGKILL)  # the run and every server and worker it started
        output, _ = run.communicate()
    assert run.returncode == 0, output[-3000:]
    assert output.count("Starting temporary server") == 1


def _task_runs(flow_run_id: str) -> dict[str, int]:
    """How many task runs of each stage the Prefect server holds for the flow run."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    names = [r.name.rsplit("-", 1)[0] for r in runs]
    return {name: names.count(name) for name in ("ingest", "cleanup", "sections", "metrics", "quality")}


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
