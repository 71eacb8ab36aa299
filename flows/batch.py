"""One batch of documents through the five stages: plain functions, each catching per-document faults.

A document that a stage rejects (or that breaks a stage) leaves the batch as a quarantine row naming
the stage; the rest of the batch goes on. flows/pipeline.py wraps each function in a Prefect task.
"""
from __future__ import annotations

import json
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from flows.isolation import Sandbox
from flows.settings import Limits
from flows.sources import FileRef, read_file, report_id
from stages import cleanup, genre, invariants, metadata, metrics, outline, quality
from stages.records import Doc, Extracted, Quarantined, Rejected
from stages.rows import metric_rows, report_row, section_rows, term_rows
from stages.terms import top_terms
from warehouse.schema import SCHEMAS

EXPECTATIONS = Path(__file__).resolve().parents[1] / "expectations"
FRAMED = ("reports", "sections", "metrics")  # the landed tables the quality suites check


class Batch:
    """The documents of one batch between stages, and what the stages found and took.

    A plain class, not a dataclass: Prefect walks through dataclasses (and lists, dicts, models) in a
    task's inputs looking for futures, and Dask hashes them for a key: for 1,000 documents that costs
    more CPU than a stage's work. So the files a batch reads come to its ingest task inside it too.
    """

    __slots__ = ("index", "refs", "docs", "quarantined", "quality", "validations", "seconds", "rows", "frames")

    def __init__(self, index: int, refs: list[FileRef]):
        self.index = index
        self.refs = refs  # the files it reads
        self.docs: list[Doc] = []
        self.quarantined: list[tuple[FileRef | Doc, Quarantined]] = []
        self.quality: list[quality.QualityResult] = []
        self.validations: list[dict] = []  # GX results (JSON) for Data Docs
        self.seconds: dict[str, float] = {}
        # what lands of the checked documents: the tables the checks framed as those frames, the rest as rows
        self.frames: dict[str, pd.DataFrame] = {}
        self.rows: dict[str, list[dict]] = {}


def _each(batch: Batch, stage: str, work: Callable[[Doc], None]) -> Batch:
    """Apply `work` to every document; move the ones it rejects or breaks on to quarantine."""
    started = time.perf_counter()
    kept = []
    for doc in batch.docs:
        try:
            work(doc)
            kept.append(doc)
        except Rejected as exc:
            batch.quarantined.append((doc, Quarantined(doc.source_path, doc.sha256, stage, exc.reason, exc.detail)))
        except Exception as exc:  # a bug or a pathological input must not take the batch down
            where = traceback.extract_tb(exc.__traceback__)[-1]
            batch.quarantined.append((doc, Quarantined(
                doc.source_path, doc.sha256, stage, "stage_error",
                f"{type(exc).__name__}: {exc} (at {Path(where.filename).name}:{where.lineno}); "
                "please report this file to the fazhi developers")))
    batch.docs = kept
    batch.seconds[stage] = batch.seconds.get(stage, 0.0) + time.perf_counter() - started
    return batch


def ingest_batch(batch: Batch, raw_dir: Path, limits: Limits) -> Batch:
    """Read and decode each file of the batch, parsers in a child process under the per-file time limit."""
    started = time.perf_counter()
    with Sandbox(limits.per_file_seconds, limits.max_parser_mb) as sandbox:
        for ref in batch.refs:
            doc = Doc(report_id(ref.sha256), ref.source_path, ref.sha256, ref.size)
            try:
                data = read_file(raw_dir, ref, int(limits.max_file_mb * 1e6))
                doc.extracted = Extracted(**sandbox.call("stages.safety:extract", ref.source_path, data,
                                                         int(limits.max_expanded_mb * 1e6),
                                                         int(limits.max_text_kchars * 1e3)))
                batch.docs.append(doc)
            except Rejected as exc:
                batch.quarantined.append((ref, Quarantined(ref.source_path, ref.sha256, "ingest", exc.reason,
                                                           exc.detail)))
            except Exception as exc:
                batch.quarantined.append((ref, Quarantined(ref.source_path, ref.sha256, "ingest", "stage_error",
                                                           f"{type(exc).__name__}: {exc}; please report this "
                                                           "file to the fazhi developers")))
    batch.seconds["ingest"] = time.perf_counter() - started
    return batch


def cleanup_batch(batch: Batch) -> Batch:
    def work(doc: Doc) -> None:
        doc.cleaned = cleanup.clean(doc.extracted.text)

    return _each(batch, "cleanup", work)


def sections_batch(batch: Batch) -> Batch:
    def work(doc: Doc) -> None:
        doc.meta = metadata.extract_metadata(doc.cleaned.text, doc.extracted.page_meta, doc.cleaned.header_meta)
        doc.sections = outline.parse_outline(doc.cleaned.text, doc.meta.report_year)
        if doc.cleaned.script == "traditional":
            outline.keep_script(doc.sections, doc.extracted.text)
        genre.check_report(doc.cleaned.text, doc.sections)

    return _each(batch, "sections", work)


def metrics_batch(batch: Batch) -> Batch:
    def work(doc: Doc) -> None:
        doc.metrics = metrics.extract_metrics(doc.cleaned.text, doc.sections)
        doc.terms = top_terms(doc.cleaned.text)

    return _each(batch, "metrics", work)


def load_suites() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXPECTATIONS.glob("*.json"))]


def _without(frame: pd.DataFrame, report_ids: dict[str, str]) -> pd.DataFrame:
    """The frame's rows of the other reports."""
    return frame[~frame["report_id"].isin(list(report_ids))] if report_ids else frame


def table_rows(docs: list[Doc], run_id: str, version: str) -> dict[str, list[dict]]:
    """The documents as rows of the per-report tables, built once for the checks and the landing."""
    return {"reports": [report_row(d, run_id, version) for d in docs],
            "sections": [r for d in docs for r in section_rows(d)],
            "metrics": [r for d in docs for r in metric_rows(d)],
            "terms": [r for d in docs for r in term_rows(d)]}


def quality_batch(batch: Batch, run_id: str, version: str) -> Batch:
    """Validate the batch's tables; reports that break a `critical` expectation go to quarantine."""
    started = time.perf_counter()
    batch.rows = table_rows(batch.docs, run_id, version)
    if batch.docs:
        # columns named up front (the landed schema's), so pandas need not collect every row's keys
        frames = {table: pd.DataFrame(batch.rows[table], columns=SCHEMAS[table].names) for table in FRAMED}
        outcome = quality.validate(invariants.derived_frames(frames), load_suites())
        batch.quality, failing, batch.validations = outcome.results, outcome.failing, outcome.documents
        kept = []
        for doc in batch.docs:
            if doc.report_id in failing:
                batch.quarantined.append((doc, Quarantined(doc.source_path, doc.sha256, "quality",
                                                           "failed_expectation", failing[doc.report_id])))
            else:
                kept.append(doc)
        batch.docs = kept
        batch.frames = {table: _without(frame, failing) for table, frame in frames.items()}
        batch.rows = {table: [r for r in rows if r["report_id"] not in failing]
                      for table, rows in batch.rows.items() if table not in FRAMED}
    batch.seconds["quality"] = time.perf_counter() - started
    return batch
