"""Quality checks: Great Expectations suites over a batch's tables, severities applied per report.

A suite is GX JSON (see expectations/): its name is the table it checks, and each expectation's GX
`severity` is `critical` (the offending reports are quarantined) or `warning` (recorded only).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

SEVERITY = {"critical": "fail", "warning": "warn", "info": "warn"}


@dataclass(slots=True)
class QualityResult:
    suite: str
    expectation: str
    column: str | None
    success: bool
    unexpected_count: int
    severity: str
    details: str


@lru_cache(maxsize=1)
def _batch_definitions():
    """One ephemeral GX context per process (GX is not thread-safe across contexts)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("fazhi")
    return source, {}


def _batch(table: str, frame: pd.DataFrame):
    source, definitions = _batch_definitions()
    if table not in definitions:
        definitions[table] = source.add_dataframe_asset(table).add_batch_definition_whole_dataframe("whole")
    return definitions[table].get_batch(batch_parameters={"dataframe": frame})


def validate(frames: dict[str, pd.DataFrame], suites: list[dict]) -> tuple[list[QualityResult], dict[str, str]]:
    """Run each suite on the frame of the same name.

    Returns the results and, for every report that broke a `critical` expectation, a sentence naming it.
    """
    import great_expectations as gx

    results: list[QualityResult] = []
    failing: dict[str, str] = {}
    for spec in suites:
        frame = frames.get(spec["name"])
        if frame is None or frame.empty:
            continue
        suite = gx.ExpectationSuite(name=spec["name"], expectations=spec["expectations"])
        outcome = _batch(spec["name"], frame).validate(
            suite, result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["report_id"]})
        for r in outcome.results:
            cfg = r.expectation_config
            severity = SEVERITY.get(str(getattr(cfg.severity, "value", cfg.severity)), "fail")
            column = cfg.kwargs.get("column") or cfg.kwargs.get("column_A")
            crashed = bool(r.exception_info and r.exception_info.get("raised_exception"))
            unexpected = r.result.get("unexpected_index_list") or []
            count = int(r.result.get("unexpected_count") or len(unexpected))
            details = (r.exception_info.get("exception_message") if crashed else
                       ", ".join(sorted({str(u["report_id"]) for u in unexpected})[:20]))
            results.append(QualityResult(spec["name"], cfg.type, column, bool(r.success), count, severity,
                                         details or ""))
            if severity == "fail" and not r.success:
                for u in unexpected:
                    failing.setdefault(str(u["report_id"]),
                                       f"failed {spec['name']}.{cfg.type}({column}): "
                                       f"{ {k: v for k, v in u.items() if k != 'report_id'} }")
    return results, failing
