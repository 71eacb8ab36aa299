"""Scale-out: the same flow with its batches on a Dask LocalCluster lands the same warehouse."""
from __future__ import annotations

import pytest

from tests.conftest import SEEDS, run_pipeline
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
