"""`fazhi bench`: build a corpus, run the real flow over it, and compare with the machine's limit.

Figures on the final BENCH line (MB = 10^6 bytes of raw files):
  seconds              wall time of the flow call (`fazhi_run`), from the call to its return: plan,
                       batches, commit, views, Data Docs, and Prefect's start-up when this process has
                       to start its temporary server (no PREFECT_API_URL).
  reports_per_s        files processed / seconds.
  mb_per_s             raw bytes processed / seconds.
  peak_rss_mb          the largest sum of resident memory over this process and all its descendants
                       (task workers, parser sandboxes, Prefect's server), sampled every 0.2 s. Shared
                       pages count once per process, so this over-states rather than under-states.
  orchestration_share  1 - work / (seconds × workers), where work is the time spent inside the stage
                       functions (ingest, cleanup, sections, metrics, quality, stage, summed over all
                       batches and workers, as the batches time themselves) plus plan and commit, and
                       workers is the number of processes that run batches (1 in the flow's own
                       threads, 2 on a local Dask cluster). It is the share of the machine's available
                       worker time spent on anything else: Prefect, moving batches between processes,
                       start-up, Data Docs, idle workers.
  limit_mb_per_s       bench.limit over the same corpus (all of it up to --limit-files files, else a
                       uniform sample of that many) in this process, once before the run and once after
                       it: the mean of the two. The host's speed drifts by 10-40 % within minutes on a
                       shared machine; measuring on both sides of the run keeps one lucky or unlucky
                       moment from deciding the ratio (both figures are printed).
  limit_ratio          mb_per_s / limit_mb_per_s.

--nightly then adds 1 % new files to the landed corpus and times a second run: a NIGHTLY line. It
runs in this process, so Prefect is already up, as it is for `fazhi serve`'s scheduled runs; and in
the flow's own threads, never on a cluster: 1 % is a batch or two, less work than starting workers.
"""
from __future__ import annotations

import random
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from bench import limit
from bench.corpus import Corpus, ensure_corpus

STAGES = ("plan", "ingest", "cleanup", "sections", "metrics", "quality", "stage", "commit")
BATCH_STAGES = ("ingest", "cleanup", "sections", "metrics", "quality", "stage")


class PeakRss:
    """Samples the resident memory of this process tree in a background thread."""

    def __init__(self, interval: float = 0.2):
        self.interval, self.peak = interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        me = psutil.Process()
        while True:
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            if self._stop.wait(self.interval):
                return


@dataclass
class Timed:
    seconds: float
    files: int
    mb: float
    landed: int
    quarantined: int
    stage_seconds: dict[str, float]
    peak_rss_mb: float
    workers: int

    @property
    def orchestration_share(self) -> float:
        work = sum(self.stage_seconds.get(s, 0.0) for s in STAGES)
        return max(0.0, 1 - work / (self.seconds * self.workers))


def run_flow(raw: Path, warehouse: Path, batch_size: int | None, dask_address: str | None) -> Timed:
    from flows.pipeline import fazhi_run
    from flows.settings import RunParams

    params = RunParams(raw_dir=raw, warehouse_dir=warehouse, dask_address=dask_address,
                       **({"batch_size": batch_size} if batch_size else {}))
    with PeakRss() as rss:
        started = time.perf_counter()
        summary = fazhi_run(params)
        seconds = time.perf_counter() - started
    processed = summary.files_new
    mb = sum(f.stat().st_size for f in _processed_paths(raw, warehouse, summary.run_id)) / 1e6
    return Timed(seconds, processed, mb, summary.reports_landed, summary.quarantined, summary.seconds,
                 rss.peak / 1e6, summary.workers)


def _processed_paths(raw: Path, warehouse: Path, run_id: str) -> list[Path]:
    """The raw files this run processed, from the sources table it landed."""
    from warehouse.store import Warehouse

    rows = Warehouse(warehouse).read("sources", ["source_path", "run_id"]).to_pylist()
    return [raw / r["source_path"] for r in rows if r["run_id"] == run_id]


def bench(n: int, workdir: Path | None, batch_size: int | None, dask_address: str | None, nightly: bool,
          limit_files: int, out=print) -> dict:
    own = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="fazhi-bench-")) if own else workdir
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        raw, files, built = ensure_corpus(workdir, n)
        mb = sum(f.size for f in files) / 1e6
        out(f"corpus: {n} reports, {mb:.1f} MB in {raw}" + (f" (built in {built:.1f} s)" if built else " (reused)"))
        sample = [f.path for f in files]
        if len(sample) > limit_files:
            sample = random.Random(0).sample(sample, limit_files)
        before = _limit(raw, sample, "before the run", out)
        warehouse = workdir / "warehouse"
        shutil.rmtree(warehouse, ignore_errors=True)
        timed = run_flow(raw, warehouse, batch_size, dask_address)
        _print_stages(timed, out)
        limit_mb_s = (before + _limit(raw, sample, "after the run", out)) / 2
        line = (f"BENCH reports={n} seconds={timed.seconds:.1f} reports_per_s={timed.files / timed.seconds:.1f} "
                f"mb_per_s={timed.mb / timed.seconds:.2f} peak_rss_mb={timed.peak_rss_mb:.0f} "
                f"orchestration_share={timed.orchestration_share:.2f} limit_mb_per_s={limit_mb_s:.2f} "
                f"limit_ratio={timed.mb / timed.seconds / limit_mb_s:.2f}")
        result = {"bench": line}
        if nightly:
            extra = max(1, n // 100)
            added = Corpus(raw).build(n, n + extra)
            try:
                again = run_flow(raw, warehouse, batch_size, "threads")
            finally:  # the corpus on disk stays the one its manifest names
                for f in added:
                    (raw / f.path).unlink()
            _print_stages(again, out)
            result["nightly"] = (f"NIGHTLY reports={n} new={extra} seconds={again.seconds:.1f} "
                                 f"processed={again.files} landed={again.landed} peak_rss_mb={again.peak_rss_mb:.0f}")
            out(line)
            out(result["nightly"])
        else:
            out(line)
        return result
    finally:
        if own:
            shutil.rmtree(workdir, ignore_errors=True)


def _limit(raw: Path, sample: list[str], when: str, out) -> float:
    mb_per_s, total, seconds = limit.measure(raw, sample)
    out(f"limit {when}: {len(sample)} files, {total / 1e6:.1f} MB in {seconds:.1f} s = {mb_per_s:.2f} MB/s")
    return mb_per_s


def _print_stages(timed: Timed, out) -> None:
    out(f"run: {timed.files} files processed ({timed.mb:.1f} MB), {timed.landed} landed, "
        f"{timed.quarantined} quarantined, {timed.workers} worker process(es)")
    for stage in STAGES:
        out(f"  {stage:<9} {timed.stage_seconds.get(stage, 0.0):8.1f} s")
    out(f"  {'wall':<9} {timed.seconds:8.1f} s")
