"""Shared fixtures: one Prefect test server per session, and warehouses landed once and reused."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

import flows  # noqa: F401  (sets the project's Prefect and GX settings before they are imported)

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FAZHI_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"
EVAL = SHARED / "eval"
RAW = ROOT / "raw"


@pytest.fixture(scope="session")
def prefect_server():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def run_pipeline(raw_dir: Path, warehouse: Path, **kwargs):
    """Run the real flow (on the session's test server) and return its summary."""
    from flows.pipeline import fazhi_run
    from flows.settings import RunParams

    return fazhi_run(RunParams(raw_dir=raw_dir, warehouse_dir=warehouse, **kwargs))


def query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def records(warehouse: Path, sql: str) -> list[dict]:
    """Like `query`, each row as a dict keyed by column name."""
    con = duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True)
    try:
        relation = con.sql(sql)
        return [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]
    finally:
        con.close()


@pytest.fixture(scope="session")
def seeds_warehouse(prefect_server, tmp_path_factory) -> Path:
    """The five seed reports landed once for the session."""
    if not SEEDS.is_dir():
        pytest.skip(f"no seeds at {SEEDS}")
    warehouse = tmp_path_factory.mktemp("seeds") / "w"
    run_pipeline(SEEDS, warehouse)
    return warehouse


@pytest.fixture(scope="session")
def raw_warehouse(prefect_server, tmp_path_factory) -> Path:
    """The project's own raw/ samples landed once for the session."""
    warehouse = tmp_path_factory.mktemp("raw") / "w"
    run_pipeline(RAW, warehouse)
    return warehouse


@pytest.fixture(scope="session")
def sample_warehouse(request) -> Path:
    """The sample warehouse the analyst's tests query: raw/ once it holds samples, else the seeds."""
    has_raw = RAW.is_dir() and any(p.is_file() for p in RAW.rglob("*"))
    return request.getfixturevalue("raw_warehouse" if has_raw else "seeds_warehouse")


@pytest.fixture
def raw_copy(tmp_path) -> Path:
    """A private copy of raw/ that a test may change."""
    dest = tmp_path / "raw"
    shutil.copytree(RAW, dest)
    return dest
