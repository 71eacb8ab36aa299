"""Incremental, idempotent runs: unchanged files skipped, changed ones replaced, reruns change nothing."""
from __future__ import annotations

import os

import pytest

from tests.conftest import SEEDS, query, run_pipeline
from tests.landed import consistent, copy_seeds, tables


@pytest.fixture
def seeds3(tmp_path):
    if not SEEDS.is_dir():
        pytest.skip(f"no seeds at {SEEDS}")
    return copy_seeds(SEEDS, tmp_path / "raw", sorted(p.name for p in SEEDS.glob("*.txt"))[:3])


def test_rerun_changes_nothing(prefect_server, seeds3, tmp_path):
    first_name = sorted(os.listdir(seeds3))[0]
    (seeds3 / "copy").mkdir()
    (seeds3 / "copy" / first_name).write_bytes((seeds3 / first_name).read_bytes())  # a duplicate
    os.symlink(seeds3 / first_name, seeds3 / "link.txt")  # refused: links are never followed
    w = tmp_path / "w"
    first = run_pipeline(seeds3, w, batch_size=2)
    assert (first.files_seen, first.reports_landed) == (5, 3)
    assert sorted(first.quarantine_reasons.items()) == [("symlink", 1)]
    assert first.copies == 1  # the copy lands beside its original
    assert query(w, "select source_path, duplicate_of from reports where duplicate_of is not null") == [
        (f"copy/{first_name}", first_name)]
    before = tables(w, keep_run_ids=True)
    second = run_pipeline(seeds3, w, batch_size=2)
    assert (second.files_seen, second.files_new, second.reports_landed, second.quarantined) == (5, 0, 0, 0)
    assert tables(w, keep_run_ids=True) == before
    assert query(w, "select files_new, reports_landed from runs order by started_at") == [(5, 3), (0, 0)]


def test_changed_file_replaces_its_rows(prefect_server, seeds3, tmp_path):
    w = tmp_path / "w"
    run_pipeline(seeds3, w)
    name = sorted(os.listdir(seeds3))[1]
    [(old_id,)] = query(w, f"select report_id from reports where source_path = '{name}'")
    with open(seeds3 / name, "a", encoding="utf-8") as handle:
        handle.write("\n附：本报告另有一页说明，由测试写入。\n")
    summary = run_pipeline(seeds3, w)
    assert (summary.files_new, summary.reports_landed) == (1, 1)
    [(new_id,)] = query(w, f"select report_id from reports where source_path = '{name}'")
    assert new_id != old_id
    for table in ("reports", "sections", "metrics"):
        assert query(w, f"select count(*) from {table} where report_id = '{old_id}'") == [(0,)], table
    assert query(w, f"select count(*) > 0 from metrics where report_id = '{new_id}'") == [(True,)]
    assert query(w, "select count(*) from reports") == [(3,)]
    consistent(w)


def test_removed_file_leaves(prefect_server, seeds3, tmp_path):
    w = tmp_path / "w"
    run_pipeline(seeds3, w)
    name = sorted(os.listdir(seeds3))[0]
    (seeds3 / name).unlink()
    run_pipeline(seeds3, w)
    assert query(w, f"select count(*) from reports where source_path = '{name}'") == [(0,)]
    assert query(w, "select count(*) from reports") == [(2,)]
    consistent(w)


def test_full_refresh_and_new_version_reprocess_everything(prefect_server, seeds3, tmp_path, monkeypatch):
    w = tmp_path / "w"
    run_pipeline(seeds3, w)
    before = tables(w)
    tables_before_version = tables(w, drop=("pipeline_version",))
    refreshed = run_pipeline(seeds3, w, full_refresh=True)
    assert (refreshed.files_new, refreshed.reports_landed) == (3, 3)
    assert tables(w) == before
    import flows.pipeline

    monkeypatch.setattr(flows.pipeline, "pipeline_version", lambda: "changed-extractor")
    reprocessed = run_pipeline(seeds3, w)
    assert (reprocessed.files_new, reprocessed.reports_landed) == (3, 3)
    assert query(w, "select distinct pipeline_version from reports") == [("changed-extractor",)]
    assert tables(w, drop=("pipeline_version",)) == {t: rows for t, rows in tables_before_version.items()}


def test_path_filter_keeps_the_rest(prefect_server, seeds3, tmp_path):
    w = tmp_path / "w"
    run_pipeline(seeds3, w)
    before = tables(w)
    name = sorted(os.listdir(seeds3))[2]
    only = run_pipeline(seeds3, w, path_filter=name, full_refresh=True)
    assert (only.files_seen, only.files_new) == (1, 1)
    assert tables(w) == before


def _state_after(planned, version: str) -> list[dict]:
    """The `sources` rows a commit writes when every planned file lands (see flows/pipeline.py)."""
    rows = list(planned.carried)
    for ref in planned.todo:
        rows.append({"source_path": ref.source_path, "sha256": ref.sha256, "size": ref.size,
                     "mtime_ns": ref.mtime_ns, "report_id": ref.sha256[:16], "status": "landed",
                     "pipeline_version": version, "run_id": "r"})
    for ref, q in planned.settled:
        rows.append({"source_path": ref.source_path, "sha256": ref.sha256, "size": ref.size,
                     "mtime_ns": ref.mtime_ns, "report_id": None,
                     "status": "duplicate" if q.reason == "duplicate" else "quarantined",
                     "pipeline_version": version, "run_id": "r"})
    return rows


def test_plan_carries_a_duplicate_until_its_original_changes(tmp_path):
    from flows.sources import plan

    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("a.txt", "b.txt"):
        (raw / name).write_text("本报告由测试编写，内容相同。", encoding="utf-8")
    first = plan(raw, [], "v1", False, None)
    assert [r.source_path for r in first.todo] == ["a.txt"]
    assert [(r.source_path, q.reason) for r, q in first.settled] == [("b.txt", "duplicate")]
    again = plan(raw, _state_after(first, "v1"), "v1", False, None)
    assert (again.todo, again.settled, len(again.carried)) == ([], [], 2)
    (raw / "a.txt").write_text("本报告由测试编写，已经修改。", encoding="utf-8")
    changed = plan(raw, _state_after(first, "v1"), "v1", False, None)
    assert sorted(r.source_path for r in changed.todo) == ["a.txt", "b.txt"]  # the copy is now the only one
    assert changed.drop_reports == {next(r.sha256[:16] for r in first.todo)}
