"""The pipeline flow: plan, then one task per batch through the stages, then one atomic commit."""
from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows import batch as stages
from flows.artifacts import publish
from flows.data_docs import data_docs_task
from flows.report import report_task
from flows.settings import Limits, RunParams
from flows.sources import FileRef, Plan, plan, report_id
from flows.version import pipeline_version
from stages.records import Doc, Quarantined
from stages.rows import quarantine_row
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
    held: list[tuple[str, str, str, str]] = field(default_factory=list)  # path, stage, reason, detail
    failed_expectations: dict[str, int] = field(default_factory=dict)  # suite.expectation -> batches
    copies: int = 0  # byte-identical copies of landed reports, landed beside them
    workers: int = 1  # processes that ran the batches (2 on a local cluster)


@task(name="plan")
def plan_task(params: RunParams, version: str) -> Plan:
    wh = Warehouse(params.warehouse_dir)
    state = wh.read("sources").to_pylist()
    held = {r["source_path"]: r["reason"] for r in wh.read("quarantine", ["source_path", "reason"]).to_pylist()}
    return plan(params.raw_dir.resolve(), state, version, params.full_refresh, params.path_filter, held)


# One task per stage per batch (never per document): ingest -> cleanup -> sections -> metrics ->
# quality. Each stage also times itself (Batch.seconds: the run's timings artifact). The quality
# task stages the checked batch's rows for the commit. A batch is large (its documents' text,
# sections and metrics): Prefect must not hash it for a cache key (NO_CACHE: results are never
# cached), which for 1,000 documents takes seconds (see also flows.batch.Batch).
@task(name="ingest", cache_policy=NO_CACHE)
def ingest_task(batch: stages.Batch, raw_dir: Path, limits: Limits) -> stages.Batch:
    return stages.ingest_batch(batch, raw_dir, limits)


@task(name="cleanup", cache_policy=NO_CACHE)
def cleanup_task(batch: stages.Batch) -> stages.Batch:
    return stages.cleanup_batch(batch)


@task(name="sections", cache_policy=NO_CACHE)
def sections_task(batch: stages.Batch) -> stages.Batch:
    return stages.sections_batch(batch)


@task(name="metrics", cache_policy=NO_CACHE)
def metrics_task(batch: stages.Batch) -> stages.Batch:
    return stages.metrics_batch(batch)


@task(name="quality", cache_policy=NO_CACHE)
def quality_task(batch: stages.Batch, warehouse_dir: Path, run_id: str, version: str) -> stages.Batch:
    return stage_batch(stages.quality_batch(batch, run_id, version), warehouse_dir, run_id)


def stage_batch(batch: stages.Batch, warehouse_dir: Path, run_id: str) -> stages.Batch:
    """Write the batch's rows into the run's staging folder; keep only what the commit needs."""
    started = time.perf_counter()
    wh = Warehouse(warehouse_dir)
    part = f"{batch.index:06d}"
    for table, rows in (batch.frames | batch.rows).items():  # built once by the quality stage
        wh.stage(run_id, table, part, rows)
    wh.stage(run_id, "quality_results", part, [{"run_id": run_id, **vars_of(q)} for q in batch.quality])
    batch.rows, batch.frames, batch.refs = {}, {}, []
    for doc in batch.docs:  # the text is landed; the commit needs only ids and paths
        doc.extracted = doc.cleaned = None
        doc.sections, doc.metrics, doc.terms = [], [], []
    batch.seconds["stage"] = time.perf_counter() - started
    return batch


def vars_of(obj) -> dict:
    return {name: getattr(obj, name) for name in obj.__slots__}


def new_run_id() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)


# From this many files to process, a run without dask_address starts a local cluster: both cores work,
# and a cluster's start (a few seconds) is small beside the work. Smaller runs (tests, nightly) stay in
# the flow's threads. On such a cluster a batch holds files / 10 (200 to 1000), unless batch_size was set:
# five batches or more per worker, few enough that per-batch costs (the parser sandbox's start,
# Great Expectations' suites, task runs) stay small.
AUTO_CLUSTER_FILES = 2000
THREADS = "threads"  # dask_address that keeps every run in the flow's threads


def placement(params: RunParams, files: int) -> tuple[str | None, int]:
    """(Dask address or None for the flow's threads, files per batch) for a run over `files` files."""
    address = params.dask_address
    if address is None and files >= AUTO_CLUSTER_FILES:
        address = "local"
    if address == THREADS:
        address = None
    size = params.batch_size
    if address == "local" and "batch_size" not in params.model_fields_set:
        size = min(1000, max(size, files // 10))
    return address, size


# loopback only: the scheduler and its dashboard (on a free port) are not reachable from other machines
LOCAL_CLUSTER = {"n_workers": 2, "threads_per_worker": 1, "processes": True, "host": "127.0.0.1",
                 "dashboard_address": "127.0.0.1:0"}
# A local cluster's worker processes fork from one server process that imported these once, instead of
# each importing them after a fresh start (Prefect, pandas, the stages and Great Expectations: ~4 s of
# CPU per process on this machine). A worker the nanny restarts forks from it too.
WORKER_PRELOAD = ["distributed", "flows.pipeline", "great_expectations"]


@contextmanager
def batch_runner(dask_address: str | None) -> Iterator[Callable]:
    """How batch tasks are submitted: to the flow's own task runner, or to Dask through prefect-dask.

    dask_address: a scheduler's address (tcp://host:8786), or "local" for a LocalCluster of two worker
    processes started for this run. Workers must see raw_dir and warehouse_dir at the same paths.
    """
    if not dask_address:
        yield lambda task, **parameters: task.submit(**parameters)
        return
    from prefect_dask import DaskTaskRunner

    local = dask_address == "local"
    runner = (DaskTaskRunner(cluster_class="distributed.LocalCluster",
                             cluster_kwargs={**LOCAL_CLUSTER, "env": _worker_env()})
              if local else DaskTaskRunner(address=dask_address))
    with _forked_workers() if local else nullcontext(), runner:
        yield lambda task, **parameters: runner.submit(task, parameters)


@contextmanager
def _forked_workers() -> Iterator[None]:
    """Worker processes started meanwhile fork from a forkserver that preloaded WORKER_PRELOAD."""
    import dask
    from distributed.utils import get_mp_context

    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
        get_mp_context().set_forkserver_preload(WORKER_PRELOAD)  # after distributed sets its own list
        yield


def _worker_env() -> dict[str, str]:
    """PREFECT_API_URL for local worker processes: the flow's API, or the temporary server it runs on.

    Handed to each worker explicitly: the workers fork from a forkserver that kept the environment it
    started with (perhaps an earlier run's). Without it a worker would start a temporary server of its
    own (12–24 s and ~200 MB each, STACK.md) and record its task runs there, out of the flow run's sight.
    """
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL

    url, server = PREFECT_API_URL.value(), SubprocessASGIServer()
    if not url and server.running:
        url = server.api_url
    return {"PREFECT_API_URL": url} if url else {}


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
        planned = time.perf_counter()
        todo = plan_task(params, version)
        planned = time.perf_counter() - planned
        address, size = placement(params, len(todo.todo))
        n_batches = -(-len(todo.todo) // size)
        logger.info("run %s: %d files seen, %d to process in %d batches%s", run_id, todo.seen, len(todo.todo),
                    n_batches, f" on Dask ({address})" if address else "")
        batches = []
        with batch_runner(address) as submit:
            futures = []
            for i in range(0, len(todo.todo), size):
                batch = submit(ingest_task, batch=stages.Batch(i // size, todo.todo[i:i + size]), raw_dir=raw_dir,
                               limits=params.limits)
                for stage_task in (cleanup_task, sections_task, metrics_task):
                    batch = submit(stage_task, batch=batch)
                futures.append(submit(quality_task, batch=batch, warehouse_dir=params.warehouse_dir,
                                      run_id=run_id, version=version))
            done_files = 0
            for future in futures:
                done = future.result()
                batches.append(done)
                done_files += len(done.docs) + len(done.quarantined)
                logger.info("batch %d/%d: %d landed, %d quarantined (%d/%d files done)", done.index + 1,
                            n_batches, len(done.docs), len(done.quarantined), done_files, len(todo.todo))
        summary = _commit(wh, todo, batches, run_id, version, started, flow_run.get_id() or "")
        # side by side in the flow's threads: Great Expectations renders in Python while DuckDB, which
        # releases the GIL, computes the report page's marts
        docs = data_docs_task.submit(params.warehouse_dir, run_id, {b.index: b.validations for b in batches})
        page = report_task.submit(params.warehouse_dir)
        docs, page = docs.result(), page.result()
        summary.seconds["plan"] = planned
        summary.workers = LOCAL_CLUSTER["n_workers"] if address == "local" else 1
    logger.info("run %s: %d reports landed, %d quarantined", run_id, summary.reports_landed, summary.quarantined)
    publish(summary, {"fazhi-report": page, "fazhi-data-docs": docs})
    return summary


def _copies_of_landed(todo: Plan, landed: list[Doc], held: list[tuple[FileRef | Doc, Quarantined]]):
    """Split the byte-identical copies whose original landed from the files that stay quarantined.

    A copy of a landed report is one report under two names: it lands as a `reports` row that points
    to its original (duplicate_of). A copy of a file that did not land is held with it.
    """
    landed_ids = {d.report_id for d in landed} | {r["report_id"] for r in todo.carried if r["status"] == "landed"}
    originals = {r.sha256: r.source_path for r in todo.todo}
    copies, rest = [], []
    for ref, q in held:
        if q.reason != "duplicate":
            rest.append((ref, q))
        elif report_id(q.sha256) in landed_ids:
            copies.append((ref, q))
        else:
            rest.append((ref, Quarantined(
                q.source_path, q.sha256, q.stage, "duplicate",
                f"the same bytes as {originals.get(q.sha256, 'another file')}, which did not land: "
                "see that file's quarantine row; once it lands, this copy lands with it")))
    return copies, rest


def _commit(wh: Warehouse, todo: Plan, batches: list[stages.Batch], run_id: str, version: str,
            started: dt.datetime, flow_run_id: str) -> RunSummary:
    """Swap in the next snapshot: staged rows, rewritten quarantine and sources, one runs row."""
    now = dt.datetime.now(dt.timezone.utc)
    landed: list[Doc] = [d for b in batches for d in b.docs]
    quarantined: list[tuple[FileRef | Doc, Quarantined]] = list(todo.settled) + [q for b in batches for q in b.quarantined]
    copies, quarantined = _copies_of_landed(todo, landed, quarantined)
    mtimes = {r.source_path: r.mtime_ns for r in todo.todo} | {r.source_path: r.mtime_ns for r, _ in todo.settled}
    sources = list(todo.carried)
    for doc in landed:
        sources.append({"source_path": doc.source_path, "sha256": doc.sha256, "size": doc.size,
                        "mtime_ns": mtimes[doc.source_path], "report_id": doc.report_id,
                        "status": "landed", "pipeline_version": version, "run_id": run_id})
    for ref, q in copies:  # shown in `reports` beside the file they copy (warehouse/views.sql)
        sources.append({"source_path": q.source_path, "sha256": q.sha256, "size": ref.size,
                        "mtime_ns": mtimes.get(q.source_path, -1), "report_id": report_id(q.sha256),
                        "status": "duplicate", "pipeline_version": version, "run_id": run_id})
    for ref, q in quarantined:
        status = "duplicate" if q.reason == "duplicate" else "quarantined"
        retry = q.reason in ("vanished", "changed_during_run")  # transient: the next run tries again
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
                         reasons, sum(1 for b in batches for q in b.quality if not q.success), seconds,
                         held=[(q.source_path, q.stage, q.reason, q.detail) for _, q in quarantined],
                         copies=len(copies))
    for q in (q for b in batches for q in b.quality if not q.success):
        name = f"{q.suite}.{q.expectation}" + (f"({q.column})" if q.column else "")
        summary.failed_expectations[name] = summary.failed_expectations.get(name, 0) + 1
    wh.stage(run_id, "runs", "run", [{
        "run_id": run_id, "flow_run_id": flow_run_id, "started_at": started,
        "finished_at": dt.datetime.now(dt.timezone.utc), "files_seen": summary.files_seen,
        "files_new": summary.files_new, "reports_landed": summary.reports_landed,
        "quarantined": summary.quarantined, "status": summary.status, "pipeline_version": version}])
    committed = time.perf_counter()
    wh.commit(run_id, todo.drop_reports, {
        "sources": pa.Table.from_pylist(sources, schema=SCHEMAS["sources"]),
        "quarantine": to_table("quarantine", new_quarantine),
    })
    summary.seconds["commit"] = time.perf_counter() - committed
    return summary
