"""Quality checks: Great Expectations suites over a batch's frames, severities applied per report.

A suite is GX JSON (see expectations/): its name is the frame it checks (a landed table, or a frame of
stages/invariants.py), and each expectation carries a GX `severity`: `critical` (severity `fail`: the
offending reports are quarantined) or `warning` (`warn`: recorded only), and a `meta.name` that
quality_results and quarantine details use. GX's own `success` ignores severity (STACK.md), so the
severity is applied here.

GX is imported lazily (4–6 s) and runs in one context per process, behind a lock: one context shared
by threads that validate at once mixes results up (STACK.md), and Prefect runs tasks in threads.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

SEVERITY = {"critical": "fail", "warning": "warn", "info": "warn"}
LOCK = threading.RLock()
MAX_DETAIL_IDS = 20
MAX_SHOWN_CHARS = 120
RESULT_FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": ["report_id"]}
FULL_LISTS = ("unexpected_list", "unexpected_index_list", "unexpected_index_query")  # not kept for Data Docs


class SuiteError(ValueError):
    """A committed suite that GX cannot build (an unknown expectation type or bad arguments)."""


@dataclass(slots=True)
class QualityResult:
    suite: str
    expectation: str
    column: str | None
    success: bool
    unexpected_count: int
    severity: str
    details: str


@dataclass(slots=True)
class Outcome:
    """What validating one batch gives: a result per expectation, the reports to quarantine, and the
    GX validation results (JSON, shortened) for Data Docs."""

    results: list[QualityResult] = field(default_factory=list)
    failing: dict[str, str] = field(default_factory=dict)  # report_id -> detail naming the expectations
    documents: list[dict] = field(default_factory=list)


@lru_cache(maxsize=1)
def context():
    """The process's one ephemeral GX context, progress bars off."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    return ctx


@lru_cache(maxsize=1)
def _source():
    return context().data_sources.add_pandas("fazhi")


@lru_cache(maxsize=None)
def _batch_definition(table: str):
    return _source().add_dataframe_asset(table).add_batch_definition_whole_dataframe("whole")


def build_suite(spec: dict):
    """A GX suite from its committed JSON; refuses what GX would silently drop (it logs and skips)."""
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    suite = gx.ExpectationSuite(name=spec["name"])
    for exp in spec["expectations"]:
        try:
            suite.add_expectation_configuration(ExpectationConfiguration(**exp))
        except Exception as exc:
            raise SuiteError(f"suite {spec['name']}: cannot build {exp.get('type')} "
                             f"({exp.get('meta', {}).get('name')}): {exc}") from exc
    if len(suite.expectations) != len(spec["expectations"]):  # GX merges an expectation into an equal one
        raise SuiteError(f"suite {spec['name']}: {len(spec['expectations'])} expectations given, "
                         f"{len(suite.expectations)} kept; two of them check the same thing")
    return suite


def _run_suite(table: str, frame: pd.DataFrame, suite):
    """GX's validation of `frame` by `suite`, each unexpected row named by its report_id.

    The Validator that Batch.validate builds, without getting the Batch first: each get_batch
    fingerprints the whole frame (a hash of every value).
    """
    from great_expectations.validator.v1_validator import Validator

    return Validator(_batch_definition(table), RESULT_FORMAT, {"dataframe": frame}).validate_expectation_suite(suite)


def check_name(config) -> str:
    """The name an expectation goes by: its `meta.name`, else its GX type."""
    return (config.meta or {}).get("name") or config.type


def validate(frames: dict[str, pd.DataFrame], suites: list[dict]) -> Outcome:
    """Run each suite on the frame of the same name (frames without rows are skipped).

    Every report that breaks a `critical` expectation gets a detail naming each one it broke.
    """
    outcome = Outcome()
    broken: dict[str, list[str]] = {}
    with LOCK:
        for spec in suites:
            frame = frames.get(spec["name"])
            if frame is None or frame.empty:
                continue
            validation = _run_suite(spec["name"], frame, build_suite(spec))
            for r in validation.results:
                result = _result(spec["name"], r)
                outcome.results.append(result)
                if result.severity == "fail" and not result.success:
                    where = f"{spec['name']}.{result.expectation}"
                    for row in r.result.get("unexpected_index_list") or []:
                        shown = {k: _short(v) for k, v in row.items() if k != "report_id"}
                        why = f" ({r.expectation_config.notes})" if r.expectation_config.notes else ""
                        broken.setdefault(str(row["report_id"]), []).append(f"{where}{why} {shown}")
                for key in FULL_LISTS:  # used; dropped before the results are copied into JSON
                    r.result.pop(key, None)
            outcome.documents.append(_for_docs(validation.to_json_dict()))
    outcome.failing = {rid: "failed expectation " + "; ".join(names) + "; check these figures in the file: "
                       "correct the file if they are wrong there, or report the misreading to the fazhi "
                       "developers if the file is right" for rid, names in broken.items()}
    return outcome


def _result(suite: str, r) -> QualityResult:
    cfg = r.expectation_config
    severity = SEVERITY.get(str(getattr(cfg.severity, "value", cfg.severity)), "fail")
    column = cfg.kwargs.get("column") or cfg.kwargs.get("column_A")
    crashed = bool(r.exception_info and r.exception_info.get("raised_exception"))
    unexpected = r.result.get("unexpected_index_list") or []
    count = int(r.result.get("unexpected_count") or len(unexpected))
    if crashed:
        details = f"{cfg.type} raised: {r.exception_info.get('exception_message')}"
    else:
        ids = sorted({str(u["report_id"]) for u in unexpected})
        details = f"{cfg.type}" + (f"; reports: {', '.join(ids[:MAX_DETAIL_IDS])}" if ids else "")
    # an expectation that crashed did not check anything: never a success
    return QualityResult(suite, check_name(cfg), column, bool(r.success) and not crashed, count, severity, details)


def _short(value):
    """A value as a detail or a docs page shows it: long texts cut (a report's whole text is no use there)."""
    if isinstance(value, str) and len(value) > MAX_SHOWN_CHARS:
        return value[:MAX_SHOWN_CHARS] + "…"
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _for_docs(doc: dict) -> dict:
    """A validation result (its full lists dropped) kept for Data Docs: unexpected values shortened."""
    for r in doc.get("results", []):
        result = r.get("result") or {}
        for key in ("partial_unexpected_list", "partial_unexpected_index_list"):
            if key in result:
                result[key] = [_short(v) if not isinstance(v, dict) else {k: _short(x) for k, x in v.items()}
                               for v in result[key]]
        if "partial_unexpected_counts" in result:
            result["partial_unexpected_counts"] = [{**c, "value": _short(c.get("value"))}
                                                   for c in result["partial_unexpected_counts"]]
    return doc
