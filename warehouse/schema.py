"""Arrow schemas of the landed tables: the contract's columns and types (CONTRACT.md)."""
from __future__ import annotations

import pyarrow as pa

S, INT, D = pa.string(), pa.int32(), pa.float64()

SCHEMAS: dict[str, pa.Schema] = {
    # one row per landed report
    "reports": pa.schema([
        ("report_id", S), ("source_path", S), ("source_format", S), ("source_encoding", S),
        ("repairs", pa.list_(S)), ("script", S), ("title", S), ("issuing_body", S), ("region", S),
        ("province", S), ("admin_level", S), ("report_year", INT), ("publish_date", pa.date32()),
        ("doc_number", S), ("text", S), ("n_chars", INT), ("page_meta", pa.map_(S, S)),
        ("header_meta", pa.map_(S, S)), ("run_id", S), ("pipeline_version", S),
    ]),
    # one row per heading of a report's outline
    "sections": pa.schema([
        ("report_id", S), ("section_id", S), ("parent_id", S), ("level", INT), ("marker", S),
        ("title", S), ("canonical", S), ("char_start", INT), ("char_end", INT),
    ]),
    # one row per stated quantity
    "metrics": pa.schema([
        ("report_id", S), ("section_id", S), ("sentence", S), ("surface", S), ("value", D), ("unit", S),
        ("approx", S), ("kind", S), ("subject", S), ("indicator", S), ("char_start", INT), ("char_end", INT),
    ]),
    # one row per top keyword of a report (rank 1 = highest TF-IDF weight; not in the contract)
    "terms": pa.schema([("report_id", S), ("term", S), ("weight", D), ("rank", INT)]),
    # one row per file under RAW_DIR that did not land
    "quarantine": pa.schema([
        ("source_path", S), ("sha256", S), ("stage", S), ("reason", S), ("detail", S), ("run_id", S),
        ("at", pa.timestamp("us", tz="UTC")),
    ]),
    # one row per flow run
    "runs": pa.schema([
        ("run_id", S), ("flow_run_id", S), ("started_at", pa.timestamp("us", tz="UTC")),
        ("finished_at", pa.timestamp("us", tz="UTC")), ("files_seen", INT), ("files_new", INT),
        ("reports_landed", INT), ("quarantined", INT), ("status", S), ("pipeline_version", S),
    ]),
    # one row per expectation evaluated on a batch
    "quality_results": pa.schema([
        ("run_id", S), ("suite", S), ("expectation", S), ("column", S), ("success", pa.bool_()),
        ("unexpected_count", INT), ("severity", S), ("details", S),
    ]),
    # one row per file seen under RAW_DIR: what the next run compares against (not in the contract)
    "sources": pa.schema([
        ("source_path", S), ("sha256", S), ("size", pa.int64()), ("mtime_ns", pa.int64()),
        ("report_id", S), ("status", S), ("pipeline_version", S), ("run_id", S),
    ]),
}

# Tables whose rows belong to one report: a re-processed report replaces its rows in these.
PER_REPORT = ("reports", "sections", "metrics", "terms")
