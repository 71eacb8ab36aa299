"""Frames the quality suites check besides the landed tables: per-report facts and arithmetic invariants.

A GX expectation looks at one row at a time, so what spans rows of a table (does a report have an
achievements part? does a sentence say more reconsideration cases were concluded than received?) is
first folded into one row per report (or per sentence) here; expectations/<frame>.json then checks these frames like any other.
"""
from __future__ import annotations

import re

import pandas as pd

from stages.fixes import han_count

# indicator keys (../shared/indicators.yaml) whose figures must not exceed another's within one report:
# (larger, smaller) — 审结 ≤ 受理, 纠错 ≤ 审结, 调解成功 ≤ 受理调解
BOUNDS = (
    ("admin_reconsideration_received", "admin_reconsideration_concluded"),
    ("admin_reconsideration_concluded", "admin_reconsideration_corrected"),
    ("mediation_disputes_accepted", "mediation_disputes_resolved"),
)
COUNTED_KEYS = sorted({key for pair in BOUNDS for key in pair})
PARTS = ("achievements", "problems", "leader_duty", "next_plan", "suggestions")


def _common(char: str) -> bool:
    """A Han character GB2312 encodes with a lead byte below 0xD8 (its common level)."""
    try:
        return char.encode("gb2312")[0] < 0xD8
    except UnicodeEncodeError:
        return False


# the other Han characters, counted in runs (findall builds one string per match): clean text has few
RARE_HAN_RUN = re.compile(f"[{''.join(c for c in map(chr, range(0x3400, 0xA000)) if not _common(c))}]+")


def rare_char_share(text: str) -> float:
    """Share of Han characters outside GB2312's common level (lead byte below 0xD8).

    Clean Chinese prose stays under 1 %; UTF-8 read as GBK (鍥藉 for 国家) or Big5 read as GBK is
    mostly rare characters, so a high share means the text is still mojibake.

    >>> rare_char_share("各级政府依法行政")
    0.0
    >>> rare_char_share("鍥藉娉曞緥") > 0.5
    True
    """
    han = han_count(text, extension_a=True)
    if not han:
        return 0.0
    return sum(map(len, RARE_HAN_RUN.findall(text))) / han


def han_share(text: str) -> float:
    """Share of Han characters among the text's non-space characters (low: not Chinese prose).

    >>> han_share("依法行政 2023")
    0.5
    >>> han_share("æ³•æ²»")
    0.0
    """
    visible = sum(map(len, text.split()))  # str.split() splits at what str.isspace() calls spaces
    if not visible:
        return 0.0
    return han_count(text, extension_a=True) / visible


def checked_reports(reports: pd.DataFrame) -> pd.DataFrame:
    """The reports frame plus the columns its suite checks: publish year and two text-health shares."""
    publish = pd.to_datetime(reports["publish_date"], errors="coerce")
    texts = reports["text"].tolist()  # the column's Python strings, made once for both shares
    return reports.assign(
        publish_year=publish.dt.year.astype("Int64"),
        report_year=reports["report_year"].astype("Int64"),
        rare_char_share=[rare_char_share(t) for t in texts],
        han_share=[han_share(t) for t in texts],
    )


def report_parts(reports: pd.DataFrame, sections: pd.DataFrame) -> pd.DataFrame:
    """One row per report: its number of headings and of top-level headings per required part."""
    frame = pd.DataFrame({"report_id": reports["report_id"]})
    counts = {part: {} for part in PARTS}
    n_sections: dict[str, int] = {}
    if not sections.empty:
        n_sections = sections.groupby("report_id").size().to_dict()
        top = sections[sections["level"] == 1]
        for (report_id, canonical), n in top.groupby(["report_id", "canonical"]).size().items():
            if canonical in counts:
                counts[canonical][report_id] = n
    frame["n_sections"] = frame["report_id"].map(n_sections).fillna(0).astype(int)
    for part in PARTS:
        frame[part] = frame["report_id"].map(counts[part]).fillna(0).astype(int)
    return frame


def report_invariants(reports: pd.DataFrame, metrics: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence that states a bounded indicator: its largest and smallest count of each.

    Only figures stated in one sentence are compared: they describe one population (受理…23件，
    已办结19件), while figures of different sentences often do not (纠纷 of one border area in one
    sentence, all disputes mediated in the county in another). A sentence may state an indicator
    twice (a total, then a part of it), so an invariant is broken only when even the smallest figure
    of the bounded indicator exceeds the largest of its bound: `<key>_max` ≥ `<bounded>_min`.
    Levels only; percentages and money do not count.
    """
    columns = ["report_id", "sentence"] + [f"{k}_{m}" for k in COUNTED_KEYS for m in ("max", "min")]
    if metrics.empty:
        return pd.DataFrame(columns=columns)
    stated = metrics[metrics["indicator"].isin(COUNTED_KEYS) & (metrics["kind"] == "level")
                     & ~metrics["unit"].isin(["%", "元", "百分点"])]
    stated = stated.assign(sentence=stated["sentence"].fillna(""), value=stated["value"].astype(float))
    frame = stated.pivot_table(index=["report_id", "sentence"], columns="indicator", values="value",
                               aggfunc=["max", "min"])
    frame.columns = [f"{key}_{how}" for how, key in frame.columns]
    return frame.reset_index().reindex(columns=columns)


def derived_frames(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The batch's frames as the suites see them: reports with its check columns, plus the per-report frames."""
    reports = frames["reports"]
    sections = frames.get("sections", pd.DataFrame())
    metrics = frames.get("metrics", pd.DataFrame())
    return {
        **frames,
        "reports": checked_reports(reports),
        "report_parts": report_parts(reports, sections),
        "report_invariants": report_invariants(reports, metrics),
    }
