"""The held-out reports (tests/holdout): the real flow over reports nobody tuned on, scored by the shared scorer.

Floors sit a little below the figures measured when the set was written (see tests/holdout/README.md),
so a change that generalises worse fails here even while the seeds still score perfectly.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EVAL, run_pipeline

HOLDOUT = Path(__file__).parent / "holdout"
FLOORS = {
    "reports.landed": 1.0,
    "metrics.precision": 0.97,
    "metrics.recall": 0.97,
    "metrics.f1": 0.97,
    "metrics.approx_acc": 0.97,
    "metrics.indicator_recall": 0.98,
    "metrics.indicator_precision": 0.98,
    "sections.f1": 0.98,
    "sections.canonical_acc": 0.98,
    "meta.admin_level_acc": 0.99,
    "meta.doc_number_acc": 0.99,
    "meta.issuing_body_acc": 0.99,
    "meta.province_acc": 0.99,
    "meta.publish_date_acc": 0.99,
    "meta.region_acc": 0.99,
    "meta.report_year_acc": 0.98,
}


@pytest.fixture(scope="module")
def holdout_figures(prefect_server, tmp_path_factory) -> dict[str, float]:
    scorer = EVAL / "score.py"
    if not scorer.is_file():
        pytest.skip(f"no scorer at {scorer}")
    warehouse = tmp_path_factory.mktemp("holdout") / "w"
    run_pipeline(HOLDOUT / "reports", warehouse)
    out = subprocess.run(
        [sys.executable, str(scorer), "--warehouse", str(warehouse), "--gold", str(HOLDOUT / "gold"), "--json"],
        capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout)["figures"]


def test_every_report_has_gold():
    reports = {p.name for p in (HOLDOUT / "reports").glob("*.txt")}
    gold = {json.loads(p.read_text(encoding="utf-8"))["file"] for p in (HOLDOUT / "gold").glob("*.json")}
    assert reports == gold and len(reports) >= 6


@pytest.mark.parametrize("figure", sorted(FLOORS))
def test_holdout_floor(holdout_figures, figure):
    assert holdout_figures[figure] >= FLOORS[figure], f"{figure} = {holdout_figures[figure]:.4f} < {FLOORS[figure]}"
