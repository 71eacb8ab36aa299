"""The pipeline flow: plan, then batches through five stage tasks, then one atomic commit."""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
from prefect import flow, get_run_logger, task
from prefect.runtime import flow_run

from flows import batch as stages
from flows.settings import RunParams
from flows.sources import FileRef, Plan, plan, report_id
from flows.version import pipeline_version
from stages.records import Doc, Quarantined
from stages.rows import metric_rows, quarantine_row, report_row, section_rows
from warehouse.schema import SCHEMAS
from warehouse.store import Warehouse, to_table


@dataclass
class RunSummary:
    run_id: str
    files_seen: int
    files_new: int
    reports_landed: int
    quarantined: int
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    quality_failures: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    status: str = "completed"


@task(name="plan")
def plan_task(params: RunParams, version: str) -> Plan:
    state = Warehouse(params.warehouse_dir).read("sources").to_pylist()
    return plan(params.raw_dir.resolve(), state, version, params.full_refresh, params.path_filter)


@task(name="ingest")
def ingest_task(index: int, raw_dir: Path, refs: list[FileRef], max_bytes: int) -> stages.Batch:
    return stages.ingest_batch(index, raw_dir, refs, max_bytes)


@task(name="cleanup")
def cleanup_task(batch: stages.Batch) -> stages.Batch:
    return stages.cleanup_batch(batch)


@task(name="sections")
def sections_task(batch: stages.Batch) -> stages.Batch:
    return stages.sections_batch(batch)


@task(name="metrics")
def metrics_task(batch: stages.Batch) -> stages.Batch:
    return stages.metrics_batch(batch)


@task(name="quality")
def quality_task(batch: stages.Batch, run_id: str, version: str) -> stages.Batch:
    return stages.quality_batch(batch, run_id, version)


@task(name="stage-batch")
def stage_task(batch: stages.Batch, warehouse_dir: Path, run_id: str, version: str) -> stages.Batch:
    """Write the batch's rows into the run's staging folder; keep only what the commit needs."""
    wh = Warehouse(warehouse_dir)
    part = f"{batch.index:06d}"
    wh.stage(run_id, "reports", part, [report_row(d, run_id, version) for d in batch.docs])
    wh.stage(run_id, "sections", part, [r for d in batch.docs for r in section_rows(d)])
    wh.stage(run_id, "metrics", part, [r for d in batch.docs for r in metric_rows(d)])
    wh.stage(run_id, "quality_results", part, [{"run_id": run_id, **vars_of(q)} for q in batch.quality])
    for doc in batch.docs:  # the text is landed; the commit needs only ids and paths
        doc.extracted = doc.cleaned = None
        doc.sections, doc.metrics = [], []
    return batch


def vars_of(obj) -> dict:
    return {name: getattr(obj, name) for name in obj.__slots__}


def new_run_id() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)


@flow(name="fazhi-run", log_prints=True)
def fazhi_run(params: RunParams) -> RunSummary:
    """One run over every file below raw_dir: new or changed files are processed, the rest skipped."""
    logger = get_run_logger()
    started = dt.datetime.now(dt.timezone.utc)
    run_id, version = new_run_id(), pipeline_version()
    raw_dir = params.raw_dir.resolve()
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder {raw_dir} does not exist")
    wh = Warehouse(params.warehouse_dir)
    with wh.lock():
        wh.discard_staging()
        todo = plan_task(params, version)
        logger.info("run %s: %d files seen, %d to process", run_id, todo.seen, len(todo.todo))
        futures = []
        for i in range(0, len(todo.todo), params.batch_size):
            refs = todo.todo[i:i + params.batch_size]
            b = ingest_task.submit(i // params.batch_size, raw_dir, refs, int(params.limits.max_file_mb * 1e6))
            b = cleanup_task.submit(b)
            b = sections_task.submit(b)
            b = metrics_task.submit(b)
            b = quality_task.submit(b, run_id, version)
            futures.append(stage_task.submit(b, params.warehouse_dir, run_id, version))
        batches = []
        for future in futures:
            done = future.result()
            batches.append(done)
            logger.info("batch %d: %d landed, %d quarantined", done.index, len(done.docs), len(done.quarantined))
        summary = _commit(wh, todo, batches, run_id, version, started, flow_run.get_id() or "")
    wh.ensure_views()
    logger.info("run %s: %d reports landed, %d quarantined", run_id, summary.reports_landed, summary.quarantined)
    return summary


def _commit(wh: Warehouse, todo: Plan, batches: list[stages.Batch], run_id: str, version: str,
            started: dt.datetime, flow_run_id: str) -> RunSummary:
    """Swap in the next snapshot: staged rows, rewritten quarantine and sources, one runs row."""
    now = dt.datetime.now(dt.timezone.utc)
    landed: list[Doc] = [d for b in batches for d in b.docs]
    quarantined: list[tuple[FileRef | Doc, Quarantined]] = list(todo.settled) + [q for b in batches for q in b.quarantined]
    mtimes = {r.source_path: r.mtime_ns for r in todo.todo} | {r.source_path: r.mtime_ns for r, _ in todo.settled}
    sources = list(todo.carried)
    for doc in landed:
        sources.append({"source_path": doc.source_path, "sha256": doc.sha256, "size": doc.size,
                        "mtime_ns": mtimes[doc.source_path], "report_id": doc.report_id,
                        "status": "landed", "pipeline_version": version, "run_id": run_id})
    for ref, q in quarantined:
        status = "duplicate" if q.reason == "duplicate" else "quarantined"
        retry = q.reason in ("vanished", "changed_during_run", "stage_error")
        sources.append({"source_path": q.source_path, "sha256": q.sha256, "size": ref.size,
                        "mtime_ns": -1 if retry else mtimes.get(q.source_path, -1),
                        "report_id": report_id(q.sha256) if q.sha256 else None,
                        "status": status, "pipeline_version": version, "run_id": run_id})
    old_quarantine = [r for r in wh.read("quarantine").to_pylist() if r["source_path"] in todo.carried_quarantine]
    new_quarantine = old_quarantine + [quarantine_row(q, run_id, now) for _, q in quarantined]
    reasons: dict[str, int] = {}
    for _, q in quarantined:
        reasons[q.reason] = reasons.get(q.reason, 0) + 1
    seconds: dict[str, float] = {}
    for b in batches:
        for stage, s in b.seconds.items():
            seconds[stage] = seconds.get(stage, 0.0) + s
    summary = RunSummary(run_id, todo.seen, len(todo.todo) + len(todo.settled), len(landed), len(quarantined),
                         reasons, sum(1 for b in batches for q in b.quality if not q.success), seconds)
    wh.stage(run_id, "runs", "run", [{
        "run_id": run_id, "flow_run_id": flow_run_id, "started_at": started,
        "finished_at": dt.datetime.now(dt.timezone.utc), "files_seen": summary.files_seen,
        "files_new": summary.files_new, "reports_landed": summary.reports_landed,
        "quarantined": summary.quarantined, "status": summary.status, "pipeline_version": version}])
    wh.commit(run_id, todo.drop_reports, {
        "sources": pa.Table.from_pylist(sources, schema=SCHEMAS["sources"]),
        "quarantine": to_table("quarantine", new_quarantine),
    })
    return summary
