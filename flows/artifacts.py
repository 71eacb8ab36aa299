"""What a run tells the Prefect UI: a markdown summary and a table of per-stage timings.

The texts are built by plain functions (tested without Prefect); `publish` sends them as artifacts
of the current flow run.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flows.pipeline import RunSummary

SUMMARY_KEY = "fazhi-run-summary"
TIMINGS_KEY = "fazhi-stage-timings"
LISTED = 50  # quarantined files and failed expectations listed by name; the rest are counted


def _cell(text: str) -> str:
    """Text made safe for one markdown table cell.

    >>> _cell("a|b\\nc")
    'a\\\\|b c'
    """
    return text.replace("|", "\\|").replace("\n", " ")


def summary_markdown(summary: RunSummary) -> str:
    """The run's outcome for a person: counts first, then what was held back and why."""
    lines = [
        f"# fazhi run `{summary.run_id}`: {summary.status}",
        "",
        "| files seen | new or changed | reports landed | quarantined | quality failures |",
        "| ---: | ---: | ---: | ---: | ---: |",
        f"| {summary.files_seen} | {summary.files_new} | {summary.reports_landed} | {summary.quarantined} "
        f"| {summary.quality_failures} |",
    ]
    if summary.copies:
        lines += ["", f"{summary.copies} byte-identical copies of landed reports landed beside them "
                      "(`reports.duplicate_of`)."]
    if summary.quarantine_reasons:
        lines += ["", "## Quarantined, by reason", "", "| reason | files |", "| --- | ---: |"]
        lines += [f"| {_cell(r)} | {n} |" for r, n in sorted(summary.quarantine_reasons.items())]
    if summary.held:
        lines += ["", "## Quarantined files", "", "| file | stage | reason | what to do |", "| --- | --- | --- | --- |"]
        lines += [f"| {_cell(p)} | {s} | {_cell(r)} | {_cell(d)} |" for p, s, r, d in summary.held[:LISTED]]
        if len(summary.held) > LISTED:
            lines.append(f"\n… and {len(summary.held) - LISTED} more: `select * from quarantine`")
    if summary.failed_expectations:
        lines += ["", "## Failed expectations", "", "| suite.expectation | batches |", "| --- | ---: |"]
        lines += [f"| {_cell(name)} | {n} |" for name, n in sorted(summary.failed_expectations.items())[:LISTED]]
    if not summary.files_new:
        lines += ["", "Nothing new or changed: the warehouse is unchanged but for this run's `runs` row."]
    return "\n".join(lines) + "\n"


def timings_rows(summary: RunSummary) -> list[dict]:
    """Seconds spent per stage, summed over batches (batches may run in parallel), in pipeline order.

    >>> from flows.pipeline import RunSummary
    >>> timings_rows(RunSummary("r", 3, 3, 3, 0, seconds={"metrics": 0.25, "ingest": 1.5}))
    [{'stage': 'ingest', 'seconds': 1.5, 'share': '86%'}, {'stage': 'metrics', 'seconds': 0.25, 'share': '14%'}]
    """
    order = ["plan", "ingest", "cleanup", "sections", "metrics", "quality", "stage", "commit"]
    total = sum(summary.seconds.values()) or 1.0
    stages = sorted(summary.seconds, key=lambda s: (order.index(s) if s in order else len(order), s))
    return [{"stage": s, "seconds": round(summary.seconds[s], 3), "share": f"{summary.seconds[s] / total:.0%}"}
            for s in stages]


def publish(summary: RunSummary, pages: dict[str, Path | None] | None = None) -> None:
    """Attach the summary, the timings and links to the run's pages (report, Data Docs) to the flow run."""
    from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

    for key, page in (pages or {}).items():
        if page is not None:
            create_link_artifact(key=key, link=Path(page).resolve().as_uri(), link_text=Path(page).name,
                                 description=f"{key} after fazhi run {summary.run_id}")

    create_markdown_artifact(key=SUMMARY_KEY, markdown=summary_markdown(summary),
                             description=f"fazhi run {summary.run_id}")
    create_table_artifact(key=TIMINGS_KEY, table=timings_rows(summary),
                          description=f"seconds per stage, fazhi run {summary.run_id}")
